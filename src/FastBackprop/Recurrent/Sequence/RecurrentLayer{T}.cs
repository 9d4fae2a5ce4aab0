using System;
using System.Numerics;
using FastBackprop.Kernels.Elementwise;
using FastBackprop.Kernels.Gemm;
using FastBackprop.Kernels.Reductions;

namespace FastBackprop.Recurrent.Sequence;

/// <summary>
/// One recurrent layer: where its parameters are in the network's flat vector, and its forward pass and
/// backpropagation through time over one chunk of steps. The layer owns no memory.
/// </summary>
/// <remarks>
/// Parameter layout (offsets into the flat vector): W_x [inputs, G·H] row-major, W_h [H, G·H] row-major, b [G·H],
/// and for the GRU b_h [G·H]; gates stacked in PyTorch's order within each row.
/// </remarks>
internal sealed class RecurrentLayer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public RecurrentLayer(CellType cell, int inputs, int hidden, int parameterOffset)
    {
        Cell = cell;
        Inputs = inputs;
        Hidden = hidden;
        GateWidth = GatesPerCell(cell) * hidden;
        InputWeightOffset = parameterOffset;
        RecurrentWeightOffset = InputWeightOffset + (inputs * GateWidth);
        BiasOffset = RecurrentWeightOffset + (hidden * GateWidth);
        RecurrentBiasOffset = BiasOffset + GateWidth;
        ParameterCount = RecurrentBiasOffset + (cell == CellType.Gru ? GateWidth : 0) - parameterOffset;
    }

    public CellType Cell { get; }

    public int Inputs { get; }

    public int Hidden { get; }

    /// <summary>G·H: the width of the stacked gates.</summary>
    public int GateWidth { get; }

    public int InputWeightOffset { get; }

    public int RecurrentWeightOffset { get; }

    public int BiasOffset { get; }

    /// <summary>GRU only: where b_h starts.</summary>
    public int RecurrentBiasOffset { get; }

    public int ParameterCount { get; }

    public int InputWeightCount => Inputs * GateWidth;

    public int RecurrentWeightCount => Hidden * GateWidth;

    public static int GatesPerCell(CellType cell) => cell switch
    {
        CellType.Elman => 1,
        CellType.Gru => 3,
        _ => 4,
    };

    /// <summary>
    /// Runs <paramref name="steps"/> steps from the state in <paramref name="buffers"/>.State (and CellState),
    /// leaving h_t, the gate activations and, for the LSTM, c_t in the buffers.
    /// </summary>
    /// <remarks>x is [steps, batch, Inputs] time-major.</remarks>
    public void Forward(ReadOnlySpan<T> x, int batch, int steps, ReadOnlySpan<T> parameters, LayerBuffers<T> buffers, GemmWorkspace<T> gemm)
    {
        int h = Hidden, g = GateWidth, rows = batch * steps;
        ReadOnlySpan<T> wx = parameters.Slice(InputWeightOffset, InputWeightCount);
        ReadOnlySpan<T> wh = parameters.Slice(RecurrentWeightOffset, RecurrentWeightCount);
        ReadOnlySpan<T> b = parameters.Slice(BiasOffset, g);
        Span<T> gates = buffers.Gates.AsSpan(0, rows * g);

        // The input part of every step at once: one [steps·batch, Inputs] x [Inputs, G·H] product.
        Gemm.MultiplyNN(rows, g, Inputs, T.One, x, Inputs, wx, g, accumulate: false, gates, g, gemm);
        Elementwise.AddBiasActivate<IdentityOp<T>, T>(gates, b, rows);

        for (int t = 0; t < steps; t++)
        {
            ReadOnlySpan<T> hPrev = t == 0 ? buffers.State.AsSpan(0, batch * h) : buffers.Hidden.AsSpan((t - 1) * batch * h, batch * h);
            Span<T> gt = gates.Slice(t * batch * g, batch * g);
            Span<T> ht = buffers.Hidden.AsSpan(t * batch * h, batch * h);
            switch (Cell)
            {
                case CellType.Elman:
                    Gemm.MultiplyNN(batch, h, h, T.One, hPrev, h, wh, g, accumulate: true, gt, g, gemm);
                    Activate.Run<TanhOp<T>, T>(gt, ht);
                    break;
                case CellType.Lstm:
                    {
                        Gemm.MultiplyNN(batch, g, h, T.One, hPrev, h, wh, g, accumulate: true, gt, g, gemm);
                        ReadOnlySpan<T> cPrev = t == 0 ? buffers.CellState.AsSpan(0, batch * h) : buffers.Cell.AsSpan((t - 1) * batch * h, batch * h);
                        CellKernels.LstmForward(gt, cPrev, buffers.Cell.AsSpan(t * batch * h, batch * h), buffers.TanhCell.AsSpan(t * batch * h, batch * h), ht, batch, h);
                        break;
                    }

                default:
                    {
                        Span<T> rt = buffers.Recurrent.AsSpan(t * batch * g, batch * g);
                        Gemm.MultiplyNN(batch, g, h, T.One, hPrev, h, wh, g, accumulate: false, rt, g, gemm);
                        Elementwise.AddBiasActivate<IdentityOp<T>, T>(rt, parameters.Slice(RecurrentBiasOffset, g), batch);
                        CellKernels.GruForward(gt, rt, hPrev, ht, batch, h);
                        break;
                    }
            }
        }
    }

    /// <summary>
    /// Backpropagation through the <paramref name="steps"/> steps of the last <see cref="Forward"/>, from
    /// dL/dh_t in buffers.dHidden (consumed: it is overwritten on the way). Adds dL/dθ of this layer to
    /// <paramref name="gradients"/> and, when <paramref name="dx"/> is not empty, writes dL/dx_t
    /// ([steps, batch, Inputs], overwritten). No gradient flows into the chunk's initial state's source.
    /// </summary>
    public void Backward(
        ReadOnlySpan<T> x, int batch, int steps, ReadOnlySpan<T> parameters, LayerBuffers<T> buffers,
        Span<T> gradients, Span<T> scratch, Span<T> dx, GemmWorkspace<T> gemm)
    {
        int h = Hidden, g = GateWidth, rows = batch * steps;
        ReadOnlySpan<T> wh = parameters.Slice(RecurrentWeightOffset, RecurrentWeightCount);
        buffers.dInitial.AsSpan(0, batch * h).Clear();
        if (Cell == CellType.Lstm)
        {
            buffers.dCell.AsSpan(0, batch * h).Clear();
        }

        for (int t = steps - 1; t >= 0; t--)
        {
            ReadOnlySpan<T> hPrev = t == 0 ? buffers.State.AsSpan(0, batch * h) : buffers.Hidden.AsSpan((t - 1) * batch * h, batch * h);
            Span<T> dPrev = t == 0 ? buffers.dInitial.AsSpan(0, batch * h) : buffers.dHidden.AsSpan((t - 1) * batch * h, batch * h);
            Span<T> dht = buffers.dHidden.AsSpan(t * batch * h, batch * h);
            Span<T> dRec = buffers.dRecurrent.AsSpan(t * batch * g, batch * g);
            switch (Cell)
            {
                case CellType.Elman:
                    Elementwise.MultiplyByDerivative<TanhOp<T>, T>(buffers.Hidden.AsSpan(t * batch * h, batch * h), dht);
                    break;
                case CellType.Lstm:
                    {
                        ReadOnlySpan<T> cPrev = t == 0 ? buffers.CellState.AsSpan(0, batch * h) : buffers.Cell.AsSpan((t - 1) * batch * h, batch * h);
                        CellKernels.LstmBackward<T>(
                            buffers.Gates.AsSpan(t * batch * g, batch * g), cPrev, buffers.TanhCell.AsSpan(t * batch * h, batch * h),
                            dht, buffers.dCell.AsSpan(0, batch * h), dRec, batch, h);
                        break;
                    }

                default:
                    CellKernels.GruBackward<T>(
                        buffers.Gates.AsSpan(t * batch * g, batch * g), buffers.Recurrent.AsSpan(t * batch * g, batch * g), hPrev,
                        dht, buffers.dGates.AsSpan(t * batch * g, batch * g), dRec, dPrev, batch, h);
                    break;
            }

            // dL/dh_{t−1} += dRec_t · W_hᵀ: the recurrent path of BPTT.
            Gemm.MultiplyNT(batch, h, g, T.One, dRec, g, wh, g, accumulate: true, dPrev, h, gemm);
        }

        ReadOnlySpan<T> dGates = buffers.dGates.AsSpan(0, rows * g);
        ReadOnlySpan<T> dRecAll = buffers.dRecurrent.AsSpan(0, rows * g);

        // dW_x += Xᵀ·dGates over every step of the chunk at once.
        Gemm.MultiplyTN(Inputs, g, rows, T.One, x, Inputs, dGates, g, accumulate: true, gradients.Slice(InputWeightOffset, InputWeightCount), g, gemm);

        // dW_h += Σ_t h_{t−1}ᵀ·dRec_t: the initial state for t = 0, then steps 0..T−2 against 1..T−1 in one product.
        Span<T> dWh = gradients.Slice(RecurrentWeightOffset, RecurrentWeightCount);
        Gemm.MultiplyTN(h, g, batch, T.One, buffers.State.AsSpan(0, batch * h), h, dRecAll, g, accumulate: true, dWh, g, gemm);
        if (steps > 1)
        {
            Gemm.MultiplyTN(h, g, (steps - 1) * batch, T.One, buffers.Hidden.AsSpan(0, (steps - 1) * batch * h), h, dRecAll.Slice(batch * g), g, accumulate: true, dWh, g, gemm);
        }

        Span<T> sums = scratch.Slice(0, g);
        ColumnSums.Run(dGates, rows, sums);
        Axpy.Run(T.One, sums, gradients.Slice(BiasOffset, g));
        if (Cell == CellType.Gru)
        {
            ColumnSums.Run(dRecAll, rows, sums);
            Axpy.Run(T.One, sums, gradients.Slice(RecurrentBiasOffset, g));
        }

        if (!dx.IsEmpty)
        {
            ReadOnlySpan<T> wx = parameters.Slice(InputWeightOffset, InputWeightCount);
            Gemm.MultiplyNT(rows, Inputs, g, T.One, dGates, g, wx, g, accumulate: false, dx, Inputs, gemm);
        }
    }

    /// <summary>Copies the chunk's last h (and c) into the state, where the next chunk or call starts.</summary>
    public void CarryState(int batch, int steps, LayerBuffers<T> buffers)
    {
        int n = batch * Hidden;
        buffers.Hidden.AsSpan((steps - 1) * n, n).CopyTo(buffers.State);
        if (Cell == CellType.Lstm)
        {
            buffers.Cell.AsSpan((steps - 1) * n, n).CopyTo(buffers.CellState);
        }
    }

    /// <summary>Sets the state to zero for <paramref name="batch"/> rows.</summary>
    public void ResetState(int batch, LayerBuffers<T> buffers)
    {
        buffers.State.AsSpan(0, batch * Hidden).Clear();
        if (Cell == CellType.Lstm)
        {
            buffers.CellState.AsSpan(0, batch * Hidden).Clear();
        }
    }
}
