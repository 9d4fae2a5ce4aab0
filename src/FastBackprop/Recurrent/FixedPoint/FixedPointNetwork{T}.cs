using System;
using System.Numerics;
using FastBackprop.Internal;
using FastBackprop.Kernels;
using FastBackprop.Kernels.Elementwise;
using FastBackprop.Kernels.Gemm;
using FastBackprop.Kernels.Reductions;
using FastBackprop.Layers;
using FastBackprop.Losses;

namespace FastBackprop.Recurrent.FixedPoint;

/// <summary>
/// A fully recurrent network relaxed to a fixed point and trained by Almeida-Pineda recurrent backpropagation:
/// seed 001's recurrent backpropagation, where "the network is run forward until a certain value or threshold
/// is reached; after that the error is computed and propagated backward".
/// </summary>
/// <remarks>
/// <para><b>The model.</b> <see cref="Units"/> units, all of one activation f, each fed by every unit (self-loops
/// included) and by every external input. Rows are samples; for a sample with inputs s (length
/// <see cref="InputCount"/>) the state x (length Units) starts at 0 and is relaxed by</para>
/// <code>
/// u = x·W + s·V + b,   x ← (1 − d)·x + d·f(u)
/// </code>
/// <para>with W [Units, Units] (element i·Units + j is the weight from unit i to unit j: the engine's row-major
/// [inputs, units] layout, the recurrent units being their own inputs), V [InputCount, Units] (element
/// i·Units + j from input i to unit j), b [Units] and the damping d of <see cref="Options"/>. The inputs are
/// injected (not clamped): they enter every iteration through s·V. The forward phase stops at the first state
/// x* whose step max_i |d·(f(u) − x)_i| is at most the tolerance, so x* ≈ f(u*) with u* = x*·W + s·V + b.</para>
/// <para><b>The readout</b> is the first <see cref="OutputCount"/> units of y = f(u*) (which equals x* at an
/// exact fixed point), and the loss is one of the engine's <see cref="Losses.Loss"/> values on it, averaged over
/// the batch; the other units are hidden.</para>
/// <para><b>The gradient</b> (Almeida 1987; Pineda 1987; here in row-vector form). With
/// D = diag(f'(u*)) and g = ∂E/∂u* the explicit gradient of the loss at the readout (zero on hidden units), the
/// adjoint δ = dE/du* solves the linear fixed point</para>
/// <code>
/// δ = g + f'(u*) ⊙ (δ·Wᵀ)          (Pineda's z = Wᵀ(D z) + ∂E/∂x*, with δ = D z)
/// </code>
/// <para>which the backward phase relaxes in the same damped way from δ = g, δ ← (1 − d)·δ + d·(g + f'(u*) ⊙
/// (δ·Wᵀ)), reusing f'(u*) from the forward fixed point; it converges whenever the forward iteration is a
/// contraction at x*, since its map is the forward map's Jacobian transposed. Then, summed over the batch,</para>
/// <code>
/// ∂E/∂W = x*ᵀ·δ  (element i·Units + j = Σ_samples x*_i δ_j),   ∂E/∂V = sᵀ·δ,   ∂E/∂b = Σ_samples δ
/// </code>
/// <para>the outer products of the converged adjoint with the relaxed state and the inputs. With
/// <see cref="RelaxationOptions.NeumannTerms"/> = K the adjoint is instead the first K terms of its Neumann series,
/// Σ_{k&lt;K} A^k g with A(v) = f'(u*) ⊙ (v·Wᵀ) (Liao et al. 2018, "Reviving and Improving Recurrent
/// Back-Propagation", Neumann-RBP).</para>
/// <para>References: L. B. Almeida, "A learning rule for asynchronous perceptrons with feedback in a combinatorial
/// environment", Proc. IEEE First International Conference on Neural Networks, San Diego, 1987, vol. II,
/// pp. 609-618. F. J. Pineda, "Generalization of back-propagation to recurrent neural networks", Physical Review
/// Letters 59(19), 2229-2232, 1987. R. Liao et al., "Reviving and Improving Recurrent Back-Propagation", ICML 2018.</para>
/// <para><b>Non-convergence</b> is never silent: every call returns a <see cref="RelaxationReport"/> per phase;
/// when a phase fails, <see cref="FixedPointWorkspace{T}.Gradients"/> is set to zero rather than to a wrong
/// gradient, and with <see cref="RelaxationOptions.ThrowOnNonConvergence"/> a <see cref="RelaxationException"/>
/// is thrown as well. A caller that sees Converged false must not treat the step as a gradient step: skip the
/// batch, or lower the damping, raise the iteration limit, or shrink W (tanh or sigmoid units with
/// ‖W‖₂ below 1, resp. 4, always converge).</para>
/// <para><b>Cost.</b> Each iteration of either phase is one [batch, Units] × [Units, Units] product through the
/// engine's GEMM (at batch 1 a GEMV forward and row dot products backward; above, Wᵀ is transposed once per
/// call); buffers live in a
/// <see cref="FixedPointWorkspace{T}"/> made once, and calls after the first allocate nothing.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class FixedPointNetwork<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    readonly T[] _parameters;
    RelaxationOptions _options;

    /// <summary>Builds a network and initialises its weights from seed 0 (see <see cref="InitializeWeights"/>).</summary>
    /// <param name="units">Recurrent units, at least 1.</param>
    /// <param name="inputs">External inputs per sample, at least 1.</param>
    /// <param name="outputs">Units read out (the first <paramref name="outputs"/> units), from 1 to <paramref name="units"/>.</param>
    /// <param name="activation">f of every unit: Identity, Sigmoid, Tanh, Relu or LeakyRelu (not Softmax).</param>
    /// <param name="loss">SquaredError, or SigmoidBinaryCrossEntropy with sigmoid units (not SoftmaxCrossEntropy).</param>
    /// <param name="options">The relaxation settings; null for <see cref="RelaxationOptions.Default"/>.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    /// <exception cref="ArgumentException">A size, the activation, the loss or an option is out of range.</exception>
    public FixedPointNetwork(int units, int inputs, int outputs, Activation activation, Loss loss, RelaxationOptions? options = null)
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw ThrowHelper.UnsupportedElementType<T>();
        }

        // Initialise the ISA gates before any kernel is compiled, so tier-1 code sees them as constants.
        _ = Isa.Active;

        if (units < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(units), units, "Expected at least 1 unit.");
        }

        if (inputs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "Expected at least 1 input.");
        }

        if (outputs < 1 || outputs > units)
        {
            throw new ArgumentOutOfRangeException(nameof(outputs), outputs, $"Expected from 1 to {units} outputs (the units read out).");
        }

        if (!Enum.IsDefined(activation) || activation == Activation.Softmax)
        {
            throw new ArgumentException($"Expected an elementwise activation (Identity, Sigmoid, Tanh, Relu, LeakyRelu), but got {activation}.", nameof(activation));
        }

        if (loss == Loss.SigmoidBinaryCrossEntropy ? activation != Activation.Sigmoid : loss != Loss.SquaredError)
        {
            throw new ArgumentException($"Expected SquaredError, or SigmoidBinaryCrossEntropy with Sigmoid units, but got {loss} with {activation} units.", nameof(loss));
        }

        options ??= RelaxationOptions.Default;
        options.Validate(nameof(options));

        long count = ((long)units * units) + ((long)inputs * units) + units;
        if (count > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(units), units, $"The network would have {count} parameters, more than one array holds.");
        }

        Units = units;
        InputCount = inputs;
        OutputCount = outputs;
        Activation = activation;
        Loss = loss;
        _options = options;
        _parameters = new T[count];
        InitializeWeights(0);
    }

    /// <summary>Recurrent units.</summary>
    public int Units { get; }

    /// <summary>External inputs per sample.</summary>
    public int InputCount { get; }

    /// <summary>Units read out as the outputs: units 0 to OutputCount − 1.</summary>
    public int OutputCount { get; }

    /// <summary>The activation of every unit.</summary>
    public Activation Activation { get; }

    /// <summary>The loss on the readout.</summary>
    public Loss Loss { get; }

    /// <summary>The relaxation settings of both phases; validated when set.</summary>
    /// <exception cref="ArgumentException">A setting is out of range (see <see cref="RelaxationOptions"/>); the options are unchanged.</exception>
    public RelaxationOptions Options
    {
        get => _options;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate(nameof(value));
            _options = value;
        }
    }

    /// <summary>Number of parameters: Units² + InputCount·Units + Units.</summary>
    public int ParameterCount => _parameters.Length;

    /// <summary>All parameters as one vector: W [Units, Units], then V [InputCount, Units], then b [Units], each row-major.</summary>
    public Span<T> Parameters => _parameters;

    /// <summary>W [Units, Units] row-major: element i·Units + j is the weight from unit i to unit j.</summary>
    public Span<T> RecurrentWeights => _parameters.AsSpan(0, Units * Units);

    /// <summary>V [InputCount, Units] row-major: element i·Units + j is the weight from input i to unit j.</summary>
    public Span<T> InputWeights => _parameters.AsSpan(Units * Units, InputCount * Units);

    /// <summary>b [Units].</summary>
    public Span<T> Biases => _parameters.AsSpan((Units * Units) + (InputCount * Units), Units);

    /// <summary>
    /// Sets every parameter afresh from <paramref name="seed"/>: W uniform in ±ρ·√3 / (2√Units), which gives a
    /// spectral norm of about ρ for large Units (the largest singular value of a square matrix of iid entries of
    /// variance σ² is about 2σ√Units), so tanh and sigmoid networks start as contractions; V Glorot uniform,
    /// ±√(6 / (InputCount + Units)); b zero.
    /// </summary>
    /// <param name="seed">The seed of every draw: the same seed gives the same parameters, bit for bit.</param>
    /// <param name="recurrentScale">ρ, the approximate spectral norm of W, in [0, 10].</param>
    public void InitializeWeights(int seed, double recurrentScale = 0.5)
    {
        if (!(recurrentScale >= 0 && recurrentScale <= 10))
        {
            throw new ArgumentOutOfRangeException(nameof(recurrentScale), recurrentScale, "Expected a recurrent scale from 0 to 10.");
        }

        var random = new Random(seed);
        Uniform(RecurrentWeights, random, recurrentScale * Math.Sqrt(3.0) / (2 * Math.Sqrt(Units)));
        Uniform(InputWeights, random, Math.Sqrt(6.0 / (InputCount + Units)));
        Biases.Clear();
    }

    /// <summary>
    /// Allocates the buffers for batches of up to <paramref name="maxBatch"/> samples, and the threads large
    /// products may use (<paramref name="threads"/> in all, the caller included; 0: one per processor). Dispose
    /// it to stop its threads.
    /// </summary>
    public FixedPointWorkspace<T> CreateWorkspace(int maxBatch, int threads = 0) => new(this, maxBatch, threads);

    /// <summary>
    /// The forward phase alone: relaxes the state of every sample of the batch; the state is then
    /// <see cref="FixedPointWorkspace{T}.State"/>.
    /// </summary>
    /// <param name="inputs">[batch, InputCount] row-major, finite; batch = inputs.Length / InputCount.</param>
    /// <param name="workspace">A workspace of this network.</param>
    /// <returns>How the relaxation ended; check <see cref="RelaxationReport.Converged"/>.</returns>
    /// <exception cref="RelaxationException">It did not converge and <see cref="RelaxationOptions.ThrowOnNonConvergence"/> is set.</exception>
    public RelaxationReport Relax(ReadOnlySpan<T> inputs, FixedPointWorkspace<T> workspace)
    {
        int batch = CheckInputs(inputs, workspace);
        workspace.Acquire();
        try
        {
            RelaxationOptions options = _options;
            RelaxationReport report = RunForward(inputs, batch, workspace, options);
            if (!report.Converged && options.ThrowOnNonConvergence)
            {
                throw new RelaxationException(RelaxationPhase.Forward, report);
            }

            return report;
        }
        finally
        {
            workspace.Release();
        }
    }

    /// <summary>Relaxes the batch and copies the readout, [batch, OutputCount], into <paramref name="outputs"/>.</summary>
    /// <returns>How the relaxation ended: when not converged, the outputs are those of the last iterate.</returns>
    /// <exception cref="RelaxationException">It did not converge and <see cref="RelaxationOptions.ThrowOnNonConvergence"/> is set.</exception>
    public RelaxationReport Predict(ReadOnlySpan<T> inputs, Span<T> outputs, FixedPointWorkspace<T> workspace)
    {
        int batch = CheckInputs(inputs, workspace);
        if (outputs.Length != batch * OutputCount)
        {
            ThrowHelper.LengthMismatch(nameof(outputs), $"{batch} x {OutputCount} = {batch * OutputCount} outputs for {batch} samples", outputs.Length);
        }

        workspace.Acquire();
        try
        {
            RelaxationOptions options = _options;
            RelaxationReport report = RunForward(inputs, batch, workspace, options);
            Gather(workspace.Activations(batch), batch, outputs);
            if (!report.Converged && options.ThrowOnNonConvergence)
            {
                throw new RelaxationException(RelaxationPhase.Forward, report);
            }

            return report;
        }
        finally
        {
            workspace.Release();
        }
    }

    /// <summary>
    /// Both phases over a batch: returns the mean loss and the phases' reports, and leaves dC/dθ in
    /// <see cref="FixedPointWorkspace{T}.Gradients"/> (overwritten; all zero unless both phases converged).
    /// The parameters are not changed.
    /// </summary>
    /// <param name="inputs">[batch, InputCount] row-major, finite.</param>
    /// <param name="targets">[batch, OutputCount], finite, and in [0, 1] for the binary cross-entropy.</param>
    /// <param name="workspace">A workspace of this network with MaxBatch ≥ batch.</param>
    /// <exception cref="RelaxationException">A phase did not converge and <see cref="RelaxationOptions.ThrowOnNonConvergence"/> is set (the gradients are zero).</exception>
    public FixedPointResult<T> ComputeGradients(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, FixedPointWorkspace<T> workspace)
    {
        int batch = CheckInputs(inputs, workspace);
        CheckTargets(targets, batch);
        workspace.Acquire();
        try
        {
            RelaxationOptions options = _options;
            Span<T> gradients = workspace.Gradients;

            RelaxationReport forward = RunForward(inputs, batch, workspace, options);
            T loss = EvaluateReadout(targets, batch, workspace);
            if (!forward.Converged)
            {
                gradients.Clear();
                return options.ThrowOnNonConvergence
                    ? throw new RelaxationException(RelaxationPhase.Forward, forward)
                    : new FixedPointResult<T>(loss, forward, default);
            }

            RelaxationReport backward = RunBackward(batch, workspace, options);
            if (!backward.Converged)
            {
                gradients.Clear();
                return options.ThrowOnNonConvergence
                    ? throw new RelaxationException(RelaxationPhase.Backward, backward)
                    : new FixedPointResult<T>(loss, forward, backward);
            }

            // ∂E/∂W = x*ᵀ·δ, ∂E/∂V = sᵀ·δ, ∂E/∂b = Σ δ, in the parameters' layout.
            int n = Units;
            ReadOnlySpan<T> delta = workspace.Adjoint(batch);
            Gemm.MultiplyTN(n, n, batch, T.One, workspace.StateBuffer(batch), n, delta, n, accumulate: false, gradients.Slice(0, n * n), n, workspace.Gemm);
            Gemm.MultiplyTN(InputCount, n, batch, T.One, inputs, InputCount, delta, n, accumulate: false, gradients.Slice(n * n, InputCount * n), n, workspace.Gemm);
            ColumnSums.Run(delta, batch, gradients.Slice((n * n) + (InputCount * n), n));
            return new FixedPointResult<T>(loss, forward, backward);
        }
        finally
        {
            workspace.Release();
        }
    }

    // x ← (1 − d)·x + d·f(x·W + c) from x = 0, with c = s·V + b computed once; stops before the step that would
    // be at most the tolerance, so the state x* and the pre-activations u* = x*·W + c (and f(u*)) agree.
    RelaxationReport RunForward(ReadOnlySpan<T> inputs, int batch, FixedPointWorkspace<T> workspace, RelaxationOptions options)
    {
        int n = Units;
        GemmWorkspace<T> gemm = workspace.Gemm;
        Span<T> c = workspace.InputTerm(batch);
        Span<T> u = workspace.PreActivations(batch);
        Span<T> y = workspace.Activations(batch);
        Span<T> x = workspace.StateBuffer(batch);
        ReadOnlySpan<T> w = RecurrentWeights;

        Gemm.MultiplyNN(batch, n, InputCount, T.One, inputs, InputCount, InputWeights, n, accumulate: false, c, n, gemm);
        ActivationKernels.AddBiasActivate(Activation.Identity, c, Biases, batch);
        x.Clear();

        T damping = T.CreateChecked(options.Damping);
        double residual = double.NaN;
        for (int k = 1; k <= options.MaxIterations; k++)
        {
            c.CopyTo(u);
            if (k > 1)
            {
                // The first iteration starts from x = 0, where x·W vanishes.
                Gemm.MultiplyNN(batch, n, n, T.One, x, n, w, n, accumulate: true, u, n, gemm);
            }

            ActivationKernels.Activate(Activation, u, y, batch, n);
            residual = double.CreateChecked(damping * MaxAbsDifference.Run<T>(y, x));
            if (residual <= options.Tolerance)
            {
                return new RelaxationReport(k, residual, Converged: true, Truncated: false);
            }

            if (k < options.MaxIterations)
            {
                Step(y, damping, x);
            }
        }

        return new RelaxationReport(options.MaxIterations, residual, Converged: false, Truncated: false);
    }

    // δ = g + f'(u*) ⊙ (δ·Wᵀ), relaxed from δ = g (or its Neumann series truncated). At batch 1 each δ·Wᵀ is n
    // dot products along W's rows, read in place; above, Wᵀ is transposed once per call so that every iteration
    // is a plain product δ·(Wᵀ) (MultiplyNT's unpacked path would copy Wᵀ on every iteration).
    RelaxationReport RunBackward(int batch, FixedPointWorkspace<T> workspace, RelaxationOptions options)
    {
        int n = Units;
        int outputs = OutputCount;
        GemmWorkspace<T> gemm = workspace.Gemm;
        ReadOnlySpan<T> g = workspace.LossGradient(batch);
        ReadOnlySpan<T> y = workspace.Activations(batch);
        Span<T> delta = workspace.Adjoint(batch);
        Span<T> product = workspace.Product(batch);
        ReadOnlySpan<T> w = RecurrentWeights;
        Span<T> wt = workspace.TransposedWeights;
        if (batch > 1)
        {
            Gemm.Transpose<T>(w, n, n, n, wt);
        }

        delta.Clear();
        for (int r = 0; r < batch; r++)
        {
            g.Slice(r * outputs, outputs).CopyTo(delta.Slice(r * n, outputs));
        }

        bool truncated = options.NeumannTerms > 0;
        T damping = truncated ? T.One : T.CreateChecked(options.Damping);
        int limit = truncated ? options.NeumannTerms - 1 : options.BackwardMaxIterations;

        // Before any iteration the only term is g itself (what a one-term series reports).
        double residual = double.CreateChecked(MaxAbs(g));
        for (int k = 1; k <= limit; k++)
        {
            // product = g + f'(u*) ⊙ (δ·Wᵀ), the backward map; f'(u*) is read off y = f(u*).
            if (batch == 1)
            {
                Gemm.DotRows<T>(n, n, delta, w, n, product);
            }
            else
            {
                Gemm.MultiplyNN(batch, n, n, T.One, delta, n, wt, n, accumulate: false, product, n, gemm);
            }

            ActivationKernels.Backward(Activation, y, product, batch, n);
            for (int r = 0; r < batch; r++)
            {
                Axpy.Run(T.One, g.Slice(r * outputs, outputs), product.Slice(r * n, outputs));
            }

            // The step d·(map − δ); in a truncated series (d = 1) this is the k-th Neumann term A^k g.
            residual = double.CreateChecked(damping * MaxAbsDifference.Run<T>(product, delta));
            Step(product, damping, delta);
            if (!truncated && residual <= options.BackwardTolerance)
            {
                return new RelaxationReport(k, residual, Converged: true, Truncated: false);
            }
        }

        return truncated
            ? new RelaxationReport(limit, residual, Converged: double.IsFinite(residual), Truncated: true)
            : new RelaxationReport(limit, residual, Converged: false, Truncated: false);
    }

    // The mean loss of the readout y = f(u*) (units 0..OutputCount−1) and, into the workspace, g = ∂E/∂u* there.
    T EvaluateReadout(ReadOnlySpan<T> targets, int batch, FixedPointWorkspace<T> workspace)
    {
        Span<T> readout = workspace.Readout(batch);
        Span<T> logits = workspace.ReadoutLogits(batch);
        Gather(workspace.Activations(batch), batch, readout);
        Gather(workspace.PreActivations(batch), batch, logits);
        return LossFunction.Evaluate<T>(Loss, Activation, logits, readout, targets, batch, OutputCount, workspace.LossGradient(batch));
    }

    // destination[r, :] = source[r, 0..OutputCount) for each row of a [batch, Units] plane.
    void Gather(ReadOnlySpan<T> source, int batch, Span<T> destination)
    {
        int outputs = OutputCount;
        for (int r = 0; r < batch; r++)
        {
            source.Slice(r * Units, outputs).CopyTo(destination.Slice(r * outputs, outputs));
        }
    }

    // x ← x + d·(target − x); with d = 1 a copy, so that the plain iteration x ← f(u) is exact.
    static void Step(ReadOnlySpan<T> target, T damping, Span<T> x)
    {
        if (damping == T.One)
        {
            target.Slice(0, x.Length).CopyTo(x);
        }
        else
        {
            DampedStep.Run(target, damping, x);
        }
    }

    static T MaxAbs(ReadOnlySpan<T> values)
    {
        T max = T.Zero;
        foreach (T v in values)
        {
            max = T.IsNaN(v) ? v : T.Max(max, T.Abs(v));
        }

        return max;
    }

    static void Uniform(Span<T> values, Random random, double limit)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateChecked(((2 * random.NextDouble()) - 1) * limit);
        }
    }

    int CheckInputs(ReadOnlySpan<T> inputs, FixedPointWorkspace<T> workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (!ReferenceEquals(workspace.Network, this))
        {
            ThrowHelper.Argument(nameof(workspace), "Expected a workspace made by this network's CreateWorkspace, but got one of another network.");
        }

        if (inputs.IsEmpty || inputs.Length % InputCount != 0)
        {
            ThrowHelper.LengthMismatch(nameof(inputs), $"a positive multiple of {InputCount} inputs (batch x InputCount)", inputs.Length);
        }

        int batch = inputs.Length / InputCount;
        if (batch > workspace.MaxBatch)
        {
            ThrowHelper.Argument(nameof(inputs), $"Expected at most {workspace.MaxBatch} samples (the workspace's MaxBatch), but got {batch}.");
        }

        int bad = Finite.IndexOfNonFinite(inputs);
        if (bad >= 0)
        {
            ThrowHelper.NotFinite(nameof(inputs), bad, double.CreateChecked(inputs[bad]), InputCount);
        }

        return batch;
    }

    void CheckTargets(ReadOnlySpan<T> targets, int batch)
    {
        if (targets.Length != batch * OutputCount)
        {
            ThrowHelper.LengthMismatch(nameof(targets), $"{batch} x {OutputCount} = {batch * OutputCount} targets for {batch} samples", targets.Length);
        }

        int bad = Finite.IndexOfNonFinite(targets);
        if (bad >= 0)
        {
            ThrowHelper.NotFinite(nameof(targets), bad, double.CreateChecked(targets[bad]), OutputCount);
        }

        if (Loss == Loss.SigmoidBinaryCrossEntropy)
        {
            for (int i = 0; i < targets.Length; i++)
            {
                if (targets[i] < T.Zero || targets[i] > T.One)
                {
                    ThrowHelper.Argument(nameof(targets), $"Expected binary cross-entropy targets in [0, 1], but element {i} (row {i / OutputCount}, column {i % OutputCount}) is {targets[i]}.");
                }
            }
        }
    }
}
