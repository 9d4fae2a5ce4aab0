using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastBackprop.Internal;
using FastBackprop.Kernels.Gemm;

namespace FastBackprop.Networks;

/// <summary>
/// Every buffer one training or inference step of a <see cref="Network{T}"/> needs, allocated once for a
/// maximum batch size: the layers' outputs and deltas, the output logits, the gradient vector and the kernels'
/// scratch. After the first call nothing a step does allocates.
/// </summary>
/// <remarks>
/// A workspace belongs to one network and is used by one thread at a time: a call that starts while another
/// runs in the same workspace throws <see cref="InvalidOperationException"/> before it writes anything. Several
/// threads may share one network for inference, each with its own workspace: forward passes only read the
/// network.
/// </remarks>
/// <typeparam name="T">float or double, as the network.</typeparam>
public sealed class Workspace<T> : IDisposable
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    readonly T[] _arena;
    readonly int[] _outputOffsets;
    readonly int[] _deltaOffsets;
    readonly int _logitsOffset;
    readonly int _gradientOffset;

    // 1 while a call of the network runs in this workspace: the guard against two threads sharing it.
    CallGuard _guard;

    internal Workspace(Network<T> network, int maxBatch, int threads)
    {
        if (maxBatch < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBatch), maxBatch, "Expected a maximum batch size of at least 1.");
        }

        if (threads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "Expected 0 (one thread per processor) or a positive thread count.");
        }

        Network = network;
        MaxBatch = maxBatch;
        int layers = network.LayerCount;
        _outputOffsets = new int[layers];
        _deltaOffsets = new int[layers];

        // Each buffer starts a whole number of 64-byte lines into the arena, and a large arena (as the parameter
        // vector, AlignedArray.AllocateIfLarge) on a line, so that rows of whole lines stay on lines: the input
        // gradient's tiles of dot products (Gemm.UsesDotTiles) then read the deltas in place instead of a copy. A workspace
        // holds a gradient as long as the parameters, so it is large wherever the network's parameters are.
        long offset = 0;
        for (int l = 0; l < layers; l++)
        {
            var layer = network.Layer(l);
            _outputOffsets[l] = Checked(offset);
            offset = AlignedArray.WholeLines<T>(offset + ((long)maxBatch * layer.Units));
            _deltaOffsets[l] = Checked(offset);
            offset = AlignedArray.WholeLines<T>(offset + ((long)maxBatch * layer.Units));
        }

        _logitsOffset = Checked(offset);
        offset = AlignedArray.WholeLines<T>(offset + ((long)maxBatch * network.OutputCount));
        _gradientOffset = Checked(offset);
        offset += network.ParameterCount;
        _arena = AlignedArray.AllocateIfLarge<T>(Checked(offset), out int start);
        for (int l = 0; l < layers; l++)
        {
            _outputOffsets[l] += start;
            _deltaOffsets[l] += start;
        }

        _logitsOffset += start;
        _gradientOffset += start;
        Gemm = new GemmWorkspace<T>(threads == 0 ? Environment.ProcessorCount : threads);
    }

    /// <summary>The network this workspace was made for; it serves no other.</summary>
    public Network<T> Network { get; }

    /// <summary>The largest batch (samples per call) this workspace holds.</summary>
    public int MaxBatch { get; }

    /// <summary>
    /// dC/dθ from the last <see cref="Network{T}.ComputeGradients(ReadOnlySpan{T}, ReadOnlySpan{T}, Workspace{T})"/>,
    /// laid out exactly as <see cref="Network{T}.Parameters"/>: per layer, the weights [inputs, units] row-major,
    /// then the biases.
    /// </summary>
    public Span<T> Gradients => _arena.AsSpan(_gradientOffset, Network.ParameterCount);

    /// <summary>The gradient of layer <paramref name="layer"/>'s weights, [inputs, units] row-major.</summary>
    public Span<T> WeightGradients(int layer)
    {
        var l = Network.Layer(layer);
        return _arena.AsSpan(_gradientOffset + l.WeightOffset, l.WeightCount);
    }

    /// <summary>The gradient of layer <paramref name="layer"/>'s biases.</summary>
    public Span<T> BiasGradients(int layer)
    {
        var l = Network.Layer(layer);
        return _arena.AsSpan(_gradientOffset + l.BiasOffset, l.Units);
    }

    internal Span<T> Outputs(int layer, int batch) => _arena.AsSpan(_outputOffsets[layer], batch * Network.Layer(layer).Units);

    internal Span<T> Deltas(int layer, int batch) => _arena.AsSpan(_deltaOffsets[layer], batch * Network.Layer(layer).Units);

    internal Span<T> Logits(int batch) => _arena.AsSpan(_logitsOffset, batch * Network.OutputCount);

    // Unchecked starts of the same buffers, for the tiny path's scalar loops (TinyNetwork), whose indices are
    // bounded by the layer shapes this arena was sized from.
    internal ref T OutputsRef(int layer) => ref Unsafe.Add(ref ArenaRef, _outputOffsets[layer]);

    internal ref T DeltasRef(int layer) => ref Unsafe.Add(ref ArenaRef, _deltaOffsets[layer]);

    internal ref T LogitsRef() => ref Unsafe.Add(ref ArenaRef, _logitsOffset);

    // The arena's start and the buffers' offsets in it, for a kernel that writes several buffers in one step (the
    // 2-2-2 kernel): one reference, so one null check of the arena, where each ...Ref above makes its own.
    internal ref T ArenaRef => ref MemoryMarshal.GetArrayDataReference(_arena);

    internal int OutputsOffset(int layer) => _outputOffsets[layer];

    internal int LogitsOffset => _logitsOffset;

    /// <summary>Marks the workspace busy for one call of the network, or throws when another call is running in it (see <see cref="CallGuard"/>).</summary>
    /// <exception cref="InvalidOperationException">Another call is running in this workspace.</exception>
    internal void Acquire() => _guard.Acquire("Network.CreateWorkspace");

    /// <summary>Ends the call that <see cref="Acquire"/> began.</summary>
    internal void Release() => _guard.Release();

    /// <summary>The threads the products of a step may use, the calling thread included.</summary>
    public int Threads => Gemm.Threads;

    internal GemmWorkspace<T> Gemm { get; }

    /// <summary>Stops the workspace's worker threads. The workspace cannot run products on other threads afterwards.</summary>
    public void Dispose() => Gemm.Dispose();

    static int Checked(long length) =>
        length <= AlignedArray.MaxLength<T>()
            ? (int)length
            : throw new ArgumentOutOfRangeException(nameof(length), length, $"The workspace would need {length} elements, more than one array holds ({AlignedArray.MaxLength<T>()}); use a smaller maximum batch.");
}
