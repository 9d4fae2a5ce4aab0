using System;
using System.IO;
using System.IO.Compression;

namespace FastBackprop.Data;

/// <summary>Opening and reading the streams the data readers take, raw or gzip-compressed.</summary>
internal static class DataStreams
{
    /// <summary>The name error messages use for a stream: its file's path if it has one, else <paramref name="fallback"/>.</summary>
    public static string NameOf(Stream stream, string? name, string fallback) =>
        name ?? (stream as FileStream)?.Name ?? fallback;

    /// <summary>
    /// A stream of <paramref name="stream"/>'s content, decompressed if it starts with the gzip magic bytes 1F 8B
    /// (whatever the file is called). <paramref name="compressed"/> says which; the returned stream must be
    /// disposed, which leaves <paramref name="stream"/> open.
    /// </summary>
    public static Stream OpenDecompressed(Stream stream, out bool compressed)
    {
        var head = new byte[2];
        int got = ReadFully(stream, head);
        compressed = got == 2 && head[0] == 0x1F && head[1] == 0x8B;
        Stream whole = new PrefixedStream(head, got, stream);
        return compressed ? new GZipStream(whole, CompressionMode.Decompress, leaveOpen: true) : whole;
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    public static int ReadFully(Stream stream, Span<byte> buffer) => stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);

    /// <summary>
    /// Reads exactly <paramref name="length"/> bytes, allocating as the data arrives (doubling from at most 1 MiB)
    /// rather than trusting the length up front, so that a header claiming gigabytes over a short stream costs no
    /// more memory than the stream holds. Returns the bytes read, fewer than <paramref name="length"/> only if the
    /// stream ended first.
    /// </summary>
    public static byte[] ReadUpTo(Stream stream, int length, out int read)
    {
        var buffer = new byte[Math.Min(length, 1 << 20)];
        read = 0;
        while (true)
        {
            read += ReadFully(stream, buffer.AsSpan(read));
            if (read < buffer.Length || read == length)
            {
                return buffer;
            }

            Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, length));
        }
    }
}
