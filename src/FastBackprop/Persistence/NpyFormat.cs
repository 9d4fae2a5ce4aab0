using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.Text;

namespace FastBackprop.Persistence;

/// <summary>
/// NumPy's .npy array format (numpy.lib.format, versions 1.0 to 3.0) for the float32 and float64 arrays of an
/// .npz: a magic string, a version, a header length, a Python dict literal with 'descr', 'fortran_order' and
/// 'shape', then the raw elements.
/// </summary>
internal static class NpyFormat
{
    /// <summary>The longest header accepted: NumPy's own reader refuses longer ones too (its default max_header_size is 10,000).</summary>
    const int MaxHeaderLength = 64 * 1024;

    static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>What an array's header says.</summary>
    /// <param name="ElementSize">4 for float32, 8 for float64.</param>
    /// <param name="LittleEndian">The byte order of the elements.</param>
    /// <param name="FortranOrder">True when the elements are stored column-major.</param>
    /// <param name="Shape">The dimensions.</param>
    internal readonly record struct Header(int ElementSize, bool LittleEndian, bool FortranOrder, long[] Shape);

    /// <summary>Writes a version 1.0 header for a C-order little-endian array, padded so the data start at a multiple of 64 bytes.</summary>
    public static void WriteHeader(Stream stream, int elementSize, ReadOnlySpan<int> shape)
    {
        var dict = new StringBuilder();
        dict.Append("{'descr': '<f").Append(elementSize.ToString(CultureInfo.InvariantCulture)).Append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.Length; i++)
        {
            dict.Append(shape[i].ToString(CultureInfo.InvariantCulture)).Append(shape.Length == 1 ? "," : i < shape.Length - 1 ? ", " : "");
        }

        dict.Append("), }");

        // magic (6) + version (2) + length (2) + dict + spaces + '\n' is a multiple of 64, as NumPy writes it.
        int unpadded = 10 + dict.Length + 1;
        dict.Append(' ', (64 - (unpadded % 64)) % 64).Append('\n');
        byte[] text = Encoding.ASCII.GetBytes(dict.ToString());
        Span<byte> prefix = stackalloc byte[10];
        Magic.CopyTo(prefix);
        prefix[6] = 1;
        prefix[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(prefix[8..], (ushort)text.Length);
        stream.Write(prefix);
        stream.Write(text);
    }

    /// <summary>Reads and checks an array's header; <paramref name="name"/> names the array in messages.</summary>
    public static Header ReadHeader(Stream stream, string name)
    {
        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(stream, prefix, name, "the .npy magic and version");
        if (!prefix[..6].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"Array '{name}' is not a .npy array: it starts with {Convert.ToHexString(prefix[..6])}, expected {Convert.ToHexString(Magic)} (\\x93NUMPY).");
        }

        byte major = prefix[6];
        int header;
        if (major == 1)
        {
            Span<byte> length = stackalloc byte[2];
            ReadExactly(stream, length, name, "the header length");
            header = BinaryPrimitives.ReadUInt16LittleEndian(length);
        }
        else if (major is 2 or 3)
        {
            Span<byte> length = stackalloc byte[4];
            ReadExactly(stream, length, name, "the header length");
            uint value = BinaryPrimitives.ReadUInt32LittleEndian(length);
            if (value > MaxHeaderLength)
            {
                throw new InvalidDataException($"Array '{name}' has a {value}-byte .npy header; at most {MaxHeaderLength} bytes are accepted.");
            }

            header = (int)value;
        }
        else
        {
            throw new InvalidDataException($"Array '{name}' is .npy format version {major}.{prefix[7]}; versions 1.0 to 3.0 are read.");
        }

        byte[] text = new byte[header];
        ReadExactly(stream, text, name, "the header");

