using System;
using System.Numerics;
using FastBackprop.Internal;
using FastBackprop.Kernels;
using FastBackprop.Kernels.Elementwise;
using FastBackprop.Kernels.Gemm;
using FastBackprop.Kernels.Reductions;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Optimizers;

namespace FastBackprop.Recurrent.Sequence;

/// <summary>
/// A recurrent network over sequences: one or more stacked recurrent layers of one <see cref="CellType"/>
/// (Elman, GRU or LSTM, with PyTorch's equations) followed by a dense output layer with the engine's activations
/// and losses, trained by backpropagation through time, full or truncated.
/// </summary>
/// <remarks>
/// <para><b>Data.</b> Inputs are batch-major, [batch, time, inputs] row-major: sequence b's step t starts at
/// (b·time + t)·inputs. Targets and outputs are [batch, outputs] for <see cref="SequenceOutput.LastStep"/> and
/// [batch, time, outputs] for <see cref="SequenceOutput.EveryStep"/>.</para>
/// <para><b>Parameters</b> live in one flat vector (<see cref="Parameters"/>), so the optimizers and gradient
/// clipping work on it unchanged: for each recurrent layer l in order, W_x [inputs_l, G·H], W_h [H, G·H]
/// (row-major, gates stacked in PyTorch's order: G = 1 for Elman, 3 for GRU (r, z, n), 4 for LSTM (i, f, g, o)),
/// b [G·H], and for the GRU b_h [G·H]; then the output layer's W [H, outputs] and b [outputs]. W_x and W_h
/// are the transposes of PyTorch's weight_ih_l{l} and weight_hh_l{l}; the views <see cref="InputWeights"/>,
/// <see cref="RecurrentWeights"/>, <see cref="Biases"/>, <see cref="RecurrentBiases"/>,
/// <see cref="OutputWeights"/> and <see cref="OutputBiases"/> show where each is.</para>
/// <para><b>Truncated BPTT</b> with horizon k (k₁ = k₂ = k): the sequence is cut into consecutive chunks of k
/// steps (the last may be shorter). Each chunk runs forward from the state the previous chunk ended in, then
/// backward through its own steps only: the state entering a chunk is treated as a constant. The gradient
/// returned is the sum over chunks of the gradient of the chunk's share of the loss with respect to the
/// parameters used inside that chunk. The forward pass and the loss are exactly those of the whole sequence; with
/// k ≥ length (or k = 0) it is full BPTT. For <see cref="SequenceOutput.LastStep"/> only the last chunk carries
/// loss, so only it is backpropagated.</para>
/// <para>Every step runs in a <see cref="SequenceWorkspace{T}"/> made once by <see cref="CreateWorkspace"/>;
/// after warm-up, forward, BPTT and update allocate nothing.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class SequenceNetwork<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    readonly RecurrentLayer<T>[] _layers;
    readonly DenseLayer<T> _output;
    readonly T[] _parameters;

    /// <summary>Builds a network and initialises its weights from seed 0 (see <see cref="InitializeWeights"/>).</summary>
    /// <param name="inputs">Features per time step, at least 1.</param>
    /// <param name="cell">The recurrent cell of every layer.</param>
    /// <param name="hidden">Hidden units H of every recurrent layer, at least 1.</param>
    /// <param name="output">The dense output layer (not softmax unless the loss is <see cref="Loss.SoftmaxCrossEntropy"/>).</param>
    /// <param name="loss">The loss; the cross-entropies require the matching output activation.</param>
    /// <param name="outputMode">Many-to-one or many-to-many.</param>
    /// <param name="layers">Stacked recurrent layers, at least 1.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    /// <exception cref="ArgumentException">A size is below 1, an enum value is unknown, or the loss does not fit the output activation.</exception>
    public SequenceNetwork(int inputs, CellType cell, int hidden, LayerSpec output, Loss loss, SequenceOutput outputMode, int layers = 1)
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw ThrowHelper.UnsupportedElementType<T>();
        }

        // Initialise the ISA gates before any kernel is compiled, so tier-1 code sees them as constants.
        _ = Isa.Active;

        if (inputs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "Expected at least 1 input per time step.");
        }

        if (hidden < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "Expected at least 1 hidden unit.");
        }

        if (layers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(layers), layers, "Expected at least 1 recurrent layer.");
        }

        if (!Enum.IsDefined(cell))
        {
            throw new ArgumentOutOfRangeException(nameof(cell), cell, "Unknown cell type.");
        }

        if (!Enum.IsDefined(outputMode))
        {
            throw new ArgumentOutOfRangeException(nameof(outputMode), outputMode, "Unknown sequence output mode.");
        }

        if (!Enum.IsDefined(loss))
        {
            throw new ArgumentOutOfRangeException(nameof(loss), loss, "Unknown loss.");
        }

        if (output.Units < 1)
        {
            throw new ArgumentException($"Expected at least 1 output unit, but got {output.Units}.", nameof(output));
        }

        if (!Enum.IsDefined(output.Activation))
        {
            throw new ArgumentException($"The output layer has an unknown activation ({(int)output.Activation}).", nameof(output));
        }

        if (loss == Loss.SoftmaxCrossEntropy && output.Activation != Activation.Softmax)
        {
            throw new ArgumentException($"SoftmaxCrossEntropy expects a Softmax output layer, but the output layer uses {output.Activation}.", nameof(loss));
        }

        if (loss == Loss.SigmoidBinaryCrossEntropy && output.Activation != Activation.Sigmoid)
        {
            throw new ArgumentException($"SigmoidBinaryCrossEntropy expects a Sigmoid output layer, but the output layer uses {output.Activation}.", nameof(loss));
        }

        _layers = new RecurrentLayer<T>[layers];
        long offset = 0;
        int previous = inputs;
        for (int l = 0; l < layers; l++)
        {
            long gates = (long)RecurrentLayer<T>.GatesPerCell(cell) * hidden;
            long count = ((previous + hidden + (cell == CellType.Gru ? 2 : 1)) * gates) + 0;
            if (offset + count > Array.MaxLength)
            {
                throw new ArgumentException($"The network would have more than {Array.MaxLength} parameters.", nameof(hidden));
            }

            _layers[l] = new RecurrentLayer<T>(cell, previous, hidden, (int)offset);
            offset += count;
            previous = hidden;
        }

        if (offset + ((long)hidden * output.Units) + output.Units > Array.MaxLength)
        {
            throw new ArgumentException($"The network would have more than {Array.MaxLength} parameters.", nameof(output));
        }

        _output = new DenseLayer<T>(hidden, output, (int)offset);
        offset += _output.ParameterCount;
        _parameters = new T[offset];
        InputCount = inputs;
        HiddenSize = hidden;
        Cell = cell;
        OutputCount = output.Units;
        OutputActivation = output.Activation;
        Loss = loss;
        Output = outputMode;
        InitializeWeights(0);
    }

    /// <summary>Features per time step.</summary>
    public int InputCount { get; }

    /// <summary>Hidden units H of each recurrent layer.</summary>
    public int HiddenSize { get; }

    /// <summary>Stacked recurrent layers.</summary>
    public int LayerCount => _layers.Length;

    /// <summary>The recurrent cell.</summary>
    public CellType Cell { get; }

    /// <summary>Outputs per prediction (units of the output layer).</summary>
    public int OutputCount { get; }

    /// <summary>The output layer's activation.</summary>
    public Activation OutputActivation { get; }

    /// <summary>The loss the network is trained on.</summary>
    public Loss Loss { get; }

    /// <summary>Many-to-one or many-to-many.</summary>
    public SequenceOutput Output { get; }

    /// <summary>Number of parameters.</summary>
    public int ParameterCount => _parameters.Length;

    /// <summary>All parameters as one vector, in the layout of the class remarks.</summary>
    public Span<T> Parameters => _parameters;

    /// <summary>Layer <paramref name="layer"/>'s W_x, [inputs, G·H] row-major.</summary>
    public Span<T> InputWeights(int layer) => _parameters.AsSpan(Layer(layer).InputWeightOffset, Layer(layer).InputWeightCount);

    /// <summary>Layer <paramref name="layer"/>'s W_h, [H, G·H] row-major.</summary>
    public Span<T> RecurrentWeights(int layer) => _parameters.AsSpan(Layer(layer).RecurrentWeightOffset, Layer(layer).RecurrentWeightCount);

    /// <summary>Layer <paramref name="layer"/>'s bias b [G·H] (the GRU's b_x).</summary>
    public Span<T> Biases(int layer) => _parameters.AsSpan(Layer(layer).BiasOffset, Layer(layer).GateWidth);

    /// <summary>The GRU's recurrent bias b_h [3H] of layer <paramref name="layer"/>; empty for the other cells.</summary>
    public Span<T> RecurrentBiases(int layer) =>
        Cell == CellType.Gru ? _parameters.AsSpan(Layer(layer).RecurrentBiasOffset, Layer(layer).GateWidth) : Span<T>.Empty;

    /// <summary>The output layer's weights, [H, outputs] row-major.</summary>
    public Span<T> OutputWeights => _parameters.AsSpan(_output.WeightOffset, _output.WeightCount);

    /// <summary>The output layer's biases.</summary>
    public Span<T> OutputBiases => _parameters.AsSpan(_output.BiasOffset, _output.Units);

    /// <summary>
    /// Allocates the buffers for up to <paramref name="maxBatch"/> sequences of up to
    /// <paramref name="maxSequenceLength"/> steps, and the threads large products may use (0: one per processor;
    /// small products always run on the calling thread, and results are bit-identical at any thread count).
    /// </summary>
    public SequenceWorkspace<T> CreateWorkspace(int maxBatch, int maxSequenceLength, int threads = 0) => new(this, maxBatch, maxSequenceLength, threads);

    /// <summary>
    /// Sets every parameter afresh from <paramref name="seed"/>: the recurrent layers' weights and biases uniform
    /// in ±1/√H (PyTorch's initialisation of nn.RNN, nn.GRU and nn.LSTM), the output layer Glorot uniform with zero
    /// biases. The same seed always gives the same parameters.
    /// </summary>
    public void InitializeWeights(int seed)
    {
        var random = new Random(seed);
        double limit = 1 / Math.Sqrt(HiddenSize);
        int recurrentEnd = _output.WeightOffset;
        for (int i = 0; i < recurrentEnd; i++)
        {
            _parameters[i] = T.CreateChecked(((2 * random.NextDouble()) - 1) * limit);
        }

        double glorot = Math.Sqrt(6.0 / (HiddenSize + OutputCount));
        Span<T> w = OutputWeights;
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = T.CreateChecked(((2 * random.NextDouble()) - 1) * glorot);
        }

        OutputBiases.Clear();
    }

    /// <summary>
    /// Runs the network over a batch of sequences and returns its outputs, batch-major ([batch, outputs] or
    /// [batch, time, outputs]), as a view of the workspace valid until its next use.
    /// </summary>
    /// <param name="inputs">[batch, sequenceLength, InputCount] row-major.</param>
    /// <param name="sequenceLength">Time steps per sequence, 1 to the workspace's MaxSequenceLength.</param>
    /// <param name="workspace">A workspace of this network.</param>
    /// <param name="state">Start from zero or from where the workspace's last call ended.</param>
    public ReadOnlySpan<T> Forward(ReadOnlySpan<T> inputs, int sequenceLength, SequenceWorkspace<T> workspace, StateMode state = StateMode.Reset)
    {
        int batch = CheckInputs(inputs, sequenceLength, workspace, state);
        workspace.Acquire();
        try
        {
            Run(inputs, ReadOnlySpan<T>.Empty, batch, sequenceLength, workspace, 0, state, gradients: false, collectOutputs: true);
            return workspace.BatchMajorOutputs.AsSpan(0, OutputLength(batch, sequenceLength));
        }
        finally
        {
            workspace.Release();
        }
    }

    /// <summary>As <see cref="Forward"/>, copying the outputs into <paramref name="outputs"/>.</summary>
    public void Predict(ReadOnlySpan<T> inputs, int sequenceLength, Span<T> outputs, SequenceWorkspace<T> workspace, StateMode state = StateMode.Reset)
    {
        int batch = CheckInputs(inputs, sequenceLength, workspace, state);
        int n = OutputLength(batch, sequenceLength);
        if (outputs.Length != n)
        {
            ThrowHelper.LengthMismatch(nameof(outputs), $"{n} outputs for {batch} sequences", outputs.Length);
        }

        workspace.Acquire();
        try
        {
            Run(inputs, ReadOnlySpan<T>.Empty, batch, sequenceLength, workspace, 0, state, gradients: false, collectOutputs: true);
            workspace.BatchMajorOutputs.AsSpan(0, n).CopyTo(outputs);
        }
        finally
        {
            workspace.Release();
        }
    }

    /// <summary>The mean loss over a batch (see <see cref="SequenceOutput"/> for the averaging), without gradients.</summary>
    public T Evaluate(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int sequenceLength, SequenceWorkspace<T> workspace, StateMode state = StateMode.Reset)
    {
        int batch = CheckInputs(inputs, sequenceLength, workspace, state);
        CheckTargets(targets, batch, sequenceLength);
        workspace.Acquire();
        try
        {
            return Run(inputs, targets, batch, sequenceLength, workspace, 0, state, gradients: false, collectOutputs: false);
        }
        finally
        {
            workspace.Release();
        }
    }

    /// <summary>
    /// Forward and backpropagation through time over a batch: returns the mean loss and leaves dL/dθ in
    /// <see cref="SequenceWorkspace{T}.Gradients"/> (overwritten). The parameters are not changed. The final state
    /// is kept in the workspace for a later call with <see cref="StateMode.Carry"/>.
    /// </summary>
    /// <param name="inputs">[batch, sequenceLength, InputCount] row-major.</param>
    /// <param name="targets">[batch, OutputCount] (many-to-one) or [batch, sequenceLength, OutputCount] (many-to-many).</param>
    /// <param name="sequenceLength">Time steps per sequence, 1 to the workspace's MaxSequenceLength.</param>
    /// <param name="workspace">A workspace of this network.</param>
    /// <param name="truncation">0 for full BPTT, else the horizon k of truncated BPTT (see the class remarks).</param>
    /// <param name="state">Start from zero or from where the workspace's last call ended.</param>
    public T ComputeGradients(
        ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int sequenceLength, SequenceWorkspace<T> workspace, int truncation = 0, StateMode state = StateMode.Reset)
    {
        int batch = CheckInputs(inputs, sequenceLength, workspace, state);
        CheckTargets(targets, batch, sequenceLength);
        CheckTruncation(truncation);
        workspace.Acquire();
        try
        {
            return Run(inputs, targets, batch, sequenceLength, workspace, truncation, state, gradients: true, collectOutputs: false);
        }
        finally
        {
            workspace.Release();
        }
    }

    /// <summary>
    /// One step of gradient descent: <see cref="ComputeGradients"/>, then, when <paramref name="maxGradientNorm"/>
    /// is positive, <see cref="GradientClipping.ClipByGlobalNorm{T}(Span{T}, T)"/>, then θ ← θ − η·g. Returns the
    /// loss before the update; <see cref="SequenceWorkspace{T}.Gradients"/> holds the (clipped) gradient.
    /// </summary>
    /// <param name="inputs">[batch, sequenceLength, InputCount] row-major.</param>
    /// <param name="targets">As for <see cref="ComputeGradients"/>.</param>
    /// <param name="sequenceLength">Time steps per sequence.</param>
    /// <param name="workspace">A workspace of this network.</param>
    /// <param name="learningRate">η, positive and finite.</param>
    /// <param name="truncation">0 for full BPTT, else the horizon k.</param>
    /// <param name="state">Start from zero or from where the workspace's last call ended.</param>
    /// <param name="maxGradientNorm">0 for no clipping, else the largest global L2 norm of the gradient.</param>
    public T TrainStep(
        ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int sequenceLength, SequenceWorkspace<T> workspace, T learningRate,
        int truncation = 0, StateMode state = StateMode.Reset, T maxGradientNorm = default)
    {
        int batch = CheckInputs(inputs, sequenceLength, workspace, state);
        CheckTargets(targets, batch, sequenceLength);
        CheckTruncation(truncation);
        if (!T.IsFinite(learningRate) || learningRate <= T.Zero)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(learningRate), learningRate, "Expected a positive, finite learning rate.");
        }

        if (!T.IsFinite(maxGradientNorm) || maxGradientNorm < T.Zero)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(maxGradientNorm), maxGradientNorm, "Expected 0 (no clipping) or a positive, finite maximum norm.");
        }

        workspace.Acquire();
        try
        {
            T loss = Run(inputs, targets, batch, sequenceLength, workspace, truncation, state, gradients: true, collectOutputs: false);
            if (maxGradientNorm > T.Zero)
            {
                GradientClipping.ClipByGlobalNorm(workspace.Gradients, maxGradientNorm);
            }

            Axpy.Run(-learningRate, workspace.Gradients, _parameters);
            return loss;
        }
        finally
        {
            workspace.Release();
        }
    }

    internal RecurrentLayer<T> Layer(int layer)
    {
        if ((uint)layer >= (uint)_layers.Length)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(layer), layer, $"Expected a layer index from 0 to {_layers.Length - 1}.");
        }

        return _layers[layer];
    }

    int OutputLength(int batch, int sequenceLength) =>
        (Output == SequenceOutput.EveryStep ? batch * sequenceLength : batch) * OutputCount;

    // The whole call, chunk by chunk: forward through every layer, the output layer and the loss, then (for
    // gradients) BPTT through the chunk's steps; the state is handed from chunk to chunk and kept for the next call.
    T Run(
        ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batch, int length, SequenceWorkspace<T> ws,
        int truncation, StateMode state, bool gradients, bool collectOutputs)
    {
        GemmWorkspace<T> gemm = ws.Gemm;
        if (state == StateMode.Reset)
        {
            for (int l = 0; l < _layers.Length; l++)
            {
                _layers[l].ResetState(batch, ws.Layers[l]);
            }
        }

        // A call that fails below must not leave a state that looks carried; it is restored at the end.
        ws.StateBatch = 0;
        Span<T> grads = ws.Gradients;
        if (gradients)
        {
            grads.Clear();
        }

        int chunk = truncation == 0 ? length : Math.Min(truncation, length);
        int h = HiddenSize, outputs = OutputCount;
        int top = _layers.Length - 1;
        T loss = T.Zero;
        T lengthT = T.CreateChecked(length);
        for (int start = 0; start < length; start += chunk)
        {
            int steps = Math.Min(chunk, length - start);
            int rows = steps * batch;
            bool last = start + steps == length;
            ToTimeMajor(inputs, batch, length, start, steps, InputCount, ws.Inputs);
            for (int l = 0; l <= top; l++)
            {
                ReadOnlySpan<T> x = l == 0 ? ws.Inputs.AsSpan(0, rows * InputCount) : ws.Layers[l - 1].Hidden.AsSpan(0, rows * h);
                _layers[l].Forward(x, batch, steps, _parameters, ws.Layers[l], gemm);
            }

            LayerBuffers<T> topBuffers = ws.Layers[top];
            bool backward = false;
            if (Output == SequenceOutput.EveryStep)
            {
                ReadOnlySpan<T> xTop = topBuffers.Hidden.AsSpan(0, rows * h);
                Span<T> z = ws.Logits.AsSpan(0, rows * outputs), y = ws.Outputs.AsSpan(0, rows * outputs);
                _output.Forward(xTop, rows, _parameters, z, y, gemm);
                if (collectOutputs)
                {
                    ToBatchMajor(y, batch, length, start, steps, outputs, ws.BatchMajorOutputs);
                }

                if (!targets.IsEmpty)
                {
                    ToTimeMajor(targets, batch, length, start, steps, outputs, ws.Targets);
                    Span<T> delta = gradients ? ws.OutputDelta.AsSpan(0, rows * outputs) : Span<T>.Empty;
                    T chunkLoss = LossFunction.Evaluate(Loss, OutputActivation, z, y, ws.Targets.AsSpan(0, rows * outputs), rows, outputs, delta);

                    // Each chunk's loss is a mean over its own rows; weighted by its share of the steps, the sum is
                    // the mean over all batch · length rows.
                    T weight = T.CreateChecked(steps) / lengthT;
                    loss += chunkLoss * weight;
                    if (gradients)
                    {
                        if (steps != length)
                        {
                            Scale.Run(weight, delta);
                        }

                        OutputBackward(xTop, delta, rows, grads, ws, topBuffers.dHidden.AsSpan(0, rows * h));
                        backward = true;
                    }
                }
            }
            else if (last)
            {
                ReadOnlySpan<T> xTop = topBuffers.Hidden.AsSpan((steps - 1) * batch * h, batch * h);
                Span<T> z = ws.Logits.AsSpan(0, batch * outputs), y = ws.Outputs.AsSpan(0, batch * outputs);
                _output.Forward(xTop, batch, _parameters, z, y, gemm);
                if (collectOutputs)
                {
                    y.CopyTo(ws.BatchMajorOutputs);
                }

                if (!targets.IsEmpty)
                {
                    Span<T> delta = gradients ? ws.OutputDelta.AsSpan(0, batch * outputs) : Span<T>.Empty;
                    loss = LossFunction.Evaluate(Loss, OutputActivation, z, y, targets, batch, outputs, delta);
                    if (gradients)
                    {
                        topBuffers.dHidden.AsSpan(0, (steps - 1) * batch * h).Clear();
                        OutputBackward(xTop, delta, batch, grads, ws, topBuffers.dHidden.AsSpan((steps - 1) * batch * h, batch * h));
                        backward = true;
                    }
                }
            }

            if (backward)
            {
                for (int l = top; l >= 0; l--)
                {
                    ReadOnlySpan<T> x = l == 0 ? ws.Inputs.AsSpan(0, rows * InputCount) : ws.Layers[l - 1].Hidden.AsSpan(0, rows * h);
                    Span<T> dx = l == 0 ? Span<T>.Empty : ws.Layers[l - 1].dHidden.AsSpan(0, rows * h);
                    _layers[l].Backward(x, batch, steps, _parameters, ws.Layers[l], grads, ws.Scratch, dx, gemm);
                }
            }

            for (int l = 0; l <= top; l++)
            {
                _layers[l].CarryState(batch, steps, ws.Layers[l]);
            }
        }

        ws.StateBatch = batch;
        return loss;
    }

    // The output layer's gradients (accumulated, since truncated BPTT adds chunk after chunk) and dL/dh of the
    // top recurrent layer (overwritten).
    void OutputBackward(ReadOnlySpan<T> x, ReadOnlySpan<T> delta, int rows, Span<T> grads, SequenceWorkspace<T> ws, Span<T> dHidden)
    {
        int outputs = OutputCount;
        Gemm.MultiplyTN(HiddenSize, outputs, rows, T.One, x, HiddenSize, delta, outputs, accumulate: true, grads.Slice(_output.WeightOffset, _output.WeightCount), outputs, ws.Gemm);
        Span<T> sums = ws.Scratch.AsSpan(0, outputs);
        ColumnSums.Run(delta, rows, sums);
        Axpy.Run(T.One, sums, grads.Slice(_output.BiasOffset, outputs));
        _output.InputGradient(delta, rows, _parameters, dHidden, ws.Gemm);
    }

    // [batch, length, width] batch-major, steps start..start+steps−1 → [steps, batch, width] time-major.
    static void ToTimeMajor(ReadOnlySpan<T> source, int batch, int length, int start, int steps, int width, Span<T> destination)
    {
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < steps; t++)
            {
                source.Slice(((b * length) + start + t) * width, width).CopyTo(destination.Slice(((t * batch) + b) * width, width));
            }
        }
    }

    // The inverse of ToTimeMajor.
    static void ToBatchMajor(ReadOnlySpan<T> source, int batch, int length, int start, int steps, int width, Span<T> destination)
    {
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < steps; t++)
            {
                source.Slice(((t * batch) + b) * width, width).CopyTo(destination.Slice(((b * length) + start + t) * width, width));
            }
        }
    }

    int CheckInputs(ReadOnlySpan<T> inputs, int sequenceLength, SequenceWorkspace<T> workspace, StateMode state)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (!ReferenceEquals(workspace.Network, this))
        {
            ThrowHelper.Argument(nameof(workspace), "Expected a workspace created by this network's CreateWorkspace, but got one of another network.");
        }

        if (sequenceLength < 1 || sequenceLength > workspace.MaxSequenceLength)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(sequenceLength), sequenceLength, $"Expected a sequence length from 1 to {workspace.MaxSequenceLength} (the workspace's MaxSequenceLength).");
        }

        int perSequence = sequenceLength * InputCount;
        if (inputs.IsEmpty || inputs.Length % perSequence != 0)
        {
            ThrowHelper.LengthMismatch(nameof(inputs), $"a whole number (at least 1) of sequences of {sequenceLength} steps x {InputCount} inputs = {perSequence} elements", inputs.Length);
        }

        int batch = inputs.Length / perSequence;
        if (batch > workspace.MaxBatch)
        {
            ThrowHelper.Argument(nameof(inputs), $"Expected at most {workspace.MaxBatch} sequences (the workspace's MaxBatch), but got {batch}.");
        }

        int bad = Finite.IndexOfNonFinite(inputs);
        if (bad >= 0)
        {
            ThrowHelper.NotFinite(nameof(inputs), bad, double.CreateTruncating(inputs[bad]), InputCount);
        }

        // Not Enum.IsDefined: its answer comes from a weakly held runtime type cache that every garbage
        // collection drops and the next call rebuilds, 240 B per step after each collection.
        if (state is not (StateMode.Reset or StateMode.Carry))
        {
            ThrowHelper.ArgumentOutOfRange(nameof(state), state, "Unknown state mode.");
        }

        if (state == StateMode.Carry && workspace.StateBatch != batch)
        {
            ThrowHelper.Argument(
                nameof(state),
                workspace.StateBatch == 0
                    ? "Expected a state to carry, but the workspace has none (no earlier call completed on it)."
                    : $"Expected a batch of {workspace.StateBatch} sequences to carry the state of the previous call, but got {batch}.");
        }

        return batch;
    }

    void CheckTargets(ReadOnlySpan<T> targets, int batch, int sequenceLength)
    {
        int n = OutputLength(batch, sequenceLength);
        if (targets.Length != n)
        {
            string shape = Output == SequenceOutput.EveryStep
                ? $"{batch} x {sequenceLength} x {OutputCount} = {n} targets (one row per sequence and step)"
                : $"{batch} x {OutputCount} = {n} targets (one row per sequence)";
            ThrowHelper.LengthMismatch(nameof(targets), shape, targets.Length);
        }

        int bad = Finite.IndexOfNonFinite(targets);
        if (bad >= 0)
        {
            ThrowHelper.NotFinite(nameof(targets), bad, double.CreateTruncating(targets[bad]), OutputCount);
        }

        if (Loss != Loss.SquaredError)
        {
            for (int i = 0; i < targets.Length; i++)
            {
                if (targets[i] < T.Zero || targets[i] > T.One)
                {
                    ThrowHelper.Argument(nameof(targets), $"Expected targets in [0, 1] for {Loss}, but element {i} is {targets[i]}.");
                }
            }
        }
    }

    static void CheckTruncation(int truncation)
    {
        if (truncation < 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(truncation), truncation, "Expected 0 (full BPTT) or a positive truncation horizon k.");
        }
    }
}
