using System;
using System.IO;

namespace FastBackprop.Tests.Persistence;

/// <summary>Passes writes through to a stream until <paramref name="failAfter"/> bytes, then throws, as a full disk does.</summary>
internal sealed class FailingStream(Stream inner, long failAfter, bool failOnFlush = false) : Stream
{
    long _written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        long room = failAfter - _written;
        if (buffer.Length > room)
        {
            // Write what fits first, so the temporary file really is half written when the failure comes.
            inner.Write(buffer[..(int)Math.Max(0, room)]);
            _written = failAfter;
            throw new IOException($"Simulated failure after {failAfter} bytes.");
        }

        inner.Write(buffer);
        _written += buffer.Length;
    }

    public override void Flush()
    {
        if (failOnFlush)
        {
            throw new IOException("Simulated failure in Flush.");
        }

        inner.Flush();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
