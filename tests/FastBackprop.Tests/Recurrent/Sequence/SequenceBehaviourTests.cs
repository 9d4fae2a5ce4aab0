using System;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Recurrent.Sequence;
using FastBackprop.Tests.TestUtilities;
using Xunit;

namespace FastBackprop.Tests.Recurrent.Sequence;

/// <summary>Truncated BPTT, state carry and reset, float against double, allocation and bad input.</summary>
[Collection(nameof(FastBackprop.Tests.Kernels.AllocationSensitive))]
public class SequenceBehaviourTests
{
    static SequenceNetwork<double> Net(CellType cell, SequenceOutput mode) =>
        new(3, cell, 5, new LayerSpec(2, Activation.Identity), Loss.SquaredError, mode, layers: 2);

    [Theory]
    [InlineData(CellType.Elman, SequenceOutput.EveryStep)]
    [InlineData(CellType.Gru, SequenceOutput.LastStep)]
    [InlineData(CellType.Lstm, SequenceOutput.EveryStep)]
    public void Truncation_at_or_beyond_the_length_is_full_bptt_and_shorter_keeps_the_loss(CellType cell, SequenceOutput mode)
    {
        SequenceNetwork<double> net = Net(cell, mode);
        const int Batch = 3, Length = 7;
        var random = new Random(5);
        double[] x = SequenceGradientTests.Draw(random, Batch * Length * 3, 1);
        double[] t = SequenceGradientTests.Draw(random, Batch * (mode == SequenceOutput.EveryStep ? Length : 1) * 2, 1);
        using SequenceWorkspace<double> ws = net.CreateWorkspace(Batch, Length, threads: 1);
        double full = net.ComputeGradients(x, t, Length, ws);
        double[] g = ws.Gradients.ToArray();
        foreach (int k in new[] { Length, Length + 4 })
        {
            Assert.Equal(full, net.ComputeGradients(x, t, Length, ws, truncation: k));
            Assert.Equal(g, ws.Gradients.ToArray());
        }

        // k < length: the forward pass and the loss are the whole sequence's, the gradient is truncated.
        double truncated = net.ComputeGradients(x, t, Length, ws, truncation: 3);
        Assert.True(Math.Abs(truncated - full) <= 1e-12 * (1 + full), $"{truncated} vs {full}");
        Assert.NotEqual(g, ws.Gradients.ToArray());
    }

    [Theory]
    [InlineData(CellType.Elman)]
    [InlineData(CellType.Gru)]
    [InlineData(CellType.Lstm)]
    public void Carrying_the_state_continues_the_sequence_and_reset_starts_afresh(CellType cell)
    {
        SequenceNetwork<double> net = Net(cell, SequenceOutput.EveryStep);
        const int Batch = 2, Half = 4;
        double[] x = SequenceGradientTests.Draw(new Random(9), Batch * 2 * Half * 3, 1);
        using SequenceWorkspace<double> ws = net.CreateWorkspace(Batch, 2 * Half, threads: 1);
        double[] whole = net.Forward(x, 2 * Half, ws).ToArray();

        double[] first = new double[Batch * Half * 3], second = new double[Batch * Half * 3];
        for (int b = 0; b < Batch; b++)
        {
            x.AsSpan(b * 2 * Half * 3, Half * 3).CopyTo(first.AsSpan(b * Half * 3));
            x.AsSpan((b * 2 * Half * 3) + (Half * 3), Half * 3).CopyTo(second.AsSpan(b * Half * 3));
        }

        net.Forward(first, Half, ws);
        double[] carried = net.Forward(second, Half, ws, StateMode.Carry).ToArray();
        double[] reset = net.Forward(second, Half, ws, StateMode.Reset).ToArray();
        for (int b = 0; b < Batch; b++)
        {
            for (int i = 0; i < Half * 2; i++)
            {
                double expected = whole[(b * 2 * Half * 2) + (Half * 2) + i];
                Assert.True(Math.Abs(carried[(b * Half * 2) + i] - expected) <= 1e-12, $"carried {carried[(b * Half * 2) + i]} vs {expected}");
            }
        }

        Assert.True(Math.Abs(reset[0] - carried[0]) > 1e-6, "a reset state must change the first output");
    }

