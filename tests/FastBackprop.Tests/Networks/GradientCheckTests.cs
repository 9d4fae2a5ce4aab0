using System;
using FastBackprop.Networks;
using FastBackprop.Tests.TestUtilities;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace FastBackprop.Tests.Networks;

/// <summary>
/// The analytic gradients of every parameter (and of the inputs) against central finite differences of an
/// independent double-precision reference network, on random architectures, activations, losses and batches.
/// </summary>
public class GradientCheckTests
{
    const double Step = 1e-6;
    const double AbsoluteTolerance = 1e-5;
    const double RelativeTolerance = 1e-3;

    // Pre-activations of ReLU-family layers closer to the kink than this make the finite difference straddle a
    // point where the loss is not differentiable; the generator draws such cases again rather than judge them.
    const double KinkMargin = 1e-4;

    [Fact]
    public void Analytic_gradients_match_central_differences() =>
        Prop.ForAll(Gens.GradientCases(maxCost: 30_000_000).Where(c => c.FarFromKinks(KinkMargin)).ToArbitrary(), Check)
            .Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    static bool Check(GradientCase c)
    {
        Network<double> net = c.CreateNetwork();
        (double[] x, double[] t) = c.CreateData();
        var reference = new ReferenceMlp(c.Inputs, c.Loss, c.Layers);
        Workspace<double> ws = net.CreateWorkspace(c.Batch);
        double[] dx = new double[x.Length];

        double loss = net.ComputeGradients(x, t, ws, dx);
        double expectedLoss = reference.Loss(net.Parameters, x, t);
        if (Math.Abs(loss - expectedLoss) > 1e-10 * (1 + Math.Abs(expectedLoss)))
        {
            throw new InvalidOperationException($"{c}: loss {loss}, reference {expectedLoss}");
        }

        double[] theta = net.Parameters.ToArray();
        double[] analytic = ws.Gradients.ToArray();
        for (int i = 0; i < theta.Length; i++)
        {
            Compare(c, $"parameter {i}", CentralDifference(theta, i, () => reference.Loss(theta, x, t)), analytic[i]);
        }

        for (int i = 0; i < x.Length; i++)
        {
            Compare(c, $"input {i}", CentralDifference(x, i, () => reference.Loss(theta, x, t)), dx[i]);
        }

        return true;
    }

    // (L(v + h·e_i) - L(v - h·e_i)) / 2h, restoring v[i] afterwards.
    static double CentralDifference(double[] values, int i, Func<double> loss)
    {
        double saved = values[i];
        values[i] = saved + Step;
        double plus = loss();
        values[i] = saved - Step;
        double minus = loss();
        values[i] = saved;
        return (plus - minus) / (2 * Step);
    }

    static void Compare(GradientCase c, string what, double numeric, double analytic)
    {
        if (!(Math.Abs(numeric - analytic) <= AbsoluteTolerance + (RelativeTolerance * Math.Abs(numeric))))
        {
            throw new InvalidOperationException($"{c}: {what}: finite difference {numeric:R}, analytic {analytic:R}");
        }
    }
}
