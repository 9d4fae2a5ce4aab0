using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.Text;

namespace FastBackprop.Peers;

/// <summary>Writes a float32 array as a NumPy .npy file (format 1.0, little-endian, C order).</summary>
internal static class NpyWriter
{
    public static void Write(string path, ReadOnlySpan<float> values, params int[] shape)
    {
        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
        }

        if (count != values.Length)
        {
            throw new ArgumentException($"Expected {count} values for shape ({string.Join(", ", shape)}), but got {values.Length}.", nameof(values));
        }

        string dims = shape.Length switch
        {
            0 => "()",
            1 => string.Create(CultureInfo.InvariantCulture, $"({shape[0]},)"),
            _ => "(" + string.Join(", ", shape) + ")",
        };
        string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + dims + ", }";

        // Magic (6) + version (2) + header length (2) + header, padded with spaces and a newline to a multiple of 64.
        int unpadded = 10 + dict.Length + 1;
        string header = dict + new string(' ', (64 - (unpadded % 64)) % 64) + "\n";

        byte[] data = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), values[i]);
        }

        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        byte[] headerBytes = Encoding.ASCII.GetBytes(header);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)headerBytes.Length);
        file.Write(length);
        file.Write(headerBytes);
        file.Write(data);
    }
}
