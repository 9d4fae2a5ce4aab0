using System;
using System.Numerics;
using FastBackprop.Kernels.Elementwise;

namespace FastBackprop.Optimizers;

/// <summary>
/// Resilient backpropagation in the improved forms iRPROP− and iRPROP+ (Igel and Hüsken 2000). Each parameter keeps
/// its own step size, grown while its gradient keeps its sign and shrunk when the sign flips; only the gradient's
/// sign is used. Meant for full-batch training: mini-batch noise flips signs at random.
/// </summary>
/// <remarks>
/// <para>Per parameter, with s = sign(g), s₋ the sign kept from the last step, and Δ its step size:</para>
/// <code>
/// s·s₋ &gt; 0:  Δ ← min(Δ·η⁺, Δmax);  Δθ = −s·Δ;  θ ← θ + Δθ
/// s·s₋ &lt; 0:  Δ ← max(Δ·η⁻, Δmin);  s ← 0;  Δθ = 0
///            iRPROP+ only: if E(t) &gt; E(t−1), θ ← θ − Δθ₋ (take the last move back)
/// s·s₋ = 0:  Δθ = −s·Δ;  θ ← θ + Δθ
/// s₋ ← s;  Δθ₋ ← Δθ;  E(t−1) ← E(t)
/// </code>
/// <para>E(t) is the loss given to <see cref="IOptimizer{T}.Step(Span{T}, ReadOnlySpan{T}, T)"/> (the loss at the
/// current parameters). A step without a loss never backtracks and forgets the previous loss, so iRPROP+ then acts
/// as iRPROP−.</para>
/// <para>Defaults: η⁺ = 1.2, η⁻ = 0.5, Δ₀ = 0.1 and Δmax = 50, as FANN's (<c>rprop_delta_zero</c> = 0.1,
/// <c>rprop_delta_max</c> = 50) and Igel and Hüsken's; Δmin = 1e-6 as PyTorch's <c>Rprop</c> and Riedmiller's
/// original, where FANN has 0 but floors the previous step at 1e-4 so that a step size cannot die out. FANN's other
/// departures from the paper are not copied: it grows the step also when one of the two gradients is 0, moves a
/// parameter whose gradient is 0, and clamps weights to ±1500.</para>
/// <para><see cref="Optimizer{T}.LearningRate"/> is Δ₀, the step size every parameter starts from: a new value
/// takes effect at the next <see cref="Optimizer{T}.Reset"/> (clamped to [Δmin, Δmax]), not on running steps.</para>
/// <para>State, <see cref="Optimizer{T}.ParameterCount"/> = n: Δ (n), then s₋ (n, each −1, 0 or +1), then for
/// iRPROP+ Δθ₋ (n) and E(t−1) (one element, +∞ when unknown).</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Rprop<T> : Optimizer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer for <paramref name="parameterCount"/> parameters.</summary>
    /// <param name="parameterCount">The length of the parameter vector, 0 or more.</param>
    /// <param name="variant">iRPROP− (FANN's default) or iRPROP+.</param>
    /// <param name="initialStep">Δ₀, in [<paramref name="minStep"/>, <paramref name="maxStep"/>] and above 0.</param>
    /// <param name="increase">η⁺ &gt; 1.</param>
    /// <param name="decrease">η⁻ in (0, 1).</param>
    /// <param name="minStep">Δmin ≥ 0.</param>
    /// <param name="maxStep">Δmax, finite and at least Δ₀.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is outside its range.</exception>
    public Rprop(int parameterCount, RpropVariant variant = RpropVariant.IRpropMinus, double initialStep = 0.1, double increase = 1.2, double decrease = 0.5, double minStep = 1e-6, double maxStep = 50)
        : base(parameterCount, initialStep, variant == RpropVariant.IRpropPlus ? 3 : 2, variant == RpropVariant.IRpropPlus ? 1 : 0, nameof(initialStep))
    {
        if (!Enum.IsDefined(variant))
        {
            throw new ArgumentOutOfRangeException(nameof(variant), variant, "Expected IRpropMinus or IRpropPlus.");
        }

        Variant = variant;
        Increase = CheckNonNegative(increase, nameof(increase));
        if (Increase <= T.One)
        {
            throw new ArgumentOutOfRangeException(nameof(increase), increase, $"Expected {nameof(increase)} (η⁺) above 1, but got {increase}.");
        }

        Decrease = CheckFraction(decrease, nameof(decrease));
        if (Decrease == T.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(decrease), decrease, $"Expected {nameof(decrease)} (η⁻) in (0, 1), but got {decrease}.");
        }

        MinStep = CheckNonNegative(minStep, nameof(minStep));
        MaxStep = CheckNonNegative(maxStep, nameof(maxStep));
        if (!(MinStep <= LearningRate && LearningRate <= MaxStep))
        {
            throw new ArgumentOutOfRangeException(nameof(initialStep), initialStep, $"Expected {nameof(initialStep)} in [{minStep}, {maxStep}] ([minStep, maxStep]), but got {initialStep}.");
        }

        InitializeState(State);
    }

    /// <summary>iRPROP− or iRPROP+.</summary>
    public RpropVariant Variant { get; }

    /// <summary>η⁺, the factor a step size grows by while the gradient keeps its sign.</summary>
    public T Increase { get; }

    /// <summary>η⁻, the factor a step size shrinks by when the gradient changes sign.</summary>
    public T Decrease { get; }

    /// <summary>Δmin, the smallest step size.</summary>
    public T MinStep { get; }

    /// <summary>Δmax, the largest step size.</summary>
    public T MaxStep { get; }

    /// <summary>
    /// Halves every running step size Δ (not below Δmin): what halving the learning rate means for Rprop, whose
    /// learning rate is only Δ₀, read by Reset, while the running step sizes are what move the parameters. The
    /// trainer's divergence policy calls it beside halving <see cref="Optimizer{T}.LearningRate"/>.
    /// </summary>
    internal void HalveStepSizes()
    {
        Span<T> steps = State.Slice(0, ParameterCount);
        T two = T.CreateTruncating(2);
        for (int i = 0; i < steps.Length; i++)
        {
            steps[i] = T.Max(steps[i] / two, MinStep);
        }
    }

    private protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradients, T loss, bool hasLoss)
    {
        int n = ParameterCount;
        Span<T> state = State;
        if (Variant == RpropVariant.IRpropPlus)
        {
            // E(t) > E(t−1) is false while the previous loss is unknown (+∞), and when this step has no loss.
            ref T previousLoss = ref state[3 * n];
            bool backtrack = hasLoss && loss > previousLoss;
            previousLoss = hasLoss ? loss : T.PositiveInfinity;
            RpropUpdate.Run(gradients, Increase, Decrease, MinStep, MaxStep, backtrack, state.Slice(0, n), state.Slice(n, n), state.Slice(2 * n, n), parameters);
        }
        else
        {
            RpropUpdate.Run(gradients, Increase, Decrease, MinStep, MaxStep, false, state.Slice(0, n), state.Slice(n, n), Span<T>.Empty, parameters);
        }
    }

    private protected override void InitializeState(Span<T> state)
    {
        int n = ParameterCount;
        state.Slice(0, n).Fill(T.Clamp(LearningRate, MinStep, MaxStep));
        if (Variant == RpropVariant.IRpropPlus)
        {
            state[3 * n] = T.PositiveInfinity;
        }
    }
}
