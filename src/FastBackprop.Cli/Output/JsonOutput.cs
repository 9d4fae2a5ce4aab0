using System;
using System.IO;
using System.Text;
using System.Text.Json;

namespace FastBackprop.Cli.Output;

/// <summary>
/// Writes one JSON object as a single line to a text writer (what <c>--json</c> prints), with NaN and infinities as
/// null so that every JSON parser reads it.
/// </summary>
internal static class JsonOutput
{
    /// <summary>Writes the object <paramref name="body"/> fills in, then a newline.</summary>
    public static void Write(TextWriter output, Action<Utf8JsonWriter> body)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(body);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        output.Flush();
    }

    /// <summary>A number, or null when it is NaN or infinite.</summary>
    public static void Number(Utf8JsonWriter writer, string name, double value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>A string, or null.</summary>
    public static void Text(Utf8JsonWriter writer, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
