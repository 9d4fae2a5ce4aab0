using System;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Recurrent.FixedPoint;
using Xunit;

namespace FastBackprop.Tests.Recurrent.FixedPoint;

/// <summary>
/// Non-convergence is reported, never a silent wrong gradient: a network built to oscillate, one that diverges,
/// and an adjoint cut off by its iteration limit.
/// </summary>
public class FixedPointConvergenceTests
{
    // Two tanh units in a rotation, W = [[0, −3], [3, 0]] (unit 0 → unit 1 weight −3, unit 1 → unit 0 weight 3),
    // kicked by the input into unit 0: with d = 1, x ← tanh(x·W + s·V) circles a limit cycle whose steps stay
    // near 2 forever (a scalar simulation gives max |Δx| ≈ 1.99 at iteration 500); heavy damping (d = 0.1)
    // turns it into a contraction that converges (in about 275 iterations to 1e-8).
    static FixedPointNetwork<double> Oscillator(RelaxationOptions options)
    {
        var net = new FixedPointNetwork<double>(units: 2, inputs: 1, outputs: 1, Activation.Tanh, Loss.SquaredError, options);
        double[] w = [0, -3, 3, 0];
        w.CopyTo(net.RecurrentWeights);
        net.InputWeights[0] = 1;
        net.InputWeights[1] = 0;
        net.Biases.Clear();
        return net;
    }

    static readonly double[] s_input = [1];
    static readonly double[] s_target = [0.5];

