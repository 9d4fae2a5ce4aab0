using System;
using System.Numerics;

namespace FastBackprop.Kernels.Gemm;

/// <summary>
/// What the GEMM needs besides its operands: the scratch it packs into and the threads it may use. One
/// workspace serves one caller at a time.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class GemmWorkspace<T> : IDisposable
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    T[] _transpose = [];

    /// <summary>A workspace whose products may use up to <paramref name="threads"/> threads (the caller included).</summary>
    public GemmWorkspace(int threads)
    {
        if (threads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "Expected at least 1 thread.");
        }

        Threads = threads;
    }

    /// <summary>The most threads one product uses, the calling thread included.</summary>
    public int Threads { get; }

    /// <summary>Scratch of at least <paramref name="length"/> elements; grows on first need only, so steps after warm-up allocate nothing.</summary>
    internal Span<T> TransposeScratch(int length)
    {
        if (_transpose.Length < length)
        {
            _transpose = new T[length];
        }

        return _transpose.AsSpan(0, length);
    }

    /// <summary>Stops the worker threads, if any.</summary>
    public void Dispose()
    {
    }
}
