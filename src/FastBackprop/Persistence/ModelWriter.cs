using System;
using System.Buffers.Binary;
using System.IO;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace FastBackprop.Persistence;

/// <summary>
/// Writes little-endian fields to a stream through one buffer, hashing every byte with SHA-256 on the way, and
/// ends with the hash. The whole file never sits in memory at once.
/// </summary>
internal sealed class ModelWriter : IDisposable
{
    const int BufferSize = 64 * 1024;

    readonly Stream _stream;
    readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    readonly byte[] _buffer = new byte[BufferSize];
    int _used;

    public ModelWriter(Stream stream) => _stream = stream;

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_used == _buffer.Length)
            {
                FlushBuffer();
            }

            int n = Math.Min(bytes.Length, _buffer.Length - _used);
            bytes[..n].CopyTo(_buffer.AsSpan(_used));
            _used += n;
            bytes = bytes[n..];
        }
    }

    public void WriteByte(byte value) => Reserve(1)[0] = value;

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), value);

    /// <summary>Writes float or double elements, each little-endian.</summary>
    public void WriteElements<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        foreach (T value in values)
        {
            if (typeof(T) == typeof(float))
            {
                BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), Unsafe.As<T, float>(ref Unsafe.AsRef(in value)));
            }
            else
            {
                BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), Unsafe.As<T, double>(ref Unsafe.AsRef(in value)));
            }
        }
    }

    /// <summary>Writes the SHA-256 of everything written so far and flushes the stream.</summary>
    public void WriteChecksumAndFlush()
    {
        FlushBuffer();
        Span<byte> digest = stackalloc byte[ModelFormat.ChecksumSize];
        _hash.GetHashAndReset(digest);
        _stream.Write(digest);
        _stream.Flush();
    }

    public void Dispose() => _hash.Dispose();

    Span<byte> Reserve(int bytes)
    {
        if (_buffer.Length - _used < bytes)
        {
            FlushBuffer();
        }

        Span<byte> span = _buffer.AsSpan(_used, bytes);
        _used += bytes;
        return span;
    }

    void FlushBuffer()
    {
        ReadOnlySpan<byte> data = _buffer.AsSpan(0, _used);
        _hash.AppendData(data);
        _stream.Write(data);
        _used = 0;
    }
}
