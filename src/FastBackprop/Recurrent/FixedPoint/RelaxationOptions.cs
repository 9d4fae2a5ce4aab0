using System;

namespace FastBackprop.Recurrent.FixedPoint;

/// <summary>
/// How a <see cref="FixedPointNetwork{T}"/> relaxes its state (the forward phase) and its adjoint (the backward
/// phase), and what it does when either fails to converge. Immutable; validated when handed to a network.
/// </summary>
/// <remarks>
/// Both phases iterate v ← v + d·(F(v) − v) = (1 − d)·v + d·F(v) and stop at the first iteration whose step
/// max_i |d·(F(v) − v)_i| is at most the phase's tolerance, or fail at its iteration limit. A contraction F
/// (for tanh and sigmoid units, recurrent weights of spectral norm below 1, resp. 4) converges for every
/// d in (0, 1]; a smaller d can make an oscillating network converge, at the price of more iterations.
/// </remarks>
public sealed record RelaxationOptions
{
    /// <summary>Defaults: d = 1, tolerance 1e-5 and 500 iterations for each phase, no truncation, no exception.</summary>
    public static RelaxationOptions Default { get; } = new();

    /// <summary>d in (0, 1]: the damping of both phases (1 = plain iteration x ← F(x)).</summary>
    public double Damping { get; init; } = 1;

    /// <summary>The forward phase stops when max_i |Δx_i| ≤ this (absolute, &gt; 0). Float cannot resolve much below 1e-6 on states near 1.</summary>
    public double Tolerance { get; init; } = 1e-5;

    /// <summary>The forward phase's limit of map evaluations (each one product x·W), at least 1.</summary>
    public int MaxIterations { get; init; } = 500;

    /// <summary>The backward phase stops when max_i |Δδ_i| ≤ this (absolute, &gt; 0). Not used with <see cref="NeumannTerms"/>.</summary>
    public double BackwardTolerance { get; init; } = 1e-5;

    /// <summary>The backward phase's limit of iterations (each one product δ·Wᵀ), at least 1.</summary>
    public int BackwardMaxIterations { get; init; } = 500;

    /// <summary>
    /// 0 (the default): relax the adjoint to convergence. K ≥ 1: truncate the Neumann series of the adjoint after
    /// K terms, δ ≈ Σ_{k&lt;K} A^k g with A(v) = f'(u*) ⊙ (v·Wᵀ), i.e. K − 1 undamped backward iterations from
    /// δ = g, and no convergence test: the gradient is then an approximation the caller asked for, and the
    /// backward report says so (<see cref="RelaxationReport.Truncated"/>) and gives the size of the last term.
    /// </summary>
    public int NeumannTerms { get; init; }

    /// <summary>
    /// When true, a phase that does not converge throws a <see cref="RelaxationException"/> (after the
    /// workspace's gradients have been zeroed); when false (the default) the call returns the report with
    /// Converged false, and the caller must check it.
    /// </summary>
    public bool ThrowOnNonConvergence { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="paramName"/> if any setting is out of range.</summary>
    internal void Validate(string paramName)
    {
        if (!(Damping > 0 && Damping <= 1))
        {
            throw new ArgumentException($"Expected a damping in (0, 1], but got {Damping}.", paramName);
        }

        if (!(Tolerance > 0 && double.IsFinite(Tolerance)))
        {
            throw new ArgumentException($"Expected a positive finite tolerance, but got {Tolerance}.", paramName);
        }

        if (!(BackwardTolerance > 0 && double.IsFinite(BackwardTolerance)))
        {
            throw new ArgumentException($"Expected a positive finite backward tolerance, but got {BackwardTolerance}.", paramName);
        }

        if (MaxIterations < 1)
        {
            throw new ArgumentException($"Expected at least 1 forward iteration, but got {MaxIterations}.", paramName);
        }

        if (BackwardMaxIterations < 1)
        {
            throw new ArgumentException($"Expected at least 1 backward iteration, but got {BackwardMaxIterations}.", paramName);
        }

        if (NeumannTerms < 0)
        {
            throw new ArgumentException($"Expected 0 (no truncation) or a positive number of Neumann terms, but got {NeumannTerms}.", paramName);
        }
    }
}
