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
