using System;
using System.Numerics;
using FastBackprop.Kernels.Elementwise;

namespace FastBackprop.Optimizers;

/// <summary>
/// RMSprop (Hinton's lecture 6e) in PyTorch's default, uncentred form (<c>torch.optim.RMSprop</c>), with optional
/// momentum and L2 weight decay.
/// </summary>
/// <remarks>
/// <para>Per parameter, with smoothing α, momentum μ and weight decay λ:</para>
/// <code>
/// g ← g + λ·θ
/// v ← α·v + (1 − α)·g²
/// μ = 0:  θ ← θ − η·g / (√v + ε)
/// μ &gt; 0:  b ← μ·b + g / (√v + ε);  θ ← θ − η·b
/// </code>
/// <para>State: v, then (when μ &gt; 0) b, <see cref="Optimizer{T}.ParameterCount"/> elements each.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class RmsProp<T> : Optimizer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer for <paramref name="parameterCount"/> parameters; the defaults are PyTorch's.</summary>
    /// <param name="parameterCount">The length of the parameter vector, 0 or more.</param>
    /// <param name="learningRate">η, positive and finite.</param>
    /// <param name="alpha">α in [0, 1), the decay of the running mean of g².</param>
    /// <param name="epsilon">ε &gt; 0, added to √v.</param>
    /// <param name="weightDecay">λ ≥ 0, the L2 penalty's coefficient, added to the gradient.</param>
    /// <param name="momentum">μ in [0, 1); 0 turns momentum off.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is outside its range.</exception>
    public RmsProp(int parameterCount, double learningRate = 1e-2, double alpha = 0.99, double epsilon = 1e-8, double weightDecay = 0, double momentum = 0)
        : base(parameterCount, learningRate, momentum > 0 ? 2 : 1, 0)
    {
        Alpha = CheckFraction(alpha, nameof(alpha));
        Epsilon = CheckNonNegative(epsilon, nameof(epsilon), positive: true);
        WeightDecay = CheckNonNegative(weightDecay, nameof(weightDecay));
        Momentum = CheckFraction(momentum, nameof(momentum));
    }

    /// <summary>α, the decay of the running mean of g².</summary>
    public T Alpha { get; }

    /// <summary>ε, added to √v.</summary>
    public T Epsilon { get; }

    /// <summary>λ, the L2 weight decay coupled into the gradient.</summary>
    public T WeightDecay { get; }

    /// <summary>μ; 0 means no momentum buffer.</summary>
    public T Momentum { get; }

    private protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradients, T loss, bool hasLoss)
    {
        int n = ParameterCount;
        Span<T> buffer = Momentum > T.Zero ? State.Slice(n, n) : Span<T>.Empty;
        RmsPropUpdate.Run(gradients, LearningRate, Alpha, Epsilon, WeightDecay, Momentum, State.Slice(0, n), buffer, parameters);
    }
}
