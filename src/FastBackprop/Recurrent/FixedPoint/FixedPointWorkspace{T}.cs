using System;
using System.Numerics;
using FastBackprop.Internal;
using FastBackprop.Kernels.Gemm;

namespace FastBackprop.Recurrent.FixedPoint;

/// <summary>
/// Every buffer a relaxation and its gradient need, allocated once for batches of up to <see cref="MaxBatch"/>
/// samples: the state, pre-activations, adjoint, their scratch, Wᵀ, the gradient vector and the products'
/// scratch. After the first call nothing a step does allocates.
/// </summary>
/// <remarks>One workspace belongs to one network and is used by one thread at a time.</remarks>
/// <typeparam name="T">float or double, as the network.</typeparam>
public sealed class FixedPointWorkspace<T> : IDisposable
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    CallGuard _guard;

    readonly T[] _arena;
    readonly int _units;
    readonly int _outputs;

    internal FixedPointWorkspace(FixedPointNetwork<T> network, int maxBatch, int threads)
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
        _units = network.Units;
        _outputs = network.OutputCount;

        // Six [batch, units] planes (input term, pre-activations, f(u), state, adjoint, product scratch), three
        // [batch, outputs] planes (readout, its logits, the loss gradient), Wᵀ and the gradients.
        long plane = (long)maxBatch * _units;
        long outputs = (long)maxBatch * _outputs;
        long length = (6 * plane) + (3 * outputs) + ((long)_units * _units) + network.ParameterCount;
        if (length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBatch), maxBatch, $"The workspace would need {length} elements, more than one array holds ({Array.MaxLength}); use a smaller maximum batch.");
        }

        _arena = new T[length];
        Gemm = new GemmWorkspace<T>(threads == 0 ? Environment.ProcessorCount : threads);
    }

    /// <summary>The network this workspace was made for; it serves no other.</summary>
    public FixedPointNetwork<T> Network { get; }

    /// <summary>The largest batch this workspace holds.</summary>
    public int MaxBatch { get; }

    /// <summary>The threads the products may use, the calling thread included.</summary>
    public int Threads => Gemm.Threads;

    /// <summary>Marks the workspace busy for one call of the network, or throws when another call is running in it (see <see cref="CallGuard"/>).</summary>
    /// <exception cref="InvalidOperationException">Another call is running in this workspace.</exception>
    internal void Acquire() => _guard.Acquire("FixedPointNetwork.CreateWorkspace");

    /// <summary>Ends the call that <see cref="Acquire"/> began.</summary>
    internal void Release() => _guard.Release();

    /// <summary>
    /// dC/dθ of the last <see cref="FixedPointNetwork{T}.ComputeGradients"/>, laid out as
    /// <see cref="FixedPointNetwork{T}.Parameters"/> (W, then V, then b); all zero when that call did not converge.
    /// </summary>
    public Span<T> Gradients => _arena.AsSpan(GradientOffset, Network.ParameterCount);

    /// <summary>
    /// The relaxed state x* of the last call, [batch, Units] row-major (valid until the workspace's next use).
    /// For batch, pass the batch of that call.
    /// </summary>
    public ReadOnlySpan<T> State(int batch) => Plane(3, CheckBatch(batch));

    internal Span<T> InputTerm(int batch) => Plane(0, batch);

    internal Span<T> PreActivations(int batch) => Plane(1, batch);

    internal Span<T> Activations(int batch) => Plane(2, batch);

    internal Span<T> StateBuffer(int batch) => Plane(3, batch);

    internal Span<T> Adjoint(int batch) => Plane(4, batch);

    internal Span<T> Product(int batch) => Plane(5, batch);

    internal Span<T> Readout(int batch) => OutputPlane(0, batch);

    internal Span<T> ReadoutLogits(int batch) => OutputPlane(1, batch);

    internal Span<T> LossGradient(int batch) => OutputPlane(2, batch);

    internal Span<T> TransposedWeights => _arena.AsSpan((6 * MaxBatch * _units) + (3 * MaxBatch * _outputs), _units * _units);

    internal GemmWorkspace<T> Gemm { get; }

    int GradientOffset => (6 * MaxBatch * _units) + (3 * MaxBatch * _outputs) + (_units * _units);

    /// <summary>Stops the workspace's worker threads.</summary>
    public void Dispose() => Gemm.Dispose();

    Span<T> Plane(int index, int batch) => _arena.AsSpan(index * MaxBatch * _units, batch * _units);

    Span<T> OutputPlane(int index, int batch) => _arena.AsSpan((6 * MaxBatch * _units) + (index * MaxBatch * _outputs), batch * _outputs);

    int CheckBatch(int batch)
    {
        if (batch < 1 || batch > MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"Expected a batch from 1 to {MaxBatch}.");
        }

        return batch;
    }
}
