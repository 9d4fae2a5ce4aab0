using System;
using System.Numerics;
using FastBackprop.Kernels.Elementwise;

namespace FastBackprop.Optimizers;

/// <summary>
/// Stochastic gradient descent, optionally with L2 weight decay and classical or Nesterov momentum, in PyTorch's
/// form (<c>torch.optim.SGD</c> with dampening 0).
/// </summary>
/// <remarks>
/// <para>Per parameter, with learning rate η, momentum μ and weight decay λ:</para>
/// <code>
/// g ← g + λ·θ                       (when λ &gt; 0)
/// μ = 0:      θ ← θ − η·g            (the seeds' rule; with λ = 0 bit-identical to Network.ApplyGradients)
/// μ &gt; 0:      v ← μ·v + g
///             θ ← θ − η·v            (classical)
///             θ ← θ − η·(g + μ·v)    (Nesterov)
/// </code>
/// <para>State: the velocity v, <see cref="Optimizer{T}.ParameterCount"/> elements, when μ &gt; 0; empty otherwise.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Sgd<T> : Optimizer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer for <paramref name="parameterCount"/> parameters.</summary>
    /// <param name="parameterCount">The length of the parameter vector, 0 or more.</param>
    /// <param name="learningRate">η, positive and finite.</param>
    /// <param name="momentum">μ in [0, 1); 0 turns momentum off.</param>
    /// <param name="nesterov">Nesterov's look-ahead form; needs μ &gt; 0.</param>
    /// <param name="weightDecay">λ ≥ 0, the L2 penalty's coefficient, added to the gradient.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is outside its range.</exception>
    /// <exception cref="ArgumentException">Nesterov is asked for without momentum.</exception>
    public Sgd(int parameterCount, double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0)
        : base(parameterCount, learningRate, momentum > 0 ? 1 : 0, 0)
    {
        Momentum = CheckFraction(momentum, nameof(momentum));
        WeightDecay = CheckNonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && Momentum == T.Zero)
        {
            throw new ArgumentException("Expected a momentum above 0 for Nesterov momentum, but got 0.", nameof(nesterov));
        }

        Nesterov = nesterov;
    }

    /// <summary>μ, in [0, 1).</summary>
    public T Momentum { get; }

    /// <summary>Whether the Nesterov form is used.</summary>
    public bool Nesterov { get; }

    /// <summary>λ, the L2 weight decay coupled into the gradient.</summary>
    public T WeightDecay { get; }

    private protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradients, T loss, bool hasLoss)
    {
        if (Momentum == T.Zero && WeightDecay == T.Zero)
        {
            // Exactly the seeds' rule and Network.ApplyGradients's kernel, so the two agree bit for bit.
            Axpy.Run(-LearningRate, gradients, parameters);
        }
        else
        {
            SgdUpdate.Run(gradients, LearningRate, Momentum, WeightDecay, Nesterov, State, parameters);
        }
    }
}
