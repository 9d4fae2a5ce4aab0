using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastBackprop.Internal;
using FastBackprop.Kernels;
using FastBackprop.Kernels.Elementwise;
using FastBackprop.Kernels.Reductions;
using FastBackprop.Layers;
using FastBackprop.Losses;

namespace FastBackprop.Networks;

/// <summary>
/// A feed-forward network of dense layers trained by backpropagation. All weights and biases live in one
/// contiguous vector (<see cref="Parameters"/>), which optimizers, serialization and any all-reduce can treat
/// as a flat array; <see cref="Weights"/> and <see cref="Biases"/> are views of it.
/// </summary>
/// <remarks>
/// <para>Every step runs in a <see cref="Workspace{T}"/> made once by <see cref="CreateWorkspace"/>; after
/// that, forward, backward and update allocate nothing.</para>
/// <para>Data are row-major: a batch of n samples is n consecutive rows of <see cref="InputCount"/> inputs, and
/// targets are n rows of <see cref="OutputCount"/> values (one-hot rows for classification).</para>
/// <para>Thread safety: forward passes only read the network, so any number of threads may run
/// <see cref="Forward"/>, <see cref="Predict"/> or <see cref="Evaluate"/> at once, each with its own workspace
/// (results are bit-identical to sequential calls). A workspace serves one call at a time: a call that starts
/// while another runs in the same workspace throws <see cref="InvalidOperationException"/> before writing
/// anything. Updating the parameters while another thread reads them is not safe.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed unsafe class Network<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    readonly DenseLayer<T>[] _layers;
    // The parameter vector is [_start, _start + ParameterCount) of _storage. A large one is a pinned array from
    // a 64-byte boundary: the batch-1 kernels stream the weights once per step, and where a layer's rows are a
    // whole number of cache lines (W2's 128 float units, 512 bytes) and start on one, their vector loads and
    // stores never straddle two lines. A small one (under AlignedArray.PinnedMinBytes, so it sits in L2 anyway)
    // stays an ordinary array from 0 (see AlignedArray.AllocateIfLarge).
    readonly T[] _storage;
    readonly int _start;
    readonly bool _tiny;
    // The 2-2-2 step for this network's activations when it has the seeds' shape (TinyNetwork.IsTwoTwoTwo), else null.
    readonly delegate*<Network<T>, ReadOnlySpan<T>, ReadOnlySpan<T>, Workspace<T>, T, T> _twoTwoTwo;

    /// <summary>
    /// Builds a network and initialises its weights from seed 0 with the default scheme (see <see cref="InitializeWeights"/>).
    /// </summary>
    /// <param name="inputs">Inputs per sample, at least 1.</param>
    /// <param name="loss">The cost to minimise; the cross-entropies require the matching output activation.</param>
    /// <param name="layers">The dense layers from the first hidden layer to the output layer; at least one.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    /// <exception cref="ArgumentException">A size is below 1, softmax is used before the output layer, or the loss does not fit the output activation.</exception>
    public Network(int inputs, Loss loss, params ReadOnlySpan<LayerSpec> layers)
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw ThrowHelper.UnsupportedElementType<T>();
        }

        // Initialise the ISA gates now, before any kernel is compiled, so tier-1 code sees them as constants.
        _ = Isa.Active;

        if (inputs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "Expected at least 1 input.");
        }

        if (layers.IsEmpty)
        {
            throw new ArgumentException("Expected at least one layer (the output layer), but got none.", nameof(layers));
        }

        if (!Enum.IsDefined(loss))
        {
            throw new ArgumentOutOfRangeException(nameof(loss), loss, "Unknown loss.");
        }

        _layers = new DenseLayer<T>[layers.Length];
        long offset = 0;
        int previous = inputs;
        for (int l = 0; l < layers.Length; l++)
        {
            LayerSpec spec = layers[l];
            if (spec.Units < 1)
            {
                throw new ArgumentException($"Expected at least 1 unit in layer {l}, but got {spec.Units}.", nameof(layers));
            }

            if (!Enum.IsDefined(spec.Activation))
            {
                throw new ArgumentException($"Layer {l} has an unknown activation ({(int)spec.Activation}).", nameof(layers));
            }

            if (spec.Activation == Activation.Softmax && l != layers.Length - 1)
            {
                throw new ArgumentException($"Softmax is only for the output layer, but layer {l} of {layers.Length} uses it.", nameof(layers));
            }

            long count = ((long)previous * spec.Units) + spec.Units;
            if (offset + count > AlignedArray.MaxLength<T>())
            {
                throw new ArgumentException($"The network would have more than {AlignedArray.MaxLength<T>()} parameters.", nameof(layers));
            }

            _layers[l] = new DenseLayer<T>(previous, spec, (int)offset);
            offset += count;
            previous = spec.Units;
        }

        Activation output = layers[^1].Activation;
        if (loss == Loss.SoftmaxCrossEntropy && output != Activation.Softmax)
        {
            throw new ArgumentException($"SoftmaxCrossEntropy expects a Softmax output layer, but the output layer uses {output}.", nameof(loss));
        }

        if (loss == Loss.SigmoidBinaryCrossEntropy && output != Activation.Sigmoid)
        {
            throw new ArgumentException($"SigmoidBinaryCrossEntropy expects a Sigmoid output layer, but the output layer uses {output}.", nameof(loss));
        }

        InputCount = inputs;
        OutputCount = previous;
        Loss = loss;
        _storage = AlignedArray.AllocateIfLarge<T>((int)offset, out _start);

        ParameterCount = (int)offset;
        _tiny = TinyNetwork.Qualifies<T>(_layers);
        _twoTwoTwo = TinyNetwork.IsTwoTwoTwo<T>(_layers, loss) ? TinyNetwork.TwoTwoTwoStep<T>(_layers[0].Activation, _layers[1].Activation) : null;
        InitializeWeights(0);
    }

    /// <summary>Inputs per sample.</summary>
    public int InputCount { get; }

    /// <summary>Outputs per sample (units of the last layer).</summary>
    public int OutputCount { get; }

    /// <summary>Number of dense layers, the output layer included.</summary>
    public int LayerCount => _layers.Length;

    /// <summary>The cost the network is trained on.</summary>
    public Loss Loss { get; }

    /// <summary>Number of weights and biases.</summary>
    public int ParameterCount { get; }

    /// <summary>
    /// All weights and biases as one vector: for each layer in order, its weights [inputs, units] row-major
    /// (element i·units + j connects input i to unit j), then its biases.
    /// </summary>
    public Span<T> Parameters => _storage.AsSpan(_start, ParameterCount);

    /// <summary>The size and activation of layer <paramref name="layer"/> (0 is the first hidden layer).</summary>
    public LayerSpec GetLayer(int layer) => new(Layer(layer).Units, Layer(layer).Activation);

    /// <summary>Inputs of layer <paramref name="layer"/>: the network's inputs for layer 0, else the previous layer's units.</summary>
    public int GetLayerInputCount(int layer) => Layer(layer).Inputs;

    /// <summary>Layer <paramref name="layer"/>'s weights, [inputs, units] row-major: element i·units + j connects input i to unit j.</summary>
    public Span<T> Weights(int layer)
    {
        DenseLayer<T> l = Layer(layer);
        return Parameters.Slice(l.WeightOffset, l.WeightCount);
    }

    /// <summary>Layer <paramref name="layer"/>'s biases, one per unit.</summary>
    public Span<T> Biases(int layer)
    {
        DenseLayer<T> l = Layer(layer);
        return Parameters.Slice(l.BiasOffset, l.Units);
    }

    /// <summary>
    /// Allocates the buffers for batches of up to <paramref name="maxBatch"/> samples, and the threads large
    /// products may use: <paramref name="threads"/> in all, the calling thread included; 0 (the default) means
    /// one per processor. Products below a size threshold always run on the calling thread alone, and results
    /// are bit-identical at any thread count. Dispose the workspace to stop its threads.
    /// </summary>
    public Workspace<T> CreateWorkspace(int maxBatch, int threads = 0) => new(this, maxBatch, threads);

    /// <summary>
    /// Sets every weight and bias afresh by <paramref name="scheme"/> (by default Glorot uniform for sigmoid,
    /// tanh, identity and softmax layers and He uniform for ReLU layers, biases 0; see
    /// <see cref="WeightInitialization"/>). Every draw comes from <paramref name="seed"/>: the same seed and
    /// scheme always give the same parameters, bit for bit.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scheme"/> is not a defined scheme; nothing is changed.</exception>
    public void InitializeWeights(int seed, WeightInitialization scheme = WeightInitialization.Auto)
    {
        if (!Enum.IsDefined(scheme))
        {
            throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown weight initialization scheme.");
        }

        var random = new Random(seed);
        Span<T> parameters = Parameters;
        foreach (DenseLayer<T> layer in _layers)
        {
            Span<T> w = parameters.Slice(layer.WeightOffset, layer.WeightCount);
            Span<T> b = parameters.Slice(layer.BiasOffset, layer.Units);
            switch (scheme)
            {
                case WeightInitialization.Auto:
                    Uniform(w, random, layer.Activation is Activation.Relu or Activation.LeakyRelu ? HeLimit(layer) : GlorotLimit(layer));
                    b.Clear();
                    break;
                case WeightInitialization.SmallUniform:
                    Uniform(w, random, 0.1);
                    Uniform(b, random, 0.1);
                    break;
                case WeightInitialization.GlorotUniform:
                    Uniform(w, random, GlorotLimit(layer));
                    b.Clear();
                    break;
                case WeightInitialization.HeUniform:
                    Uniform(w, random, HeLimit(layer));
                    b.Clear();
                    break;
                default:
                    NguyenWidrow(layer, w, b, random);
                    break;
            }
        }
    }

    static double GlorotLimit(DenseLayer<T> layer) => Math.Sqrt(6.0 / (layer.Inputs + layer.Units));

    static double HeLimit(DenseLayer<T> layer) => Math.Sqrt(6.0 / layer.Inputs);

    static void Uniform(Span<T> values, Random random, double limit)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateChecked(((2 * random.NextDouble()) - 1) * limit);
        }
    }

    // Weights uniform in ±0.5, then each unit's column of W (its incoming weights) scaled to length β.
    static void NguyenWidrow(DenseLayer<T> layer, Span<T> w, Span<T> b, Random random)
    {
        double beta = 0.7 * Math.Pow(layer.Units, 1.0 / layer.Inputs);
        Span<double> column = layer.Inputs <= 1024 ? stackalloc double[layer.Inputs] : new double[layer.Inputs];
        Uniform(w, random, 0.5);
        for (int j = 0; j < layer.Units; j++)
        {
            double norm = 0;
            for (int i = 0; i < layer.Inputs; i++)
            {
                column[i] = double.CreateChecked(w[(i * layer.Units) + j]);
                norm += column[i] * column[i];
            }

            double scale = norm > 0 ? beta / Math.Sqrt(norm) : 0;
            for (int i = 0; i < layer.Inputs; i++)
            {
                w[(i * layer.Units) + j] = T.CreateChecked(column[i] * scale);
            }
        }

        Uniform(b, random, beta);
    }

    /// <summary>
    /// Runs the network on a batch and returns its outputs, [batch, <see cref="OutputCount"/>] row-major. The
    /// returned span is a view of the workspace, valid until its next use.
    /// </summary>
    /// <param name="inputs">[batch, <see cref="InputCount"/>] row-major; batch = inputs.Length / InputCount.</param>
    /// <param name="workspace">A workspace of this network.</param>
    public ReadOnlySpan<T> Forward(ReadOnlySpan<T> inputs, Workspace<T> workspace)
    {
        int batch = CheckInputs(inputs, workspace);
        workspace.Acquire();
        try
        {
            return RunForward(inputs, batch, workspace);
        }
        finally
        {
            workspace.Release();
        }
    }

    /// <summary>Runs the network on a batch and copies its outputs into <paramref name="outputs"/> ([batch, OutputCount]).</summary>
    public void Predict(ReadOnlySpan<T> inputs, Span<T> outputs, Workspace<T> workspace)
    {
        int batch = CheckInputs(inputs, workspace);
        if (outputs.Length != batch * OutputCount)
        {
            ThrowHelper.LengthMismatch(nameof(outputs), $"{batch} x {OutputCount} = {batch * OutputCount} outputs for {batch} samples", outputs.Length);
        }

        workspace.Acquire();
        try
        {
            RunForward(inputs, batch, workspace).CopyTo(outputs);
        }
        finally
        {
            workspace.Release();
        }
    }

    /// <summary>The mean loss of the network over a batch, without computing gradients.</summary>
    public T Evaluate(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Workspace<T> workspace)
    {
        int batch = CheckInputs(inputs, workspace);
        CheckTargets(targets, batch);
        workspace.Acquire();
        try
        {
            ReadOnlySpan<T> y = RunForward(inputs, batch, workspace);
            return LossFunction.Evaluate(Loss, _layers[^1].Activation, workspace.Logits(batch), y, targets, batch, OutputCount, Span<T>.Empty);
        }
        finally
        {
            workspace.Release();
        }
    }

    /// <summary>
    /// Forward and backward over a batch: returns the mean loss and leaves dC/dθ in
    /// <see cref="Workspace{T}.Gradients"/> (overwritten). The parameters are not changed.
    /// </summary>
    /// <param name="inputs">[batch, <see cref="InputCount"/>].</param>
    /// <param name="targets">[batch, <see cref="OutputCount"/>]; finite, and in [0, 1] for the cross-entropies.</param>
    /// <param name="workspace">A workspace of this network with MaxBatch ≥ batch.</param>
    public T ComputeGradients(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Workspace<T> workspace) =>
        ComputeGradients(inputs, targets, workspace, Span<T>.Empty);

    /// <summary>
    /// As <see cref="ComputeGradients(ReadOnlySpan{T}, ReadOnlySpan{T}, Workspace{T})"/>, and also writes the
    /// gradient with respect to the inputs, dC/dx [batch, <see cref="InputCount"/>], into
    /// <paramref name="inputGradient"/> (skipped when it is empty).
    /// </summary>
    public T ComputeGradients(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Workspace<T> workspace, Span<T> inputGradient)
    {
        int batch = CheckInputs(inputs, workspace);
        CheckTargets(targets, batch);
        if (!inputGradient.IsEmpty && inputGradient.Length != batch * InputCount)
        {
            ThrowHelper.LengthMismatch(nameof(inputGradient), $"{batch} x {InputCount} = {batch * InputCount} elements, or none", inputGradient.Length);
        }

        workspace.Acquire();
        try
        {
            return RunBackward(inputs, targets, batch, workspace, inputGradient);
        }
        finally
        {
            workspace.Release();
        }
    }

    /// <summary>
    /// The seeds' update rule, plain gradient descent on every parameter: θ ← θ - η · dC/dθ, with the gradients
    /// of the workspace's last <see cref="ComputeGradients(ReadOnlySpan{T}, ReadOnlySpan{T}, Workspace{T})"/>.
    /// </summary>
    /// <param name="workspace">A workspace of this network.</param>
    /// <param name="learningRate">η, a positive finite number.</param>
    public void ApplyGradients(Workspace<T> workspace, T learningRate)
    {
        CheckWorkspace(workspace);
        CheckLearningRate(learningRate);
        workspace.Acquire();
        try
        {
            Axpy.Run(-learningRate, workspace.Gradients, Parameters);
        }
        finally
        {
            workspace.Release();
        }
    }

    /// <summary>
    /// One step of stochastic gradient descent on a batch: forward, backward, θ ← θ - η · dC/dθ. Returns the
    /// batch's mean loss before the update. The result equals <see cref="ComputeGradients(ReadOnlySpan{T}, ReadOnlySpan{T}, Workspace{T})"/>
    /// followed by <see cref="ApplyGradients"/>, but the update is fused into the weight-gradient products, so
    /// the weight gradients are not stored: <see cref="Workspace{T}.Gradients"/> is left unspecified.
    /// </summary>
    public T TrainStep(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Workspace<T> workspace, T learningRate) =>
        // One sample of the seeds' 2-2-2 network takes a path of its own (see TinyNetwork.TwoTwoTwo).
        _twoTwoTwo != null && inputs.Length == 2
            ? _twoTwoTwo(this, inputs, targets, workspace, learningRate)
            : TrainStepAnyShape(inputs, targets, workspace, learningRate);

    [MethodImpl(MethodImplOptions.NoInlining)]
    T TrainStepAnyShape(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Workspace<T> workspace, T learningRate)
    {
        int batch = CheckInputs(inputs, workspace);
        CheckTargets(targets, batch);
        CheckLearningRate(learningRate);
        workspace.Acquire();
        try
        {
            return _tiny && batch == 1
                ? TinyNetwork.TrainStep<T>(_layers, Loss, Parameters, inputs, targets, learningRate, workspace)
                : RunBackward(inputs, targets, batch, workspace, Span<T>.Empty, learningRate);
        }
        finally
        {
            workspace.Release();
        }
    }

    // What the general checks throw for a step that the 2-2-2 step (TinyNetwork.TwoTwoTwo) refused.
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal Exception InvalidStep(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Workspace<T>? workspace, T learningRate)
    {
        // CheckInputs throws ArgumentNullException for a null workspace, as the general step does.
        CheckTargets(targets, CheckInputs(inputs, workspace!));
        CheckLearningRate(learningRate);
        return new UnreachableException("The 2-2-2 step refused arguments that the general checks accept.");
    }

    /// <summary>Whether one sample of this network steps through the 2-2-2 kernel (see TinyNetwork.TwoTwoTwo).</summary>
    internal bool StepsThroughTwoTwoTwoKernel => _twoTwoTwo != null;

    /// <summary>The first element of <see cref="Parameters"/>, for kernels that walk it by reference.</summary>
    internal ref T ParametersRef => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_storage), _start);

    /// <summary>The layers, input to output, for kernels that walk them (the network keeps them; callers only read).</summary>
    internal DenseLayer<T>[] LayerArray => _layers;

    internal DenseLayer<T> Layer(int layer)
    {
        if ((uint)layer >= (uint)_layers.Length)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(layer), layer, $"Expected a layer index from 0 to {_layers.Length - 1}.");
        }

        return _layers[layer];
    }

    ReadOnlySpan<T> RunForward(ReadOnlySpan<T> inputs, int batch, Workspace<T> workspace)
    {
        if (_tiny && batch == 1)
        {
            return TinyNetwork.Forward<T>(_layers, Parameters, inputs, workspace);
        }

        ReadOnlySpan<T> parameters = Parameters;
        ReadOnlySpan<T> x = inputs;
        int last = _layers.Length - 1;
        for (int l = 0; l < last; l++)
        {
            Span<T> y = workspace.Outputs(l, batch);
            _layers[l].Forward(x, batch, parameters, y, y, workspace.Gemm);
            x = y;
        }

        Span<T> output = workspace.Outputs(last, batch);
        _layers[last].Forward(x, batch, parameters, workspace.Logits(batch), output, workspace.Gemm);
        return output;
    }

    // Backpropagation from the output layer down. With a learning rate, plain SGD is fused into each layer's
    // weight-gradient product (the gradient is accumulated straight into the weights, after the layer below's
    // delta has been computed from the old weights); without one, the gradients are stored in the workspace.
    T RunBackward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batch, Workspace<T> workspace, Span<T> inputGradient, T learningRate = default)
    {
        ReadOnlySpan<T> y = RunForward(inputs, batch, workspace);
        int last = _layers.Length - 1;
        Span<T> delta = workspace.Deltas(last, batch);
        T loss = LossFunction.Evaluate(Loss, _layers[last].Activation, workspace.Logits(batch), y, targets, batch, OutputCount, delta);

        Span<T> parameters = Parameters;
        Span<T> gradients = workspace.Gradients;
        for (int l = last; l >= 0; l--)
        {
            DenseLayer<T> layer = _layers[l];
            ReadOnlySpan<T> x = l == 0 ? inputs : workspace.Outputs(l - 1, batch);
            Span<T> dx = l == 0 ? inputGradient : workspace.Deltas(l - 1, batch);
            if (!dx.IsEmpty)
            {
                layer.InputGradient(delta, batch, parameters, dx, workspace.Gemm);
            }

            if (learningRate == T.Zero)
            {
                layer.ParameterGradients(x, delta, batch, gradients, workspace.Gemm);
            }
            else
            {
                layer.UpdateWeights(x, delta, batch, learningRate, parameters, gradients, workspace.Gemm);
            }

            if (l > 0)
            {
                // The seeds' hidden delta: δ_j = (Σ_l δ_l w_jl) · f'(net_j).
                DenseLayer<T> previous = _layers[l - 1];
                ActivationKernels.Backward(previous.Activation, x, dx, batch, previous.Units);
                delta = dx;
            }
        }

        return loss;
    }

    int CheckInputs(ReadOnlySpan<T> inputs, Workspace<T> workspace)
    {
        CheckWorkspace(workspace);
        // One sample is the common online case: it needs no division.
        int batch = 1;
        if (inputs.Length != InputCount)
        {
            if (inputs.IsEmpty || inputs.Length % InputCount != 0)
            {
                ThrowInputLength(InputCount, inputs.Length);
            }

            batch = inputs.Length / InputCount;
        }

        if (batch > workspace.MaxBatch)
        {
            ThrowBatchTooLarge(workspace.MaxBatch, batch);
        }

        int bad = Finite.IndexOfNonFinite(inputs);
        if (bad >= 0)
        {
            ThrowHelper.NotFinite(nameof(inputs), bad, double.CreateTruncating(inputs[bad]), InputCount);
        }

        return batch;
    }

    void CheckTargets(ReadOnlySpan<T> targets, int batch)
    {
        if (targets.Length != batch * OutputCount)
        {
            ThrowTargetLength(batch, OutputCount, targets.Length);
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
                    ThrowTargetOutOfRange(Loss, i, OutputCount, targets[i]);
                }
            }
        }
    }

    void CheckWorkspace(Workspace<T> workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (!ReferenceEquals(workspace.Network, this))
        {
            ThrowHelper.Argument(nameof(workspace), "Expected a workspace created by this network's CreateWorkspace, but got one of another network.");
        }
    }

    static void CheckLearningRate(T learningRate)
    {
        if (!T.IsFinite(learningRate) || learningRate <= T.Zero)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(learningRate), learningRate, "Expected a positive, finite learning rate.");
        }
    }

    // The validation failures, out of line: message formatting in the checks themselves would give every step
    // a larger frame to set up (the checks run on every call, at a few nanoseconds per tiny step).
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void ThrowInputLength(int inputCount, int actual) =>
        ThrowHelper.LengthMismatch("inputs", $"a whole number (at least 1) of samples of {inputCount} inputs", actual);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void ThrowBatchTooLarge(int maxBatch, int batch) =>
        ThrowHelper.Argument("inputs", $"Expected at most {maxBatch} samples (the workspace's MaxBatch), but got {batch}.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void ThrowTargetLength(int batch, int outputCount, int actual) =>
        ThrowHelper.LengthMismatch("targets", $"{batch} x {outputCount} = {batch * outputCount} targets for {batch} samples", actual);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void ThrowTargetOutOfRange(Loss loss, int index, int outputCount, T value) =>
        ThrowHelper.Argument("targets", $"Expected targets in [0, 1] for {loss}, but element {index} (row {index / outputCount}, column {index % outputCount}) is {value}.");
}
