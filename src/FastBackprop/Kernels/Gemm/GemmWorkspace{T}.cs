using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using FastBackprop.Internal;
using FastBackprop.Kernels.Threading;

namespace FastBackprop.Kernels.Gemm;

/// <summary>
/// What the GEMM needs besides its operands: each worker's packing buffers and edge tile, and the threads it
/// may use. One workspace serves one caller at a time.
/// </summary>
/// <remarks>
/// The packing buffers are allocated on the first product large enough to be packed (so a network of tiny
/// layers never pays for them), pinned, and aligned to 64 bytes so that the micro-kernel's vector loads never
/// straddle a cache line. Steps after warm-up allocate nothing.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed unsafe class GemmWorkspace<T> : IDisposable
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    readonly WorkerBuffers[] _workers;
    T[] _transpose = [];
    T[] _partials = [];
    ThreadTeam? _team;
    GemmTask<T>? _task;
    SmallProductTask<T>? _smallTask;
    bool _disposed;

    /// <summary>A workspace whose products may use up to <paramref name="threads"/> threads (the caller included).</summary>
    public GemmWorkspace(int threads)
    {
        if (threads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "Expected at least 1 thread.");
        }

        Threads = threads;
        _workers = new WorkerBuffers[threads];
    }

    /// <summary>The most threads one product uses, the calling thread included.</summary>
    public int Threads { get; }

    /// <summary>True after <see cref="Dispose"/>: products then run on the calling thread.</summary>
    internal bool IsDisposed => _disposed;

    /// <summary>Elements each worker's packed-A buffer holds: enough for the blocking of every vector width.</summary>
    internal static int PackedALength { get; } = MaxOverLevels(static b => b.PackedALength);

    /// <summary>Elements each worker's packed-B buffer holds: enough for the blocking of every vector width.</summary>
    internal static int PackedBLength { get; } = MaxOverLevels(static b => b.PackedBLength);

    internal static int ScratchLength { get; } = MaxOverLevels(static b => b.ScratchLength);

    /// <summary>The packing buffers of worker <paramref name="worker"/>, allocated on first use.</summary>
    internal ref readonly WorkerBuffers Buffers(int worker)
    {
        ref WorkerBuffers buffers = ref _workers[worker];
        if (buffers.PackedA == null)
        {
            buffers = WorkerBuffers.Allocate();
        }

        return ref buffers;
    }

    /// <summary>Scratch of at least <paramref name="length"/> elements; grows on first need only, so steps after warm-up allocate nothing.</summary>
    internal Span<T> TransposeScratch(int length)
    {
        if (_transpose.Length < length)
        {
            _transpose = new T[length];
        }

        return _transpose.AsSpan(0, length);
    }

    /// <summary>
    /// The team and the task that run a packed product on <see cref="Threads"/> threads, with every worker's
    /// buffers allocated: made on the first product that is worth sharing, so workspaces that never see one
    /// (small networks) never start a thread.
    /// </summary>
    internal (ThreadTeam Team, GemmTask<T> Task) Parallel()
    {
        ThreadTeam team = Team();
        if (_task is null)
        {
            for (int w = 0; w < Threads; w++)
            {
                _ = Buffers(w);
            }

            _task = new GemmTask<T>(this);
        }

        return (team, _task);
    }

    /// <summary>Whether batch-1 products go to the team, timed on this workspace's split GEMVs (see <see cref="BatchOneSharing"/>).</summary>
    internal BatchOneSharing BatchOne { get; } = new();

    /// <summary>The team and the task that share a batch-1 product (a split GEMV or a rank-1 update).</summary>
    internal (ThreadTeam Team, SmallProductTask<T> Task) ParallelSmall() => (Team(), _smallTask ??= new SmallProductTask<T>());

    /// <summary>Per-part partial results of a split GEMV: at least <paramref name="length"/> elements, grown on first need only.</summary>
    internal Span<T> Partials(int length)
    {
        if (_partials.Length < length)
        {
            _partials = GC.AllocateArray<T>(length, pinned: true);
        }

        return _partials.AsSpan(0, length);
    }

    ThreadTeam Team()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _team ??= new ThreadTeam(Threads);
    }

    /// <summary>Stops the worker threads, if any. Products still run afterwards, on the calling thread alone.</summary>
    public void Dispose()
    {
        _disposed = true;
        _team?.Dispose();
    }

    static int MaxOverLevels(Func<GemmBlocking, int> length) =>
        Math.Max(
            Math.Max(length(GemmBlocking.For<T>(IsaLevel.V512)), length(GemmBlocking.For<T>(IsaLevel.V256))),
            Math.Max(length(GemmBlocking.For<T>(IsaLevel.V128)), length(GemmBlocking.For<T>(IsaLevel.Scalar))));

    /// <summary>One worker's packed A block, packed B panel and edge tile, 64-byte aligned inside pinned arrays.</summary>
    internal readonly struct WorkerBuffers
    {
        // The arrays are kept only to keep the pinned memory alive; the pointers are what the kernels use.
        readonly T[] _memory;

        WorkerBuffers(T[] memory, T* packedA, T* packedB, T* scratch)
        {
            _memory = memory;
            PackedA = packedA;
            PackedB = packedB;
            Scratch = scratch;
        }

        public T* PackedA { get; }

        public T* PackedB { get; }

        public T* Scratch { get; }

        public static WorkerBuffers Allocate()
        {
            int a = (int)AlignedArray.WholeLines<T>(PackedALength);
            int b = (int)AlignedArray.WholeLines<T>(PackedBLength);
            int s = (int)AlignedArray.WholeLines<T>(ScratchLength);
            T[] memory = AlignedArray.Allocate<T>(a + b + s, out int first);
            T* start = (T*)Unsafe.AsPointer(ref memory[first]);
            return new WorkerBuffers(memory, start, start + a, start + a + b);
        }
    }
}