        // Version 3.0 allows UTF-8 in the header; the keys and values read here are ASCII either way.
        return ParseDict(Encoding.UTF8.GetString(text), name);
    }

    /// <summary>Reads exactly <paramref name="destination"/>'s length of bytes or says the array is truncated.</summary>
    public static void ReadExactly(Stream stream, Span<byte> destination, string name, string what)
    {
        int read = stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
        if (read < destination.Length)
        {
            throw new InvalidDataException($"Array '{name}' is truncated: {what} needs {destination.Length} bytes, but only {read} are left.");
        }
    }

    /// <summary>Parses the Python dict literal NumPy writes, for instance <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c>.</summary>
    static Header ParseDict(string text, string name)
    {
        string? descr = null;
        bool? fortran = null;
        long[]? shape = null;
        var p = new DictParser(text, name);
        p.Expect('{');
        while (true)
        {
            p.SkipSpace();
            if (p.TryTake('}'))
            {
                break;
            }

            string key = p.ReadString();
            p.Expect(':');
            switch (key)
            {
                case "descr":
                    descr = p.ReadString();
                    break;
                case "fortran_order":
                    fortran = p.ReadBool();
                    break;
                case "shape":
                    shape = p.ReadTuple();
                    break;
                default:
                    throw new InvalidDataException($"Array '{name}' has an unknown key '{key}' in its .npy header.");
            }

            p.SkipSpace();
            if (!p.TryTake(','))
            {
                p.Expect('}');
                break;
            }
        }

        if (descr is null || fortran is null || shape is null)
        {
            throw new InvalidDataException($"Array '{name}''s .npy header lacks {(descr is null ? "'descr'" : fortran is null ? "'fortran_order'" : "'shape'")}.");
        }

        // '<' little-endian, '>' big-endian, '=' native (NumPy writes '<' or '>' but reads '='), '|' only for one-byte types.
        bool little = descr.Length == 3 && descr[0] switch
        {
            '<' => true,
            '>' => false,
            '=' => BitConverter.IsLittleEndian,
            _ => throw UnsupportedType(name, descr),
        };
        int size = descr.AsSpan(1) switch
        {
            "f4" => 4,
            "f8" => 8,
            _ => throw UnsupportedType(name, descr),
        };
        return new Header(size, little, fortran.Value, shape);
    }

    static InvalidDataException UnsupportedType(string name, string descr) =>
        new($"Array '{name}' has element type '{descr}'; float32 ('<f4', '>f4') and float64 ('<f8', '>f8') are read.");

    /// <summary>A cursor over a header's dict literal.</summary>
    ref struct DictParser(string text, string name)
    {
        int _at;

        public void SkipSpace()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }
        }

        public bool TryTake(char c)
        {
            SkipSpace();
            if (_at < text.Length && text[_at] == c)
            {
                _at++;
                return true;
            }

            return false;
        }

        public void Expect(char c)
        {
            if (!TryTake(c))
            {
                throw Bad($"expected '{c}'");
            }
        }

        public string ReadString()
        {
            SkipSpace();
            if (_at >= text.Length || text[_at] is not ('\'' or '"'))
            {
                throw Bad("expected a quoted string");
            }

            char quote = text[_at++];
            int end = text.IndexOf(quote, _at);
            if (end < 0)
            {
                throw Bad("unterminated string");
            }

            string value = text[_at..end];
            _at = end + 1;
            return value;
        }

        public bool ReadBool()
        {
            SkipSpace();
            if (text.AsSpan(_at).StartsWith("True"))
            {
                _at += 4;
                return true;
            }

            if (text.AsSpan(_at).StartsWith("False"))
            {
                _at += 5;
                return false;
            }

            throw Bad("expected True or False");
        }

        public long[] ReadTuple()
        {
            Expect('(');
            long[] values = new long[4];
            int count = 0;
            while (!TryTake(')'))
            {
                SkipSpace();
                int start = _at;
                while (_at < text.Length && char.IsAsciiDigit(text[_at]))
                {
                    _at++;
                }

                if (_at == start || _at - start > 18)
                {
                    throw Bad("expected a dimension (a non-negative integer)");
                }

                if (count == values.Length)
                {
                    throw Bad($"more than {values.Length} dimensions");
                }

                values[count++] = long.Parse(text.AsSpan(start, _at - start), CultureInfo.InvariantCulture);
                if (!TryTake(','))
                {
                    Expect(')');
                    break;
                }
            }

            return values.AsSpan(0, count).ToArray();
        }

        readonly InvalidDataException Bad(string what) =>
            new($"Array '{name}' has a malformed .npy header ({what} at character {_at}): {text.TrimEnd()}");
    }
}
