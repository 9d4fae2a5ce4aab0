using System;
using FastBackprop.Layers;
using FastBackprop.Recurrent.Sequence;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace FastBackprop.Tests.Recurrent.Sequence;

/// <summary>
/// BPTT gradients of every cell against central finite differences of <see cref="ReferenceSequenceNet"/>, an
/// independent scalar double implementation, on FsCheck-drawn small sizes.
/// </summary>
public class SequenceGradientTests
{
    [Theory]
    [InlineData(CellType.Elman)]
    [InlineData(CellType.Gru)]
    [InlineData(CellType.Lstm)]
    public void Bptt_gradients_match_central_differences_of_the_reference(CellType cell)
    {
        Gen<int[]> sizes =
            from inputs in Gen.Choose(1, 4)
            from hidden in Gen.Choose(1, 9)
            from outputs in Gen.Choose(1, 3)
            from batch in Gen.Choose(1, 4)
            from length in Gen.Choose(1, 6)
            from mode in Gen.Choose(0, 1)
            from sigmoid in Gen.Choose(0, 1)
            from seed in Gen.Choose(0, 100_000)
            select new[] { inputs, hidden, outputs, batch, length, mode, sigmoid, seed };
        Prop.ForAll(sizes.ToArbitrary(), s => Check(cell, s)).Check(Config.QuickThrowOnFailure.WithMaxTest(25));
    }

    // Stacked layers: the reference has one layer, so the loss here comes from the network's own forward pass
    // (whose equations the one-layer test pins to the reference); the differences still check the backward pass
    // through the layer-to-layer gradients independently.
    [Theory]
    [InlineData(CellType.Elman, SequenceOutput.EveryStep)]
    [InlineData(CellType.Gru, SequenceOutput.LastStep)]
    [InlineData(CellType.Lstm, SequenceOutput.EveryStep)]
    [InlineData(CellType.Lstm, SequenceOutput.LastStep)]
    public void Stacked_layers_match_central_differences_of_the_forward_pass(CellType cell, SequenceOutput mode)
    {
        const int Batch = 2, Length = 4;
        var net = new SequenceNetwork<double>(2, cell, 3, new LayerSpec(2, Activation.Sigmoid), FastBackprop.Losses.Loss.SquaredError, mode, layers: 3);
        net.InitializeWeights(7);
        var random = new Random(8);
        double[] x = Draw(random, Batch * Length * 2, 1.5);
        double[] t = Draw(random, Batch * (mode == SequenceOutput.EveryStep ? Length : 1) * 2, 1);
        using SequenceWorkspace<double> ws = net.CreateWorkspace(Batch, Length, threads: 1);
        net.ComputeGradients(x, t, Length, ws);
        double[] analytic = ws.Gradients.ToArray();
        Span<double> theta = net.Parameters;
        for (int i = 0; i < theta.Length; i++)
        {
            double keep = theta[i];
            theta[i] = keep + 1e-6;
            double up = net.Evaluate(x, t, Length, ws);
            theta[i] = keep - 1e-6;
            double down = net.Evaluate(x, t, Length, ws);
            theta[i] = keep;
            double numeric = (up - down) / 2e-6;
            Assert.True(Math.Abs(numeric - analytic[i]) <= 1e-6 + (1e-4 * Math.Abs(numeric)), $"{cell} {mode}: parameter {i} analytic {analytic[i]}, numeric {numeric}");
        }
    }

