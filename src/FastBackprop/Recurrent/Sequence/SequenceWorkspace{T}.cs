using System;
using System.Numerics;
using FastBackprop.Internal;
using FastBackprop.Kernels.Gemm;

namespace FastBackprop.Recurrent.Sequence;

/// <summary>
/// Every buffer a step of a <see cref="SequenceNetwork{T}"/> needs, allocated once for a maximum batch and a
/// maximum sequence length: every time step's gates, hidden and cell states and their gradients for each layer,
/// the output layer's buffers, the gradient vector, the carried state and the GEMM's scratch. After warm-up
/// nothing a step does allocates.
/// </summary>
/// <remarks>One workspace per thread; it belongs to one network.</remarks>
/// <typeparam name="T">float or double, as the network.</typeparam>
public sealed class SequenceWorkspace<T> : IDisposable
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    CallGuard _guard;

    internal SequenceWorkspace(SequenceNetwork<T> network, int maxBatch, int maxSequenceLength, int threads)
    {
        if (maxBatch < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBatch), maxBatch, "Expected a maximum batch size of at least 1.");
        }

        if (maxSequenceLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxSequenceLength), maxSequenceLength, "Expected a maximum sequence length of at least 1.");
        }

        if (threads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "Expected 0 (one thread per processor) or a positive thread count.");
        }

        Network = network;
        MaxBatch = maxBatch;
        MaxSequenceLength = maxSequenceLength;
        long rows = (long)maxBatch * maxSequenceLength;
        Layers = new LayerBuffers<T>[network.LayerCount];
        int widest = network.OutputCount;
        for (int l = 0; l < Layers.Length; l++)
        {
            RecurrentLayer<T> layer = network.Layer(l);
            Layers[l] = new LayerBuffers<T>(layer, maxBatch, maxSequenceLength);
            widest = Math.Max(widest, layer.GateWidth);
        }

        Inputs = new T[Checked(rows * network.InputCount)];
        int outputRows = network.Output == SequenceOutput.EveryStep ? Checked(rows) : maxBatch;
        Targets = new T[Checked((long)outputRows * network.OutputCount)];
        Logits = new T[Targets.Length];
        Outputs = new T[Targets.Length];
        OutputDelta = new T[Targets.Length];
        BatchMajorOutputs = new T[Targets.Length];
        Scratch = new T[widest];
        GradientVector = new T[network.ParameterCount];
        Gemm = new GemmWorkspace<T>(threads == 0 ? Environment.ProcessorCount : threads);
    }

    /// <summary>The network this workspace was made for; it serves no other.</summary>
    public SequenceNetwork<T> Network { get; }

    /// <summary>The largest batch (sequences per call) this workspace holds.</summary>
    public int MaxBatch { get; }

    /// <summary>The longest sequence (time steps per call) this workspace holds.</summary>
    public int MaxSequenceLength { get; }

    /// <summary>
    /// dL/dθ from the last <see cref="SequenceNetwork{T}.ComputeGradients"/>, laid out exactly as
    /// <see cref="SequenceNetwork{T}.Parameters"/>, so the optimizers and
    /// <see cref="Optimizers.GradientClipping.ClipByGlobalNorm{T}(Span{T}, T)"/> work on it unchanged.
    /// </summary>
    public Span<T> Gradients => GradientVector;

    /// <summary>The batch of the state the last call left behind, or 0 when there is none to carry.</summary>
    public int StateBatch { get; internal set; }

    /// <summary>The threads the products of a step may use, the calling thread included.</summary>
    public int Threads => Gemm.Threads;

    /// <summary>Marks the workspace busy for one call of the network, or throws when another call is running in it (see <see cref="CallGuard"/>).</summary>
    /// <exception cref="InvalidOperationException">Another call is running in this workspace.</exception>
    internal void Acquire() => _guard.Acquire("SequenceNetwork.CreateWorkspace");

    /// <summary>Ends the call that <see cref="Acquire"/> began.</summary>
    internal void Release() => _guard.Release();

    internal LayerBuffers<T>[] Layers { get; }

    /// <summary>[time, batch, inputs]: the chunk's inputs, time-major.</summary>
    internal T[] Inputs { get; }

    /// <summary>The output layer's targets, logits, outputs and delta: [time, batch, outputs] time-major, or [batch, outputs].</summary>
    internal T[] Targets { get; }

    internal T[] Logits { get; }

    internal T[] Outputs { get; }

    internal T[] OutputDelta { get; }

    /// <summary>The outputs handed to the caller, batch-major.</summary>
    internal T[] BatchMajorOutputs { get; }

    /// <summary>Column sums for the bias gradients.</summary>
    internal T[] Scratch { get; }

    internal T[] GradientVector { get; }

    internal GemmWorkspace<T> Gemm { get; }

    /// <summary>Stops the workspace's worker threads, if any.</summary>
    public void Dispose() => Gemm.Dispose();

    internal static int Checked(long length) =>
        length <= Array.MaxLength
            ? (int)length
            : throw new ArgumentOutOfRangeException(nameof(length), length, $"The workspace would need {length} elements in one buffer, more than one array holds ({Array.MaxLength}); use a smaller maximum batch or sequence length.");
}
