using System;
using System.Buffers.Binary;
using System.IO;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace FastBackprop.Persistence;

/// <summary>
/// Reads little-endian fields from a stream whose length is known, hashing every byte read with SHA-256.
/// Every read first checks that the bytes it needs, plus the checksum at the end, are still in the file, so a
/// count read from the file can be checked with <see cref="EnsureAvailable"/> before anything is allocated for it.
/// </summary>
internal sealed class ModelReader : IDisposable
{
    const int MaxBufferSize = 64 * 1024;

    readonly Stream _stream;
    readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    readonly byte[] _buffer;
    readonly long _length;
    long _position;

    /// <param name="stream">Positioned at the start of the file; seekable, so that its length is known.</param>
    public ModelReader(Stream stream)
    {
        _stream = stream;
        _length = stream.Length - stream.Position;
        _buffer = new byte[(int)Math.Clamp(_length, 512, MaxBufferSize)];
    }

    /// <summary>Bytes in the file, from the position the stream had when the reader was made.</summary>
    public long Length => _length;

    /// <summary>Bytes read so far: the offset of the next field.</summary>
    public long Position => _position;

    /// <summary>Bytes left before the checksum.</summary>
    public long RemainingBeforeChecksum => _length - ModelFormat.ChecksumSize - _position;

    /// <summary>Throws unless <paramref name="bytes"/> more bytes lie between here and the checksum.</summary>
    public void EnsureAvailable(long bytes, string what)
    {
        if (bytes > RemainingBeforeChecksum)
        {
            throw Truncated(bytes, what);
        }
    }

    public byte ReadByte(string what) => Read(1, what)[0];

    public ushort ReadUInt16(string what) => BinaryPrimitives.ReadUInt16LittleEndian(Read(2, what));

    public int ReadInt32(string what) => BinaryPrimitives.ReadInt32LittleEndian(Read(4, what));

    public long ReadInt64(string what) => BinaryPrimitives.ReadInt64LittleEndian(Read(8, what));

    public ulong ReadUInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Read(8, what));

    public double ReadDouble(string what) => BinaryPrimitives.ReadDoubleLittleEndian(Read(8, what));

    /// <summary>Reads <paramref name="count"/> bytes into the reader's buffer and returns them (valid until the next read).</summary>
    /// <param name="count">Bytes to read, at most the buffer's size (512 bytes or the file's length).</param>
    /// <param name="what">Names the field in the message of a truncated file.</param>
    /// <param name="checkChecksumRoom">False to require only that the bytes are in the file, checksum or not.</param>
    public ReadOnlySpan<byte> Read(int count, string what, bool checkChecksumRoom = true)
    {
        if (checkChecksumRoom)
        {
            EnsureAvailable(count, what);
        }
        else if (count > _length - _position)
        {
            throw Truncated(count, what);
        }

        Span<byte> span = _buffer.AsSpan(0, count);
        Fill(span, what);
        return span;
    }

    /// <summary>Reads float or double elements, each little-endian, into <paramref name="destination"/>.</summary>
    public void ReadElements<T>(Span<T> destination, string what)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int size = Unsafe.SizeOf<T>();
        EnsureAvailable((long)destination.Length * size, what);
        int perChunk = _buffer.Length / size;
        while (!destination.IsEmpty)
        {
            int n = Math.Min(perChunk, destination.Length);
            Span<byte> bytes = _buffer.AsSpan(0, n * size);
            Fill(bytes, what);
            for (int i = 0; i < n; i++)
            {
                if (typeof(T) == typeof(float))
                {
                    float value = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * 4, 4));
                    destination[i] = Unsafe.As<float, T>(ref value);
                }
                else
                {
                    double value = BinaryPrimitives.ReadDoubleLittleEndian(bytes.Slice(i * 8, 8));
                    destination[i] = Unsafe.As<double, T>(ref value);
                }
            }

            destination = destination[n..];
        }
    }

    /// <summary>Reads and hashes <paramref name="bytes"/> bytes without keeping them.</summary>
    public void Skip(long bytes, string what)
    {
        EnsureAvailable(bytes, what);
        while (bytes > 0)
        {
            int n = (int)Math.Min(bytes, _buffer.Length);
            Fill(_buffer.AsSpan(0, n), what);
            bytes -= n;
        }
    }

    /// <summary>
    /// Checks that only the checksum is left and that it is the SHA-256 of every byte before it.
    /// </summary>
    public void VerifyChecksum()
    {
        long extra = RemainingBeforeChecksum;
        if (extra != 0)
        {
            throw new InvalidDataException(
                $"The model file has {extra} unexpected bytes after its last section (at offset {_position}); the header does not describe them.");
        }

        Span<byte> expected = stackalloc byte[ModelFormat.ChecksumSize];
        _hash.GetHashAndReset(expected);
        Span<byte> stored = _buffer.AsSpan(0, ModelFormat.ChecksumSize);
        FillUnhashed(stored, "the checksum");
        if (!expected.SequenceEqual(stored))
        {
            throw new InvalidDataException(
                $"The model file's checksum does not match its contents: the SHA-256 of bytes 0 to {_position - 1} is {Convert.ToHexStringLower(expected)}, but the file stores {Convert.ToHexStringLower(stored)}. The file is damaged.");
        }
    }

    public void Dispose() => _hash.Dispose();

    InvalidDataException Truncated(long bytes, string what)
    {
        long left = Math.Max(0, RemainingBeforeChecksum);
        return new InvalidDataException(
            $"The model file is truncated or a count in it is wrong: {what} at offset {_position} needs {bytes} bytes, but only {left} remain before the {ModelFormat.ChecksumSize}-byte checksum (file length {_length}).");
    }

    void Fill(Span<byte> span, string what)
    {
        FillUnhashed(span, what);
        _hash.AppendData(span);
    }

    void FillUnhashed(Span<byte> span, string what)
    {
        int read = _stream.ReadAtLeast(span, span.Length, throwOnEndOfStream: false);
        if (read < span.Length)
        {
            // The stream ended before the length it reported: the file shrank while it was read.
            throw new InvalidDataException(
                $"The model file ended early: {what} at offset {_position} needs {span.Length} bytes, but the stream gave {read}.");
        }

        _position += span.Length;
    }
}
