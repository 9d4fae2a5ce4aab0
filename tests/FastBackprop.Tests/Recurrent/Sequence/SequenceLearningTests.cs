using System;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Optimizers;
using FastBackprop.Recurrent.Sequence;
using Xunit;

namespace FastBackprop.Tests.Recurrent.Sequence;

/// <summary>Tasks that need memory, learned from fixed seeds with Adam, judged on fresh sequences.</summary>
public class SequenceLearningTests
{
    // Delayed XOR: y_t = x_{t−1} xor x_{t−2} over random bits (bits before the start count as 0).
    static (float[] X, float[] Y) DelayedXor(Random random, int batch, int length)
    {
        float[] x = new float[batch * length], y = new float[batch * length];
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < length; t++)
            {
                x[(b * length) + t] = random.Next(2);
                float p1 = t >= 1 ? x[(b * length) + t - 1] : 0, p2 = t >= 2 ? x[(b * length) + t - 2] : 0;
                y[(b * length) + t] = p1 != p2 ? 1 : 0;
            }
        }

        return (x, y);
    }

    [Theory]
    [InlineData(CellType.Elman)]
    [InlineData(CellType.Gru)]
    public void Learns_delayed_xor_to_every_step_right(CellType cell)
    {
        const int Batch = 32, Length = 16;
        var net = new SequenceNetwork<float>(1, cell, 16, new LayerSpec(1, Activation.Sigmoid), Loss.SigmoidBinaryCrossEntropy, SequenceOutput.EveryStep);
        net.InitializeWeights(1);
        var adam = new Adam<float>(net.ParameterCount, learningRate: 0.02);
        using SequenceWorkspace<float> ws = net.CreateWorkspace(Batch, Length, threads: 1);
        var random = new Random(2);
        for (int step = 0; step < 600; step++)
        {
            (float[] x, float[] y) = DelayedXor(random, Batch, Length);
            net.ComputeGradients(x, y, Length, ws);
            GradientClipping.ClipByGlobalNorm(ws.Gradients, 5f);
            adam.Step(net.Parameters, ws.Gradients);
        }

        (float[] tx, float[] ty) = DelayedXor(new Random(99), Batch, Length);
        ReadOnlySpan<float> o = net.Forward(tx, Length, ws);
        int right = 0;
        for (int i = 0; i < ty.Length; i++)
        {
            right += (o[i] > 0.5f) == (ty[i] > 0.5f) ? 1 : 0;
        }

        Assert.True(right == ty.Length, $"{right} of {ty.Length} steps right");
    }

    // The adding problem (Hochreiter and Schmidhuber 1997): per step a value in [0, 1) and a marker; two steps are
    // marked, one in each half; the target is the sum of the two marked values. Predicting 1 gives MSE ≈ 0.167.
    static (float[] X, float[] Y) Adding(Random random, int batch, int length)
    {
        float[] x = new float[batch * length * 2], y = new float[batch];
        for (int b = 0; b < batch; b++)
        {
            int first = random.Next(length / 2), second = (length / 2) + random.Next(length / 2);
            for (int t = 0; t < length; t++)
            {
                x[(((b * length) + t) * 2) + 0] = (float)random.NextDouble();
            }

            x[(((b * length) + first) * 2) + 1] = 1;
            x[(((b * length) + second) * 2) + 1] = 1;
            y[b] = x[(((b * length) + first) * 2) + 0] + x[(((b * length) + second) * 2) + 0];
        }

        return (x, y);
    }

    [Fact]
    public void Lstm_solves_the_adding_problem_at_length_50()
    {
        const int Batch = 32, Length = 50;
        var net = new SequenceNetwork<float>(2, CellType.Lstm, 16, new LayerSpec(1, Activation.Identity), Loss.SquaredError, SequenceOutput.LastStep);
        net.InitializeWeights(1);
        var adam = new Adam<float>(net.ParameterCount, learningRate: 0.01);
        using SequenceWorkspace<float> ws = net.CreateWorkspace(256, Length, threads: 1);
        var random = new Random(3);
        (float[] tx, float[] ty) = Adding(new Random(77), 256, Length);
        float[] o = new float[256];
        double mse = double.NaN;
        for (int step = 1; step <= 3000; step++)
        {
            (float[] x, float[] y) = Adding(random, Batch, Length);
            net.ComputeGradients(x, y, Length, ws);
            GradientClipping.ClipByGlobalNorm(ws.Gradients, 1f);
            adam.Step(net.Parameters, ws.Gradients);
            if (step % 100 == 0)
            {
                net.Predict(tx, Length, o, ws);
                mse = 0;
                for (int i = 0; i < o.Length; i++)
                {
                    mse += (o[i] - ty[i]) * (o[i] - ty[i]) / o.Length;
                }

                if (mse < 0.01)
                {
                    break;
                }
            }
        }

        Assert.True(mse < 0.01, $"test MSE {mse}");
    }
}