    [Theory]
    [InlineData(CellType.Elman)]
    [InlineData(CellType.Gru)]
    [InlineData(CellType.Lstm)]
    public void Float_gradients_follow_double(CellType cell)
    {
        var d = new SequenceNetwork<double>(4, cell, 16, new LayerSpec(3, Activation.Sigmoid), Loss.SquaredError, SequenceOutput.EveryStep);
        var f = new SequenceNetwork<float>(4, cell, 16, new LayerSpec(3, Activation.Sigmoid), Loss.SquaredError, SequenceOutput.EveryStep);
        d.InitializeWeights(3);
        for (int i = 0; i < d.ParameterCount; i++)
        {
            f.Parameters[i] = (float)d.Parameters[i];
        }

        var random = new Random(4);
        double[] x = SequenceGradientTests.Draw(random, 5 * 10 * 4, 1), t = SequenceGradientTests.Draw(random, 5 * 10 * 3, 1);
        using SequenceWorkspace<double> wd = d.CreateWorkspace(5, 10, threads: 1);
        using SequenceWorkspace<float> wf = f.CreateWorkspace(5, 10, threads: 1);
        double ld = d.ComputeGradients(x, t, 10, wd);
        float lf = f.ComputeGradients(Array.ConvertAll(x, v => (float)v), Array.ConvertAll(t, v => (float)v), 10, wf);
        Assert.True(Math.Abs(ld - lf) <= 1e-5 * (1 + ld), $"loss {lf} vs {ld}");
        double scale = 0;
        foreach (double g in wd.Gradients)
        {
            scale = Math.Max(scale, Math.Abs(g));
        }

        for (int i = 0; i < d.ParameterCount; i++)
        {
            Assert.True(Math.Abs(wd.Gradients[i] - wf.Gradients[i]) <= 1e-4 * scale, $"parameter {i}: float {wf.Gradients[i]}, double {wd.Gradients[i]}");
        }
    }

    [Theory]
    [InlineData(CellType.Elman)]
    [InlineData(CellType.Gru)]
    [InlineData(CellType.Lstm)]
    public void Training_steps_allocate_nothing_after_warm_up(CellType cell)
    {
        // Warm-up as long as the engine's own allocation tests: under a loaded test run, tier-up of the hot
        // methods comes late, and the runtime's call-counting work on this thread is counted too.
        var net = new SequenceNetwork<float>(8, cell, 24, new LayerSpec(4, Activation.Identity), Loss.SquaredError, SequenceOutput.EveryStep, layers: 2);
        float[] x = new float[8 * 12 * 8], t = new float[8 * 12 * 4];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)Math.Sin(i);
        }

        using SequenceWorkspace<float> ws = net.CreateWorkspace(8, 12, threads: 1);
        long bytes = Allocation.Measure(
            () =>
            {
                net.TrainStep(x, t, 12, ws, 1e-3f, truncation: 5, maxGradientNorm: 1f);
                net.TrainStep(x, t, 12, ws, 1e-3f, state: StateMode.Carry);
                net.Forward(x, 12, ws);
            },
            repetitions: 100);
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void Bad_input_names_what_was_expected_and_changes_nothing()
    {
        SequenceNetwork<double> net = Net(CellType.Lstm, SequenceOutput.EveryStep);
        using SequenceWorkspace<double> ws = net.CreateWorkspace(2, 5, threads: 1);
        double[] before = net.Parameters.ToArray();
        double[] x = new double[2 * 5 * 3], t = new double[2 * 5 * 2];

        var tooLong = Assert.Throws<ArgumentOutOfRangeException>(() => net.TrainStep(new double[2 * 6 * 3], new double[2 * 6 * 2], 6, ws, 0.1));
        Assert.Equal("sequenceLength", tooLong.ParamName);
        Assert.Contains("from 1 to 5", tooLong.Message, StringComparison.Ordinal);

        var ragged = Assert.Throws<ArgumentException>(() => net.TrainStep(new double[31], t, 5, ws, 0.1));
        Assert.Equal("inputs", ragged.ParamName);
        Assert.Contains("15 elements", ragged.Message, StringComparison.Ordinal);

        var wide = Assert.Throws<ArgumentException>(() => net.TrainStep(new double[3 * 5 * 3], new double[3 * 5 * 2], 5, ws, 0.1));
        Assert.Contains("at most 2 sequences", wide.Message, StringComparison.Ordinal);

        var targets = Assert.Throws<ArgumentException>(() => net.TrainStep(x, new double[4], 5, ws, 0.1));
        Assert.Equal("targets", targets.ParamName);
        Assert.Contains("2 x 5 x 2 = 20", targets.Message, StringComparison.Ordinal);

        var truncation = Assert.Throws<ArgumentOutOfRangeException>(() => net.TrainStep(x, t, 5, ws, 0.1, truncation: -1));
        Assert.Equal("truncation", truncation.ParamName);

        var nothing = Assert.Throws<ArgumentException>(() => net.TrainStep(x, t, 5, ws, 0.1, state: StateMode.Carry));
        Assert.Equal("state", nothing.ParamName);
        Assert.Equal(before, net.Parameters.ToArray());

        net.Forward(new double[1 * 5 * 3], 5, ws);
        var carry = Assert.Throws<ArgumentException>(() => net.TrainStep(x, t, 5, ws, 0.1, state: StateMode.Carry));
        Assert.Contains("batch of 1", carry.Message, StringComparison.Ordinal);

        x[7] = double.NaN;
        var nan = Assert.Throws<ArgumentException>(() => net.TrainStep(x, t, 5, ws, 0.1));
        Assert.Contains("element 7", nan.Message, StringComparison.Ordinal);
        Assert.Equal(before, net.Parameters.ToArray());
    }
}