    [Fact]
    public void An_oscillating_network_is_reported_and_gets_no_gradient()
    {
        FixedPointNetwork<double> net = Oscillator(new RelaxationOptions { Damping = 1, Tolerance = 1e-8, MaxIterations = 500 });
        using FixedPointWorkspace<double> ws = net.CreateWorkspace(1);
        ws.Gradients.Fill(42);

        FixedPointResult<double> result = net.ComputeGradients(s_input, s_target, ws);

        Assert.False(result.Converged);
        Assert.False(result.Forward.Converged);
        Assert.Equal(500, result.Forward.Iterations);
        Assert.True(result.Forward.Residual > 1, result.Forward.ToString());
        Assert.Equal(default, result.Backward);
        Assert.All(ws.Gradients.ToArray(), g => Assert.Equal(0, g));
        Assert.Contains("did not converge after 500 iterations", result.Forward.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_oscillating_network_throws_when_asked_and_changes_nothing()
    {
        FixedPointNetwork<double> net = Oscillator(new RelaxationOptions { Tolerance = 1e-8, MaxIterations = 300, ThrowOnNonConvergence = true });
        double[] before = net.Parameters.ToArray();
        using FixedPointWorkspace<double> ws = net.CreateWorkspace(1);
        ws.Gradients.Fill(42);

        RelaxationException e = Assert.Throws<RelaxationException>(() => net.ComputeGradients(s_input, s_target, ws));
        Assert.Equal(RelaxationPhase.Forward, e.Phase);
        Assert.Equal(300, e.Report.Iterations);
        Assert.False(e.Report.Converged);
        Assert.All(ws.Gradients.ToArray(), g => Assert.Equal(0, g));
        Assert.Equal(before, net.Parameters.ToArray());

        double[] outputs = new double[1];
        Assert.Equal(RelaxationPhase.Forward, Assert.Throws<RelaxationException>(() => net.Predict(s_input, outputs, ws)).Phase);
        Assert.Throws<RelaxationException>(() => net.Relax(s_input, ws));
    }

    [Fact]
    public void Damping_makes_the_oscillator_converge_to_a_true_fixed_point()
    {
        FixedPointNetwork<double> net = Oscillator(new RelaxationOptions { Damping = 0.1, Tolerance = 1e-10, MaxIterations = 2000, BackwardTolerance = 1e-10, BackwardMaxIterations = 2000 });
        using FixedPointWorkspace<double> ws = net.CreateWorkspace(1);

        FixedPointResult<double> result = net.ComputeGradients(s_input, s_target, ws);

        Assert.True(result.Converged, result.ToString());
        ReadOnlySpan<double> x = ws.State(1);

        // x* = tanh(x*·W + s·V): x0 = tanh(3·x1 + 1), x1 = tanh(−3·x0), to within the tolerance's reach.
        Assert.Equal(Math.Tanh((3 * x[1]) + 1), x[0], 1e-8);
        Assert.Equal(Math.Tanh(-3 * x[0]), x[1], 1e-8);
    }

    [Fact]
    public void A_diverging_network_is_reported_not_converged()
    {
        // Identity units with W = 2·I: x doubles every step until it overflows; the residual is then NaN.
        var net = new FixedPointNetwork<float>(units: 3, inputs: 1, outputs: 3, Activation.Identity, Loss.SquaredError, new RelaxationOptions { MaxIterations = 400 });
        net.RecurrentWeights.Clear();
        for (int j = 0; j < 3; j++)
        {
            net.RecurrentWeights[(j * 3) + j] = 2;
            net.InputWeights[j] = 1;
        }

        using FixedPointWorkspace<float> ws = net.CreateWorkspace(2);
        FixedPointResult<float> result = net.ComputeGradients([1f, -1f], [0f, 0f, 0f, 0f, 0f, 0f], ws);
        Assert.False(result.Forward.Converged);
        Assert.True(double.IsNaN(result.Forward.Residual), result.Forward.ToString());
        Assert.All(ws.Gradients.ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void An_adjoint_cut_off_by_its_iteration_limit_is_reported_and_gets_no_gradient()
    {
        var c = new FixedPointCase(6, 2, 3, Activation.Tanh, Loss.SquaredError, 0.5, 0.6, 2, 5);
        (double[] s, double[] t) = c.CreateData();
        FixedPointNetwork<double> net = c.CreateNetwork<double>(c.TightOptions with { BackwardMaxIterations = 3 });
        using FixedPointWorkspace<double> ws = net.CreateWorkspace(c.Batch);
        ws.Gradients.Fill(42);

        FixedPointResult<double> result = net.ComputeGradients(s, t, ws);
        Assert.True(result.Forward.Converged);
        Assert.False(result.Backward.Converged);
        Assert.Equal(3, result.Backward.Iterations);
        Assert.False(result.Converged);
        Assert.All(ws.Gradients.ToArray(), g => Assert.Equal(0, g));

        net.Options = net.Options with { ThrowOnNonConvergence = true };
        Assert.Equal(RelaxationPhase.Backward, Assert.Throws<RelaxationException>(() => net.ComputeGradients(s, t, ws)).Phase);
    }

    [Fact]
    public void A_converged_relaxation_reports_its_iterations_and_residual()
    {
        var c = new FixedPointCase(5, 2, 2, Activation.Sigmoid, Loss.SigmoidBinaryCrossEntropy, 1.0, 0.4, 3, 9);
        (double[] s, double[] t) = c.CreateData();
        FixedPointNetwork<double> net = c.CreateNetwork<double>(new RelaxationOptions { Tolerance = 1e-9, BackwardTolerance = 1e-9 });
        using FixedPointWorkspace<double> ws = net.CreateWorkspace(c.Batch);

        FixedPointResult<double> result = net.ComputeGradients(s, t, ws);
        Assert.True(result.Converged);
        Assert.InRange(result.Forward.Iterations, 2, 500);
        Assert.InRange(result.Forward.Residual, 0, 1e-9);
        Assert.InRange(result.Backward.Residual, 0, 1e-9);
        Assert.False(result.Backward.Truncated);

        // The state really is a fixed point: one more map evaluation moves it by at most about the tolerance.
        FixedPointReference reference = c.CreateReference();
        ReadOnlySpan<double> x = ws.State(c.Batch);
        double[] p = net.Parameters.ToArray();
        for (int r = 0; r < c.Batch; r++)
        {
            for (int j = 0; j < c.Units; j++)
            {
                double u = p[(c.Units * c.Units) + (c.Inputs * c.Units) + j];
                for (int i = 0; i < c.Inputs; i++)
                {
                    u += s[(r * c.Inputs) + i] * p[(c.Units * c.Units) + (i * c.Units) + j];
                }

                for (int i = 0; i < c.Units; i++)
                {
                    u += x[(r * c.Units) + i] * p[(i * c.Units) + j];
                }

                Assert.Equal(reference.F(u), x[(r * c.Units) + j], 1e-9);
            }
        }
    }
}
