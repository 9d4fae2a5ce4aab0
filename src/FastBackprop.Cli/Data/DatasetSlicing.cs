using System;
using FastBackprop.Cli.Common;
using FastBackprop.Training;

namespace FastBackprop.Cli.Data;

/// <summary>Takes the first rows of a data set, or splits off a seeded random validation part.</summary>
internal static class DatasetSlicing
{
    /// <summary>The first <paramref name="count"/> samples (all of them if there are fewer).</summary>
    public static Dataset<float> Take(Dataset<float> data, int count)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (count >= data.SampleCount)
        {
            return data;
        }

        return new Dataset<float>(
            data.Features[..(count * data.InputCount)], data.Targets[..(count * data.OutputCount)], data.InputCount, data.OutputCount);
    }

    /// <summary>
    /// Splits <paramref name="data"/> into training and validation parts, the validation part being
    /// <paramref name="fraction"/> of the samples drawn by a seeded shuffle.
    /// </summary>
    /// <exception cref="CliException">The fraction is not in (0, 1) or leaves either part empty.</exception>
    public static (Dataset<float> Training, Dataset<float> Validation) Split(Dataset<float> data, double fraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        int validationCount = (int)Math.Round(data.SampleCount * fraction);
        if (!(fraction > 0 && fraction < 1) || validationCount < 1 || validationCount >= data.SampleCount)
        {
            throw new CliException(
                $"--validation-split: expected a fraction in (0, 1) leaving samples on both sides of {data.SampleCount}, got {fraction}.");
        }

        int[] order = new int[data.SampleCount];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var random = new SeededRandom(unchecked((ulong)seed) ^ 0x5EED5EED5EED5EEDUL);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return (Gather(data, order.AsSpan(validationCount)), Gather(data, order.AsSpan(0, validationCount)));
    }

    static Dataset<float> Gather(Dataset<float> data, ReadOnlySpan<int> rows)
    {
        int inputs = data.InputCount, outputs = data.OutputCount;
        float[] features = new float[rows.Length * inputs], targets = new float[rows.Length * outputs];
        for (int r = 0; r < rows.Length; r++)
        {
            data.FeatureRow(rows[r]).CopyTo(features.AsSpan(r * inputs, inputs));
            data.TargetRow(rows[r]).CopyTo(targets.AsSpan(r * outputs, outputs));
        }

        return new Dataset<float>(features, targets, inputs, outputs);
    }
}
