using System;
using FastBackprop.Networks;
using FastBackprop.Training;

namespace FastBackprop.Cli.Common;

/// <summary>Measures a trained network on a data set in chunks, for the final summary, <c>eval</c> and <c>predict</c>.</summary>
internal static class Evaluator
{
    const int Chunk = 256;

    /// <summary>The mean loss and (for classification) accuracy of <paramref name="network"/> over <paramref name="data"/>.</summary>
    /// <exception cref="CliException">The data's shape does not fit the network.</exception>
    public static Measurement Measure(Network<float> network, Dataset<float> data, bool classification, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        CheckShape(network, data.InputCount, data.OutputCount);
        int inputs = network.InputCount, outputs = network.OutputCount, samples = data.SampleCount;
        if (samples == 0)
        {
            return new Measurement(double.NaN, double.NaN, 0);
        }

        using Workspace<float> workspace = network.CreateWorkspace(Math.Min(Chunk, samples), threads);
        double lossSum = 0;
        int correct = 0;
        for (int first = 0; first < samples; first += Chunk)
        {
            int rows = Math.Min(Chunk, samples - first);
            ReadOnlySpan<float> x = data.Features.Slice(first * inputs, rows * inputs);
            ReadOnlySpan<float> t = data.Targets.Slice(first * outputs, rows * outputs);
            lossSum += network.Evaluate(x, t, workspace) * (double)rows;
            ReadOnlySpan<float> y = network.Forward(x, workspace);
            for (int r = 0; r < rows; r++)
            {
                if (IsCorrect(y.Slice(r * outputs, outputs), t.Slice(r * outputs, outputs)))
                {
                    correct++;
                }
            }
        }

        return new Measurement(lossSum / samples, classification ? (double)correct / samples : double.NaN, samples);
    }

    /// <summary>Arg-max of the outputs equals arg-max of the targets; for one output, both on the same side of 0.5.</summary>
    public static bool IsCorrect(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets)
    {
        if (outputs.Length == 1)
        {
            return (outputs[0] >= 0.5f) == (targets[0] >= 0.5f);
        }

        return ArgMax(outputs) == ArgMax(targets);
    }

    /// <summary>The index of the largest value (the first of equals).</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Throws a one-line error when data of this shape cannot go through the network.</summary>
    public static void CheckShape(Network<float> network, int inputs, int outputs)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (inputs != network.InputCount || outputs != network.OutputCount)
        {
            throw new CliException(
                $"The data has {inputs} inputs and {outputs} outputs; the model takes {network.InputCount} inputs and gives {network.OutputCount} outputs.");
        }
    }
}
