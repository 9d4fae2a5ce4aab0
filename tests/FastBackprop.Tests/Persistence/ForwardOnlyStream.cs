using System;
using System.IO;

namespace FastBackprop.Tests.Persistence;

/// <summary>A read-only stream that cannot seek or tell its length, like a pipe or a network stream.</summary>
internal sealed class ForwardOnlyStream(byte[] data) : Stream
{
    int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        // A few bytes at a time, as a slow pipe delivers them.
        int n = Math.Min(Math.Min(count, 7), data.Length - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
