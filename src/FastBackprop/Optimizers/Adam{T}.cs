using System;
using System.Numerics;
using FastBackprop.Kernels.Elementwise;

namespace FastBackprop.Optimizers;

/// <summary>
/// Adam (Kingma and Ba 2015) with bias correction, ε placed as PyTorch's <c>torch.optim.Adam</c> places it, and
/// optional L2 weight decay coupled into the gradient (for decoupled decay use <see cref="AdamW{T}"/>).
/// </summary>
/// <remarks>
/// <para>At step t = <see cref="Optimizer{T}.StepCount"/> + 1, per parameter:</para>
/// <code>
/// g ← g + λ·θ
/// m ← β₁·m + (1 − β₁)·g
/// v ← β₂·v + (1 − β₂)·g²
/// θ ← θ − η·m̂ / (√v̂ + ε),   m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
/// </code>
/// <para>Computed as PyTorch does: θ ← θ − (η / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε), with the two corrections in double.</para>
/// <para>State: m, then v, <see cref="Optimizer{T}.ParameterCount"/> elements each.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Adam<T> : Optimizer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer for <paramref name="parameterCount"/> parameters; the defaults are PyTorch's.</summary>
    /// <param name="parameterCount">The length of the parameter vector, 0 or more.</param>
    /// <param name="learningRate">η, positive and finite.</param>
    /// <param name="beta1">β₁ in [0, 1), the first moment's decay.</param>
    /// <param name="beta2">β₂ in [0, 1), the second moment's decay.</param>
    /// <param name="epsilon">ε &gt; 0, added to √v̂ (0 is refused: a parameter whose gradients were all 0 would get 0/0).</param>
    /// <param name="weightDecay">λ ≥ 0, the L2 penalty's coefficient, added to the gradient.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is outside its range.</exception>
    public Adam(int parameterCount, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
        : base(parameterCount, learningRate, 2, 0)
    {
        Beta1 = CheckFraction(beta1, nameof(beta1));
        Beta2 = CheckFraction(beta2, nameof(beta2));
        Epsilon = CheckNonNegative(epsilon, nameof(epsilon), positive: true);
        WeightDecay = CheckNonNegative(weightDecay, nameof(weightDecay));
    }

    /// <summary>β₁, the first moment's decay.</summary>
    public T Beta1 { get; }

    /// <summary>β₂, the second moment's decay.</summary>
    public T Beta2 { get; }

    /// <summary>ε, added to √v̂.</summary>
    public T Epsilon { get; }

    /// <summary>λ, the L2 weight decay coupled into the gradient.</summary>
    public T WeightDecay { get; }

    private protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradients, T loss, bool hasLoss)
    {
        int n = ParameterCount;
        AdamUpdate.Run(gradients, LearningRate, Beta1, Beta2, Epsilon, WeightDecay, T.Zero, StepCount + 1, State.Slice(0, n), State.Slice(n, n), parameters);
    }
}
