using System.Collections.Generic;

namespace FastBackprop.Data;

/// <summary>
/// How <see cref="CsvDataset"/> reads a file: the header, the delimiter, and which columns are targets. By default:
/// header detected, comma-separated, the last column a class label (classes inferred), every other column a feature.
/// </summary>
public sealed class CsvDatasetOptions
{
    /// <summary>Whether the first record names the columns (default: <see cref="CsvHeader.Auto"/>).</summary>
    public CsvHeader Header { get; init; } = CsvHeader.Auto;

    /// <summary>The field separator (default ','); not a quote, CR or LF.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>What the target columns hold (default: <see cref="CsvTargets.ClassLabel"/>).</summary>
    public CsvTargets Targets { get; init; } = CsvTargets.ClassLabel;

    /// <summary>The one target column, by its name in the header (needs a header). At most one of this and <see cref="TargetColumnIndex"/>.</summary>
    public string? TargetColumnName { get; init; }

    /// <summary>The one target column, by its 0-based index. At most one of this and <see cref="TargetColumnName"/>.</summary>
    public int? TargetColumnIndex { get; init; }

    /// <summary>
    /// With neither <see cref="TargetColumnName"/> nor <see cref="TargetColumnIndex"/>: how many of the last columns are
    /// targets (default 1; more than 1 only for <see cref="CsvTargets.Regression"/>).
    /// </summary>
    public int TargetColumnCount { get; init; } = 1;

    /// <summary>For <see cref="CsvTargets.ClassLabel"/>: the number of classes (at least 2), or null to infer it as the largest label + 1.</summary>
    public int? ClassCount { get; init; }

    /// <summary>
    /// For <see cref="CsvTargets.ClassLabel"/> with labels written as names ("setosa", "versicolor", …): the names,
    /// class i being <c>ClassNames[i]</c> (compared ordinally, spaces around a field ignored). Null (the default)
    /// for class numbers. Implies the class count.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }
}
