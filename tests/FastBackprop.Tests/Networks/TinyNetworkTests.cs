using System;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using FastBackprop.Tests.TestUtilities;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace FastBackprop.Tests.Networks;

/// <summary>
/// Networks of tiny layers take a scalar path at batch 1. It must compute what the vector path computes: the
/// same outputs as a batch of two copies of the sample, and the same step as ComputeGradients + ApplyGradients.
/// </summary>
public class TinyNetworkTests
{
    [Fact]
    public void Tiny_path_agrees_with_the_general_path() =>
        Prop.ForAll(TinyCases().ToArbitrary(), Check).Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    [Fact]
    public void Networks_with_a_large_layer_do_not_qualify()
    {
        var small = new Network<float>(8, Loss.SquaredError, new LayerSpec(8, Activation.Tanh), new LayerSpec(1, Activation.Identity));
        var large = new Network<float>(8, Loss.SquaredError, new LayerSpec(9, Activation.Tanh), new LayerSpec(1, Activation.Identity));
        Assert.True(TinyNetwork.Qualifies<float>([small.Layer(0), small.Layer(1)]));
        Assert.False(TinyNetwork.Qualifies<float>([large.Layer(0), large.Layer(1)]));
    }

    static Gen<GradientCase> TinyCases() =>
        Gens.GradientCases(maxCost: long.MaxValue)
            .Select(c => c with { Inputs = 1 + (c.Inputs % 8), Widths = Array.ConvertAll(c.Widths, w => 1 + (w % 8)), Batch = 1 });

    static bool Check(GradientCase c)
    {
        Network<double> tiny = c.CreateNetwork();
        Network<double> general = c.CreateNetwork();
        (double[] x, double[] t) = c.CreateData();
        Workspace<double> wt = tiny.CreateWorkspace(2, threads: 1);
        Workspace<double> wg = general.CreateWorkspace(2, threads: 1);

        double[] y1 = tiny.Forward(x, wt).ToArray();
        double[] y2 = general.Forward([.. x, .. x], wg).ToArray();
        for (int j = 0; j < y1.Length; j++)
        {
            Close(c, $"output {j}", y2[j], y1[j]);
            Close(c, $"output {j} of the second copy", y2[y1.Length + j], y1[j]);
        }

        const double Rate = 0.3;
        double lossTiny = tiny.TrainStep(x, t, wt, Rate);
        double lossGeneral = general.ComputeGradients(x, t, wg);
        general.ApplyGradients(wg, Rate);
        Close(c, "loss", lossGeneral, lossTiny);
        for (int i = 0; i < general.ParameterCount; i++)
        {
            Close(c, $"parameter {i} after the step", general.Parameters[i], tiny.Parameters[i]);
        }

        return true;
    }

    static void Close(GradientCase c, string what, double expected, double actual)
    {
        if (!(Math.Abs(expected - actual) <= 1e-13 * (1 + Math.Abs(expected))))
        {
            throw new InvalidOperationException($"{c}: {what}: general path {expected:R}, tiny path {actual:R}");
        }
    }
}
