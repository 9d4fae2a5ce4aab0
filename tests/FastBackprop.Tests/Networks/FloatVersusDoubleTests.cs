using System;
using FastBackprop.Networks;
using FastBackprop.Tests.TestUtilities;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace FastBackprop.Tests.Networks;

/// <summary>
/// The float network computes what the double network computes, on the same weights and data, within a
/// tolerance scaled to the problem: float's epsilon times the size of the terms summed, per tensor.
/// </summary>
public class FloatVersusDoubleTests
{
    // Float rounding moves pre-activations by up to about 1e-5 here; a ReLU input that close to 0 may take the
    // other branch in float, a true difference of derivative that is no error. Such cases are drawn again.
    const double KinkMargin = 1e-3;

    [Fact]
    public void Float_outputs_loss_and_gradients_agree_with_double() =>
        Prop.ForAll(Gens.GradientCases(maxCost: long.MaxValue).Where(c => c.FarFromKinks(KinkMargin)).ToArbitrary(), Check)
            .Check(Config.QuickThrowOnFailure.WithMaxTest(100));

    static bool Check(GradientCase c)
    {
        Network<double> d = c.CreateNetwork();
        (double[] xd, double[] td) = c.CreateData();
        var f = new Network<float>(c.Inputs, c.Loss, c.Layers);
        Cast(d.Parameters, f.Parameters);
        float[] xf = new float[xd.Length], tf = new float[td.Length];
        Cast(xd, xf);
        Cast(td, tf);

        Workspace<double> wd = d.CreateWorkspace(c.Batch);
        Workspace<float> wf = f.CreateWorkspace(c.Batch);
        double lossD = d.ComputeGradients(xd, td, wd);
        float lossF = f.ComputeGradients(xf, tf, wf);

        // Float rounds each input, weight and partial sum at a relative 6e-8; through a few layers of sums of
        // up to 70 terms that grows to about 1e-5 of the quantities involved. 1e-4 leaves a margin yet still
        // catches any real difference of computation (a wrong term is of the order of the tensor itself).
        const double Relative = 1e-4;
        Within(c, "loss", lossD, lossF, Relative * (1 + Math.Abs(lossD)));
        for (int l = 0; l < d.LayerCount; l++)
        {
            Compare(c, $"layer {l} weight gradients", wd.WeightGradients(l), wf.WeightGradients(l), Relative);
            Compare(c, $"layer {l} bias gradients", wd.BiasGradients(l), wf.BiasGradients(l), Relative);
        }

        Compare(c, "outputs", d.Forward(xd, wd), f.Forward(xf, wf), Relative);
        return true;
    }

    static void Compare(GradientCase c, string what, ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double relative)
    {
        double scale = 0;
        foreach (double v in expected)
        {
            scale = Math.Max(scale, Math.Abs(v));
        }

        // Gradients that are all but zero (a saturated layer) are compared against a floor, not their own size.
        double tolerance = relative * Math.Max(scale, 1e-3);
        for (int i = 0; i < expected.Length; i++)
        {
            Within(c, $"{what}[{i}]", expected[i], actual[i], tolerance);
        }
    }

    static void Within(GradientCase c, string what, double expected, double actual, double tolerance)
    {
        if (!(Math.Abs(expected - actual) <= tolerance))
        {
            throw new InvalidOperationException($"{c}: {what}: double {expected:R}, float {actual:R}, tolerance {tolerance:R}");
        }
    }

    static void Cast(ReadOnlySpan<double> source, Span<float> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (float)source[i];
        }
    }
}
