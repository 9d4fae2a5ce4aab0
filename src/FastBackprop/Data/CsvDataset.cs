using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Text;
using FastBackprop.Training;

namespace FastBackprop.Data;

/// <summary>
/// Reads a CSV file into a <see cref="Dataset{T}"/>: every column a feature except the target columns chosen by
/// <see cref="CsvDatasetOptions"/> (by header name, by index, or the last N), which hold class labels (made one-hot)
/// or regression values. Class labels are numbers 0, 1, 2, … or, given <see cref="CsvDatasetOptions.ClassNames"/>, names.
/// </summary>
/// <remarks>
/// Fields follow RFC 4180 (quotes around fields with delimiters, line breaks or doubled quotes), records end with
/// LF or CRLF, and blank lines are skipped. Numbers are read in the invariant culture ('.' as the decimal point),
/// may have spaces around them, and must be finite; class labels must be whole numbers from 0. Every record must
/// have as many fields as the first. Malformed input throws <see cref="InvalidDataException"/> naming the source,
/// the line and the column.
/// </remarks>
public static class CsvDataset
{
    // Labels are class numbers; a stray huge one would otherwise make a gigantic one-hot matrix.
    const int MaxInferredClasses = 1 << 16;

    /// <summary>Reads the CSV file at <paramref name="path"/> (UTF-8, or the encoding its byte order mark names).</summary>
    /// <exception cref="ArgumentException">The options contradict each other (the message says how).</exception>
    /// <exception cref="InvalidDataException">The file is malformed or does not fit the options; the message names the file, the line and column, what was expected and what came.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static Dataset<T> Read<T>(string path, CsvDatasetOptions? options = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckOptions(options ??= new CsvDatasetOptions());
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read<T>(file, options, path);
    }

    /// <summary>Reads CSV text from <paramref name="stream"/> to its end; the stream is left open.</summary>
    /// <param name="stream">A readable stream of UTF-8 text (or the encoding its byte order mark names).</param>
    /// <param name="options">Header, delimiter and targets; null for the defaults.</param>
    /// <param name="sourceName">What error messages call the stream (default: the file's path for a <see cref="FileStream"/>, else "stream").</param>
    /// <exception cref="ArgumentException">The options contradict each other.</exception>
    /// <exception cref="InvalidDataException">The text is malformed or does not fit the options; the message names the source, the line and column.</exception>
    public static Dataset<T> Read<T>(Stream stream, CsvDatasetOptions? options = null, string? sourceName = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckOptions(options ??= new CsvDatasetOptions());
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        return Read<T>(reader, options, DataStreams.NameOf(stream, sourceName, "stream"));
    }

    /// <summary>Reads CSV text from <paramref name="reader"/> to its end.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="options">Header, delimiter and targets; null for the defaults.</param>
    /// <param name="sourceName">What error messages call the text.</param>
    /// <exception cref="ArgumentException">The options contradict each other.</exception>
    /// <exception cref="InvalidDataException">The text is malformed or does not fit the options; the message names the source, the line and column.</exception>
    public static Dataset<T> Read<T>(TextReader reader, CsvDatasetOptions? options = null, string sourceName = "text")
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(reader);
        CheckOptions(options ??= new CsvDatasetOptions());
        string source = sourceName;
        var records = new CsvRecordReader(reader, options.Delimiter, source);
        var fields = new List<string>();
        var columns = new List<int>();
        if (!records.TryRead(fields, columns))
        {
            throw new InvalidDataException($"{source}: expected at least one record, but the text is empty.");
        }

        int columnCount = fields.Count;
        string[]? header = null;
        Dictionary<string, int>? classIndex = ClassIndex(options.ClassNames);
        if (options.Header == CsvHeader.Present || (options.Header == CsvHeader.Auto && !AllData(fields, classIndex)))
        {
            header = [.. fields];
            if (!records.TryRead(fields, columns))
            {
                throw new InvalidDataException($"{source}: expected data after the header (line {records.RecordLine}), but the text ends there.");
            }
        }

        int headerLine = header is null ? 0 : 1;
        bool[] isTarget = TargetColumns(options, header, columnCount, source, records.RecordLine, headerLine);
        int targetCount = 0;
        foreach (bool target in isTarget)
        {
            targetCount += target ? 1 : 0;
        }

        int featureCount = columnCount - targetCount;
        if (featureCount == 0)
        {
            throw new InvalidDataException($"{source}: every one of the {columnCount} columns is a target; expected at least one feature column.");
        }

        bool classify = options.Targets == CsvTargets.ClassLabel;
        var features = new List<T>();
        var targets = new List<T>();
        var labels = new List<int>();
        int classLimit = options.ClassCount ?? MaxInferredClasses;
        int firstDataLine = records.RecordLine;
        do
        {
            int line = records.RecordLine;
            if (fields.Count != columnCount)
            {
                throw new InvalidDataException(
                    $"{source}: line {line}: expected {columnCount} fields (as {(header is null ? "the first record" : "the header")} on line {(header is null ? firstDataLine : headerLine)}), got {fields.Count}.");
            }

            for (int c = 0; c < columnCount; c++)
            {
                string what = $"column {c + 1}{(header is null ? "" : $" ('{TextNumbers.Shorten(header[c])}')")}";
                if (!isTarget[c])
                {
                    features.Add(TextNumbers.Parse<T>(fields[c], source, line, columns[c], what));
                }
                else if (classIndex is not null)
                {
                    labels.Add(ParseClassName(fields[c], classIndex, options.ClassNames!, source, line, columns[c], what));
                }
                else if (classify)
                {
                    labels.Add(ParseLabel(fields[c], source, line, columns[c], what, classLimit, options.ClassCount is not null));
                }
                else
                {
                    targets.Add(TextNumbers.Parse<T>(fields[c], source, line, columns[c], what));
                }
            }
        }
        while (records.TryRead(fields, columns));

        if (!classify)
        {
            return new Dataset<T>(features.ToArray(), targets.ToArray(), featureCount, targetCount);
        }

        int classes = options.ClassNames?.Count ?? options.ClassCount ?? InferClassCount(labels, source);
        return Dataset<T>.FromClassLabels(features.ToArray(), featureCount, labels.ToArray(), classes);
    }

    static void CheckOptions(CsvDatasetOptions options)
    {
        if (options.ClassNames is { } names)
        {
            if (options.Targets != CsvTargets.ClassLabel || names.Count < 2 || (options.ClassCount is int n && n != names.Count))
            {
                throw new ArgumentException(
                    $"Expected ClassNames to name at least 2 classes, with class-label targets and no other ClassCount; got {names.Count} names, {options.Targets} targets, ClassCount {options.ClassCount?.ToString(CultureInfo.InvariantCulture) ?? "none"}.",
                    nameof(options));
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < names.Count; i++)
            {
                if (names[i] is null || !seen.Add(names[i].Trim()))
                {
                    throw new ArgumentException($"ClassNames[{i}] is {(names[i] is null ? "null" : $"'{names[i]}', named twice")}; expected distinct names.", nameof(options));
                }
            }
        }

        if (options.Delimiter is '"' or '\r' or '\n')
        {
            throw new ArgumentException($"Expected a delimiter other than a quote, CR or LF, got '{options.Delimiter}'.", nameof(options));
        }

        if (options.TargetColumnName is not null && options.TargetColumnIndex is not null)
        {
            throw new ArgumentException(
                $"Expected TargetColumnName or TargetColumnIndex, not both (got '{options.TargetColumnName}' and {options.TargetColumnIndex}).", nameof(options));
        }

        if (options.TargetColumnName is not null && options.Header == CsvHeader.Absent)
        {
            throw new ArgumentException(
                $"TargetColumnName '{options.TargetColumnName}' needs a header, but Header is Absent; give TargetColumnIndex instead.", nameof(options));
        }

        if (options.TargetColumnIndex < 0)
        {
            throw new ArgumentException($"Expected a TargetColumnIndex of at least 0, got {options.TargetColumnIndex}.", nameof(options));
        }

        if (options.TargetColumnCount < 1 || (options.Targets == CsvTargets.ClassLabel && options.TargetColumnCount != 1))
        {
            throw new ArgumentException(
                $"Expected a TargetColumnCount of {(options.Targets == CsvTargets.ClassLabel ? "1 for class labels" : "at least 1")}, got {options.TargetColumnCount}.",
                nameof(options));
        }

        if (options.ClassCount is int count && (count < 2 || options.Targets != CsvTargets.ClassLabel))
        {
            throw new ArgumentException(
                $"Expected a ClassCount of at least 2 with class-label targets (or none), got {count} with {options.Targets} targets.", nameof(options));
        }
    }

    static bool[] TargetColumns(CsvDatasetOptions options, string[]? header, int columnCount, string source, int dataLine, int headerLine)
    {
        var isTarget = new bool[columnCount];
        if (options.TargetColumnName is string name)
        {
            if (header is null)
            {
                throw new InvalidDataException(
                    $"{source}: expected a header naming the target column '{name}', but line {dataLine} holds only numbers (set Header to Present if it is the header).");
            }

            int found = -1;
            for (int c = 0; c < header.Length; c++)
            {
                if (string.Equals(header[c].Trim(), name, StringComparison.Ordinal))
                {
                    if (found >= 0)
                    {
                        throw new InvalidDataException(
                            $"{source}: line {headerLine}: the header names '{name}' twice (columns {found + 1} and {c + 1}); expected the target column once.");
                    }

                    found = c;
                }
            }

            if (found < 0)
            {
                throw new InvalidDataException(
                    $"{source}: line {headerLine}: expected a column named '{name}' in the header, got {string.Join(", ", Quoted(header))}.");
            }

            isTarget[found] = true;
        }
        else if (options.TargetColumnIndex is int index)
        {
            if (index >= columnCount)
            {
                throw new InvalidDataException(
                    $"{source}: line {(header is null ? dataLine : headerLine)}: expected a column at index {index} (0-based), but the records have {columnCount} columns.");
            }

            isTarget[index] = true;
        }
        else
        {
            if (options.TargetColumnCount > columnCount)
            {
                throw new InvalidDataException(
                    $"{source}: expected the last {options.TargetColumnCount} columns to be targets, but the records have {columnCount} columns.");
            }

            for (int c = columnCount - options.TargetColumnCount; c < columnCount; c++)
            {
                isTarget[c] = true;
            }
        }

        return isTarget;
    }

    static int ParseLabel(string text, string source, int line, int column, string what, int limit, bool limitGiven)
    {
        ReadOnlySpan<char> trimmed = text.AsSpan().Trim();
        if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            || value < 0 || value != Math.Floor(value))
        {
            throw new InvalidDataException(
                $"{source}: line {line}, column {column}: expected a class label (a whole number from 0) in {what}, got '{TextNumbers.Shorten(text)}'.");
        }

        if (value >= limit)
        {
            throw new InvalidDataException(limitGiven
                ? $"{source}: line {line}, column {column}: class label {value} in {what} is outside [0, {limit}) (ClassCount is {limit})."
                : $"{source}: line {line}, column {column}: class label {value} in {what} is {limit} or more; expected fewer classes (give ClassCount if they are really that many).");
        }

        return (int)value;
    }

    static Dictionary<string, int>? ClassIndex(IReadOnlyList<string>? names)
    {
        if (names is null)
        {
            return null;
        }

        var index = new Dictionary<string, int>(names.Count, StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            index[names[i].Trim()] = i;
        }

        return index;
    }

    static int ParseClassName(string text, Dictionary<string, int> index, IReadOnlyList<string> names, string source, int line, int column, string what)
    {
        if (index.TryGetValue(text.Trim(), out int label))
        {
            return label;
        }

        throw new InvalidDataException(
            $"{source}: line {line}, column {column}: expected one of the class names {string.Join(", ", Quoted(names))} in {what}, got '{TextNumbers.Shorten(text)}'.");
    }

    static int InferClassCount(List<int> labels, string source)
    {
        int max = 0;
        foreach (int label in labels)
        {
            max = Math.Max(max, label);
        }

        if (max == 0)
        {
            throw new InvalidDataException($"{source}: every class label is 0; expected at least two classes (or give ClassCount).");
        }

        return max + 1;
    }

    // Whether every field could be data: a number or one of the class names.
    static bool AllData(List<string> fields, Dictionary<string, int>? classIndex)
    {
        foreach (string field in fields)
        {
            if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                && classIndex?.ContainsKey(field.Trim()) != true)
            {
                return false;
            }
        }

        return true;
    }

    static IEnumerable<string> Quoted(IEnumerable<string> header)
    {
        foreach (string name in header)
        {
            yield return $"'{TextNumbers.Shorten(name)}'";
        }
    }
}
