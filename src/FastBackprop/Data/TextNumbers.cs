using System;
using System.Globalization;
using System.IO;
using System.Numerics;

namespace FastBackprop.Data;

/// <summary>Number parsing shared by the text readers: invariant culture, finite values only, errors that say where.</summary>
internal static class TextNumbers
{
    /// <summary>Parses <paramref name="text"/> as a finite number, or throws naming the source, line and column.</summary>
    public static T Parse<T>(ReadOnlySpan<char> text, string source, int line, int column, string what)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out T value))
        {
            throw new InvalidDataException(
                $"{source}: line {line}, column {column}: expected a number for {what}, got '{Shorten(text)}'.");
        }

        if (!T.IsFinite(value))
        {
            throw new InvalidDataException(
                $"{source}: line {line}, column {column}: {what} is '{Shorten(text)}'; expected a finite number.");
        }

        return value;
    }

    /// <summary>Parses <paramref name="text"/> as an integer in [<paramref name="min"/>, int.MaxValue], or throws naming the source, line and column.</summary>
    public static int ParseCount(ReadOnlySpan<char> text, string source, int line, int column, string what, int min)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min)
        {
            throw new InvalidDataException(
                $"{source}: line {line}, column {column}: expected an integer of at least {min} for {what}, got '{Shorten(text)}'.");
        }

        return value;
    }

    /// <summary>A value quoted in a message, cut short so that a garbage line cannot make a megabyte message.</summary>
    public static string Shorten(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : string.Concat(text[..37], "...");
}
