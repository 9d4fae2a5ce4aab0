using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Text;
using FastBackprop.Persistence;
using FastBackprop.Training;

namespace FastBackprop.Data;

/// <summary>
/// Reads and writes FANN's training data files (<c>.data</c>, as <c>fann_read_train_from_file</c> and
/// <c>fann_save_train</c> use them): a first line <c>pairs inputs outputs</c>, then for each pair one line of
/// <c>inputs</c> numbers and one line of <c>outputs</c> numbers, separated by spaces or tabs.
/// </summary>
/// <remarks>
/// The reader holds each sample to its lines (FANN's writer always does), so that a row with a missing or extra
/// number is reported at its own line rather than as a shifted file; blank lines are skipped. Numbers are read in
/// the invariant culture and must be finite. The writer uses the shortest text that reads back to the same
/// value, so a round trip is exact.
/// </remarks>
public static class FannDataFile
{
    /// <summary>Reads the FANN data file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is malformed; the message names the file, the line and column, what was expected and what came.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static Dataset<T> Read<T>(string path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read<T>(file, path);
    }

    /// <summary>Reads FANN training data (UTF-8 or ASCII text) from <paramref name="stream"/> to its end; the stream is left open.</summary>
    /// <param name="stream">A readable stream.</param>
    /// <param name="sourceName">What error messages call the stream (default: the file's path for a <see cref="FileStream"/>, else "stream").</param>
    /// <exception cref="InvalidDataException">The data is malformed; the message names the source, the line and column, what was expected and what came.</exception>
    public static Dataset<T> Read<T>(Stream stream, string? sourceName = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        string source = DataStreams.NameOf(stream, sourceName, "stream");
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        int lineNumber = 0;

        string header = NextLine(reader, ref lineNumber)
            ?? throw new InvalidDataException($"{source}: expected a first line 'pairs inputs outputs', but the file is empty.");
        var fields = new List<Range>(3);
        Split(header, fields);
        if (fields.Count != 3)
        {
            throw new InvalidDataException(
                $"{source}: line {lineNumber}: expected 3 numbers 'pairs inputs outputs', got {fields.Count} ('{TextNumbers.Shorten(header)}').");
        }

        int pairs = TextNumbers.ParseCount(header.AsSpan()[fields[0]], source, lineNumber, fields[0].Start.Value + 1, "the number of pairs", 1);
        int inputs = TextNumbers.ParseCount(header.AsSpan()[fields[1]], source, lineNumber, fields[1].Start.Value + 1, "the number of inputs", 1);
        int outputs = TextNumbers.ParseCount(header.AsSpan()[fields[2]], source, lineNumber, fields[2].Start.Value + 1, "the number of outputs", 1);
        if ((long)pairs * Math.Max(inputs, outputs) > Array.MaxLength)
        {
            throw new InvalidDataException(
                $"{source}: line {lineNumber}: {pairs} pairs of {inputs} inputs and {outputs} outputs are more values than one array holds.");
        }

        // Sized by what the file turns out to hold, not by what its header claims.
        var features = new List<T>(Math.Min(pairs * inputs, 1 << 16));
        var targets = new List<T>(Math.Min(pairs * outputs, 1 << 16));
        for (int pair = 0; pair < pairs; pair++)
        {
            ReadRow(reader, ref lineNumber, fields, features, inputs, source, pair, pairs, "input");
            ReadRow(reader, ref lineNumber, fields, targets, outputs, source, pair, pairs, "output");
        }

        if (NextLine(reader, ref lineNumber) is string extra)
        {
            throw new InvalidDataException(
                $"{source}: line {lineNumber}: expected the end of the file after the {pairs} pairs the first line announces, got '{TextNumbers.Shorten(extra)}'.");
        }

        return new Dataset<T>(features.ToArray(), targets.ToArray(), inputs, outputs);
    }

    /// <summary>Writes <paramref name="data"/> to <paramref name="path"/> in FANN's format, atomically: a failure leaves any existing file as it was.</summary>
    public static void Write<T>(string path, Dataset<T> data)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(data);
        AtomicFile.Write(path, stream => Write(stream, data));
    }

    /// <summary>Writes <paramref name="data"/> to <paramref name="stream"/> in FANN's format (ASCII, '\n' line ends); the stream is left open.</summary>
    public static void Write<T>(Stream stream, Dataset<T> data)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(data);
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16, leaveOpen: true);
        writer.NewLine = "\n";
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{data.SampleCount} {data.InputCount} {data.OutputCount}"));
        for (int i = 0; i < data.SampleCount; i++)
        {
            WriteRow(writer, data.FeatureRow(i));
            WriteRow(writer, data.TargetRow(i));
        }
    }

    static void WriteRow<T>(StreamWriter writer, ReadOnlySpan<T> row)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Span<char> buffer = stackalloc char[64];
        for (int j = 0; j < row.Length; j++)
        {
            if (j > 0)
            {
                writer.Write(' ');
            }

            // .NET's default format is the shortest text that parses back to the same value ("R").
            if (!row[j].TryFormat(buffer, out int written, default, CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException("A number did not fit in 64 characters.");
            }

            writer.Write(buffer[..written]);
        }

        writer.WriteLine();
    }

    static void ReadRow<T>(StreamReader reader, ref int lineNumber, List<Range> fields, List<T> values, int count, string source, int pair, int pairs, string what)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        string line = NextLine(reader, ref lineNumber)
            ?? throw new InvalidDataException(
                $"{source}: expected {pairs} pairs (as line 1 says), but the file ends after {pair}{(what == "output" ? " and the inputs of the next" : "")} (line {lineNumber}).");
        Split(line, fields);
        if (fields.Count != count)
        {
            throw new InvalidDataException(
                $"{source}: line {lineNumber}: expected {count} {what} values for pair {pair + 1}, got {fields.Count}.");
        }

        for (int k = 0; k < count; k++)
        {
            Range field = fields[k];
            values.Add(TextNumbers.Parse<T>(line.AsSpan()[field], source, lineNumber, field.Start.Value + 1, $"{what} {k + 1} of pair {pair + 1}"));
        }
    }

    // The next line that is not blank, counting every line read.
    static string? NextLine(StreamReader reader, ref int lineNumber)
    {
        while (reader.ReadLine() is string line)
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                return line;
            }
        }

        return null;
    }

    // The whitespace-separated fields of a line, as ranges (so that errors can give their columns).
    static void Split(string line, List<Range> fields)
    {
        fields.Clear();
        int i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            int start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            if (i > start)
            {
                fields.Add(new Range(start, i));
            }
        }
    }
}
