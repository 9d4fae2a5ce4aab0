using System;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Optimizers;
using FastBackprop.Recurrent.FixedPoint;
using Xunit;
using Xunit.Abstractions;

namespace FastBackprop.Tests.Recurrent.FixedPoint;

/// <summary>
/// Associative recall: a fixed-point network trained by Almeida-Pineda backpropagation (with Adam) completes
/// partial patterns. Four stored ±1 patterns of 12 bits, pairwise at Hamming distance ≥ 5, are shown with 4 of
/// their bits hidden (set to 0); the network must relax to the whole pattern on its 12 output units. Since any
/// two patterns differ in at least 5 places, the 8 visible bits always determine the pattern: the task is
/// solvable exactly, and an untrained network fails it.
/// </summary>
public class PatternCompletionTests(ITestOutputHelper output)
{
    const int Bits = 12;
    const int Patterns = 4;
    const int Hidden = 4;

    [Fact]
    public void A_fixed_point_network_learns_to_complete_partial_patterns()
    {
        float[][] patterns = StoredPatterns();
        (float[] trainInputs, float[] trainTargets) = Corrupt(patterns, perPattern: 32, seed: 1);
        (float[] testInputs, float[] testTargets) = Corrupt(patterns, perPattern: 64, seed: 2);

        // 12 visible units read out, 12 hidden; tanh units relaxed with damping 0.5.
        var net = new FixedPointNetwork<float>(units: 2 * Bits, inputs: Bits, outputs: Bits, Activation.Tanh, Loss.SquaredError,
            new RelaxationOptions { Damping = 0.5, Tolerance = 1e-5, MaxIterations = 400, BackwardTolerance = 1e-5, BackwardMaxIterations = 400 });
        net.InitializeWeights(seed: 3, recurrentScale: 0.5);
        using FixedPointWorkspace<float> ws = net.CreateWorkspace(maxBatch: testInputs.Length / Bits, threads: 1);

        double before = Recalled(net, testInputs, testTargets, ws);
        var adam = new Adam<float>(net.ParameterCount, learningRate: 0.02);
        int skipped = 0;
        float loss = float.NaN;
        for (int step = 0; step < 300; step++)
        {
            FixedPointResult<float> result = net.ComputeGradients(trainInputs, trainTargets, ws);
            loss = result.Loss;
            if (!result.Converged)
            {
                skipped++;
                continue;
            }

            adam.Step(net.Parameters, ws.Gradients);
        }

        double after = Recalled(net, testInputs, testTargets, ws);
        output.WriteLine($"recalled before {before:P1}, after {after:P1}; final training loss {loss}; steps skipped for non-convergence {skipped}");
        Assert.True(before < 0.5, $"untrained network already recalls {before:P1}");
        Assert.True(after >= 0.98, $"recalled {after:P1} of held-out partial patterns (loss {loss}, {skipped} steps skipped)");
        Assert.Equal(0, skipped);
    }

    // The fraction of samples whose 12 output signs all equal the stored pattern's, among converged relaxations.
    static double Recalled(FixedPointNetwork<float> net, float[] inputs, float[] targets, FixedPointWorkspace<float> ws)
    {
        float[] outputs = new float[targets.Length];
        Assert.True(net.Predict(inputs, outputs, ws).Converged);
        int correct = 0, samples = targets.Length / Bits;
        for (int r = 0; r < samples; r++)
        {
            bool all = true;
            for (int j = 0; j < Bits; j++)
            {
                all &= Math.Sign(outputs[(r * Bits) + j]) == Math.Sign(targets[(r * Bits) + j]);
            }

            correct += all ? 1 : 0;
        }

        return (double)correct / samples;
    }

    // Four random ±1 patterns, redrawn until every pair differs in at least 5 bits.
    static float[][] StoredPatterns()
    {
        var random = new Random(17);
        while (true)
        {
            float[][] p = new float[Patterns][];
            for (int k = 0; k < Patterns; k++)
            {
                p[k] = new float[Bits];
                for (int j = 0; j < Bits; j++)
                {
                    p[k][j] = random.Next(2) == 0 ? -1 : 1;
                }
            }

            int minimum = Bits;
            for (int a = 0; a < Patterns; a++)
            {
                for (int b = a + 1; b < Patterns; b++)
                {
                    int distance = 0;
                    for (int j = 0; j < Bits; j++)
                    {
                        distance += p[a][j] != p[b][j] ? 1 : 0;
                    }

                    minimum = Math.Min(minimum, distance);
                }
            }

            if (minimum > Hidden)
            {
                return p;
            }
        }
    }

    // perPattern copies of each pattern with Hidden random bits set to 0; the targets are the whole patterns.
    static (float[] Inputs, float[] Targets) Corrupt(float[][] patterns, int perPattern, int seed)
    {
        var random = new Random(seed);
        int samples = Patterns * perPattern;
        float[] inputs = new float[samples * Bits];
        float[] targets = new float[samples * Bits];
        int[] order = new int[Bits];
        for (int r = 0; r < samples; r++)
        {
            float[] pattern = patterns[r % Patterns];
            pattern.CopyTo(inputs, r * Bits);
            pattern.CopyTo(targets, r * Bits);
            for (int j = 0; j < Bits; j++)
            {
                order[j] = j;
            }

            random.Shuffle(order);
            for (int h = 0; h < Hidden; h++)
            {
                inputs[(r * Bits) + order[h]] = 0;
            }
        }

        return (inputs, targets);
    }
}
