using System.Numerics;

namespace FastBackprop.Recurrent.Sequence;

/// <summary>
/// One recurrent layer's per-step buffers in a <see cref="SequenceWorkspace{T}"/>, allocated once for
/// (maxBatch, maxSequenceLength). Every [time, batch, width] buffer is time-major inside: step t of a call with
/// batch B is the contiguous block [t·B·width, (t+1)·B·width), so one step is a plain [B, width] matrix for the
/// GEMM and the products over all steps of a chunk (input part, weight gradients) are single large GEMMs.
/// </summary>
internal sealed class LayerBuffers<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public LayerBuffers(RecurrentLayer<T> layer, int maxBatch, int maxSteps)
    {
        int h = layer.Hidden, g = layer.GateWidth;
        long steps = (long)maxBatch * maxSteps;
        Gates = new T[SequenceWorkspace<T>.Checked(steps * g)];
        Hidden = new T[SequenceWorkspace<T>.Checked(steps * h)];
        dHidden = new T[Hidden.Length];
        State = new T[maxBatch * h];
        dInitial = new T[maxBatch * h];
        switch (layer.Cell)
        {
            case CellType.Elman:
                // The gate gradient of a tanh cell is dH ⊙ (1 − h²), computed in place in dHidden.
                dGates = dHidden;
                dRecurrent = dHidden;
                break;
            case CellType.Lstm:
                dGates = new T[Gates.Length];
                dRecurrent = dGates;
                Cell = new T[Hidden.Length];
                TanhCell = new T[Hidden.Length];
                CellState = new T[maxBatch * h];
                dCell = new T[maxBatch * h];
                break;
            default:
                dGates = new T[Gates.Length];
                Recurrent = new T[Gates.Length];
                dRecurrent = new T[Gates.Length];
                break;
        }
    }

    /// <summary>[time, batch, G·H]: the gates' pre-activations, overwritten step by step with their activations.</summary>
    public T[] Gates { get; }

    /// <summary>[time, batch, H]: h_t.</summary>
    public T[] Hidden { get; }

    /// <summary>[time, batch, H]: dL/dh_t, from the layer above and, during BPTT, from step t + 1.</summary>
    public T[] dHidden { get; }

    /// <summary>[time, batch, G·H]: dL/d(pre-activations of the input part).</summary>
    public T[] dGates { get; }

    /// <summary>GRU: [time, batch, 3H], h_{t−1}·W_h + b_h. Empty for the other cells.</summary>
    public T[] Recurrent { get; } = [];

    /// <summary>[time, batch, G·H]: dL/d(h_{t−1}·W_h); the same array as <see cref="dGates"/> except for the GRU.</summary>
    public T[] dRecurrent { get; }

    /// <summary>LSTM: [time, batch, H], c_t.</summary>
    public T[] Cell { get; } = [];

    /// <summary>LSTM: [time, batch, H], tanh c_t.</summary>
    public T[] TanhCell { get; } = [];

    /// <summary>[batch, H]: h before the chunk's first step (zero, or carried over).</summary>
    public T[] State { get; }

    /// <summary>LSTM: [batch, H], c before the chunk's first step.</summary>
    public T[] CellState { get; } = [];

    /// <summary>[batch, H]: dL/d(initial h) of the chunk; a sink for the first step's recurrent gradient.</summary>
    public T[] dInitial { get; }

    /// <summary>LSTM: [batch, H], dL/dc carried from step t + 1 to step t.</summary>
    public T[] dCell { get; } = [];
}
