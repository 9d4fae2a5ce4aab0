using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace FastBackprop.Cli.Commands.Predict;

/// <summary>
/// Reads the rows of numbers <c>predict</c> takes: comma-separated, invariant culture, every row as wide as the
/// model's input, an optional header line (recognised by a field that is not a number), blank lines skipped.
/// </summary>
internal static class CsvFeatureReader
{
    /// <summary>The features, row-major, and the row count.</summary>
    /// <exception cref="InvalidDataException">A row of the wrong width or a field that is not a number, named by line and column.</exception>
    public static (float[] Features, int Rows) Read(TextReader reader, string sourceName, int columns)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var values = new List<float>();
        int rows = 0, lineNumber = 0;
        bool firstContentLine = true;
        while (reader.ReadLine() is string line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string[] fields = line.Split(',');
            if (firstContentLine)
            {
                firstContentLine = false;
                if (!float.TryParse(fields[0].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    continue; // a header
                }
            }

            if (fields.Length != columns)
            {
                throw new InvalidDataException(
                    $"{sourceName}, line {lineNumber}: expected {columns} comma-separated values (the model's inputs), got {fields.Length}.");
            }

            for (int c = 0; c < fields.Length; c++)
            {
                string field = fields[c].Trim();
                if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
                {
                    throw new InvalidDataException(
                        $"{sourceName}, line {lineNumber}, column {c + 1}: expected a finite number, got '{field}'.");
                }

                values.Add(value);
            }

            rows++;
        }

        return (values.ToArray(), rows);
    }
}
