using System;
using System.Numerics;

namespace FastBackprop.Training;

/// <summary>
/// An in-memory set of examples: features [samples, inputs] and targets [samples, outputs], both row-major, copied
/// and checked (finite, consistent lengths) on construction so training never meets a bad value.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Dataset<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    readonly T[] _features;
    readonly T[] _targets;

    /// <summary>Copies and validates features and targets.</summary>
    /// <param name="features">[samples, <paramref name="inputCount"/>], row-major.</param>
    /// <param name="targets">[samples, <paramref name="outputCount"/>], row-major: one-hot rows or continuous values.</param>
    /// <param name="inputCount">Features per sample.</param>
    /// <param name="outputCount">Targets per sample.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive.</exception>
    /// <exception cref="ArgumentException">The lengths disagree, the set is empty, or a value is NaN or infinite (the message names its row and column).</exception>
    public Dataset(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, int inputCount, int outputCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputCount);
        if (features.IsEmpty || features.Length % inputCount != 0)
        {
            throw new ArgumentException(
                $"Expected a positive multiple of {inputCount} features (samples x {inputCount}), got {features.Length}.", nameof(features));
        }

        int samples = features.Length / inputCount;
        if (targets.Length != samples * outputCount)
        {
            throw new ArgumentException(
                $"Expected {samples} x {outputCount} = {samples * outputCount} targets for {samples} samples, got {targets.Length}.", nameof(targets));
        }

        CheckFinite(features, inputCount, nameof(features));
        CheckFinite(targets, outputCount, nameof(targets));
        _features = features.ToArray();
        _targets = targets.ToArray();
        SampleCount = samples;
        InputCount = inputCount;
        OutputCount = outputCount;
    }

    /// <summary>Copies and validates features and targets given as one array per sample.</summary>
    /// <param name="features">One row of features per sample, all as long as the first.</param>
    /// <param name="targets">One row of targets per sample, all as long as the first.</param>
    /// <exception cref="ArgumentNullException">An argument or a row is null.</exception>
    /// <exception cref="ArgumentException">
    /// A row's length differs from the first row's (the message names the row, the expected and the actual column
    /// count), the row counts differ, or as the span constructor.
    /// </exception>
    public Dataset(T[][] features, T[][] targets)
        : this(Flatten(features, nameof(features), out int inputs), Flatten(targets, nameof(targets), out int outputs), inputs, outputs)
    {
        if (features.Length != targets.Length)
        {
            throw new ArgumentException($"Expected {features.Length} target rows, one per feature row, got {targets.Length}.", nameof(targets));
        }
    }

    /// <summary>A classification set whose targets are the one-hot rows of <paramref name="labels"/>.</summary>
    /// <param name="features">[samples, <paramref name="inputCount"/>], row-major.</param>
    /// <param name="inputCount">Features per sample.</param>
    /// <param name="labels">One class per sample, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="classCount">Number of classes, at least 2; also the number of outputs.</param>
    /// <exception cref="ArgumentException">A label is out of range (the message names the sample), or as the constructor.</exception>
    public static Dataset<T> FromClassLabels(ReadOnlySpan<T> features, int inputCount, ReadOnlySpan<int> labels, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        var targets = new T[labels.Length * classCount];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentException($"labels[{i}] (row {i}) is {labels[i]}, outside [0, {classCount}).", nameof(labels));
            }

            targets[(i * classCount) + labels[i]] = T.One;
        }

        return new Dataset<T>(features, targets, inputCount, classCount);
    }

    /// <summary>Number of samples (rows).</summary>
    public int SampleCount { get; }

    /// <summary>Features per sample.</summary>
    public int InputCount { get; }

    /// <summary>Targets per sample.</summary>
    public int OutputCount { get; }

    /// <summary>All features, [<see cref="SampleCount"/>, <see cref="InputCount"/>] row-major.</summary>
    public ReadOnlySpan<T> Features => _features;

    /// <summary>All targets, [<see cref="SampleCount"/>, <see cref="OutputCount"/>] row-major.</summary>
    public ReadOnlySpan<T> Targets => _targets;

    /// <summary>The features of one sample.</summary>
    public ReadOnlySpan<T> FeatureRow(int sample) => _features.AsSpan(sample * InputCount, InputCount);

    /// <summary>The targets of one sample.</summary>
    public ReadOnlySpan<T> TargetRow(int sample) => _targets.AsSpan(sample * OutputCount, OutputCount);

    static T[] Flatten(T[][] rows, string name, out int columns)
    {
        ArgumentNullException.ThrowIfNull(rows, name);
        if (rows.Length == 0)
        {
            throw new ArgumentException("Expected at least one row, got none.", name);
        }

        columns = rows[0]?.Length ?? throw new ArgumentNullException(name, $"{name}[0] is null.");
        if (columns == 0)
        {
            throw new ArgumentException($"{name}[0] is empty; expected at least one column.", name);
        }

        var flat = new T[rows.Length * columns];
        for (int r = 0; r < rows.Length; r++)
        {
            T[] row = rows[r] ?? throw new ArgumentNullException(name, $"{name}[{r}] is null.");
            if (row.Length != columns)
            {
                throw new ArgumentException($"{name} row {r} has {row.Length} columns, expected {columns} (as row 0).", name);
            }

            row.CopyTo(flat, r * columns);
        }

        return flat;
    }

    static void CheckFinite(ReadOnlySpan<T> values, int columns, string name)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                throw new ArgumentException(
                    $"{name} at row {i / columns}, column {i % columns} is {values[i]}; every value must be finite.", name);
            }
        }
    }
}