    // Truncated BPTT (k < length) computes Σ_chunks d(share of the chunk's loss)/dθ with the state entering each
    // chunk held constant. Central differences of exactly that: for each chunk, the entering state is made at the
    // unperturbed parameters (a forward pass over the prefix), then the chunk's loss is evaluated at θ ± h·e_i.
    [Theory]
    [InlineData(CellType.Elman)]
    [InlineData(CellType.Gru)]
    [InlineData(CellType.Lstm)]
    public void Truncated_bptt_is_the_gradient_with_each_chunks_entering_state_held_constant(CellType cell)
    {
        const int Batch = 2, Length = 7, K = 3, In = 2, Out = 2;
        var net = new SequenceNetwork<double>(In, cell, 4, new LayerSpec(Out, Activation.Identity), FastBackprop.Losses.Loss.SquaredError, SequenceOutput.EveryStep);
        net.InitializeWeights(11);
        var random = new Random(12);
        double[] x = Draw(random, Batch * Length * In, 1.5), t = Draw(random, Batch * Length * Out, 1);
        using SequenceWorkspace<double> ws = net.CreateWorkspace(Batch, Length, threads: 1);
        net.ComputeGradients(x, t, Length, ws, truncation: K);
        double[] analytic = ws.Gradients.ToArray();

        // Steps [from, from + n) of every sequence, batch-major.
        static double[] Steps(double[] v, int width, int from, int n)
        {
            double[] r = new double[Batch * n * width];
            for (int b = 0; b < Batch; b++)
            {
                v.AsSpan(((b * Length) + from) * width, n * width).CopyTo(r.AsSpan(b * n * width));
            }

            return r;
        }

        Span<double> theta = net.Parameters;
        for (int i = 0; i < theta.Length; i++)
        {
            double keep = theta[i];
            double numeric = 0;
            for (int start = 0; start < Length; start += K)
            {
                int n = Math.Min(K, Length - start);
                double[] cx = Steps(x, In, start, n), ct = Steps(t, Out, start, n);
                double weight = (double)n / Length;
                foreach (double sign in new[] { 1.0, -1.0 })
                {
                    theta[i] = keep;
                    if (start > 0)
                    {
                        net.Forward(Steps(x, In, 0, start), start, ws);
                    }

                    theta[i] = keep + (sign * 1e-6);
                    numeric += sign * weight * net.Evaluate(cx, ct, n, ws, start > 0 ? StateMode.Carry : StateMode.Reset) / 2e-6;
                }
            }

            theta[i] = keep;
            Assert.True(Math.Abs(numeric - analytic[i]) <= 1e-6 + (1e-4 * Math.Abs(numeric)), $"{cell}: parameter {i} analytic {analytic[i]}, numeric {numeric}");
        }
    }

    static bool Check(CellType cell, int[] s)
    {
        (int inputs, int hidden, int outputs, int batch, int length) = (s[0], s[1], s[2], s[3], s[4]);
        var mode = (SequenceOutput)s[5];
        var reference = new ReferenceSequenceNet(inputs, cell, hidden, outputs, s[6] == 1 ? Activation.Sigmoid : Activation.Identity, mode);
        SequenceNetwork<double> net = reference.CreateNetwork(s[7]);
        var random = new Random(s[7]);
        double[] x = Draw(random, batch * length * inputs, 1.5);
        double[] t = Draw(random, batch * (mode == SequenceOutput.EveryStep ? length : 1) * outputs, 1);
        using SequenceWorkspace<double> ws = net.CreateWorkspace(batch + 1, length + 2, threads: 1);

        double loss = net.ComputeGradients(x, t, length, ws);
        double[] theta = net.Parameters.ToArray();
        double expected = reference.Loss(theta, x, t, batch, length);
        string name = $"{cell} in {inputs} H {hidden} out {outputs} batch {batch} T {length} {mode}";
        Assert.True(Math.Abs(loss - expected) <= 1e-12 * (1 + expected), $"{name}: loss {loss}, reference {expected}");
        double[] analytic = ws.Gradients.ToArray();
        for (int i = 0; i < theta.Length; i++)
        {
            double keep = theta[i];
            theta[i] = keep + 1e-6;
            double up = reference.Loss(theta, x, t, batch, length);
            theta[i] = keep - 1e-6;
            double down = reference.Loss(theta, x, t, batch, length);
            theta[i] = keep;
            double numeric = (up - down) / 2e-6;
            Assert.True(Math.Abs(numeric - analytic[i]) <= 1e-6 + (1e-4 * Math.Abs(numeric)), $"{name}: parameter {i} analytic {analytic[i]}, numeric {numeric}");
        }

        return true;
    }

    internal static double[] Draw(Random random, int n, double scale)
    {
        double[] v = new double[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = ((2 * random.NextDouble()) - 1) * scale;
        }

        return v;
    }
}
