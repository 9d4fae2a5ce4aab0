using System;

namespace FastBackprop.Optimizers;

/// <summary>A linear warm-up in front of another schedule, which starts once the warm-up is over.</summary>
/// <remarks>
/// rate(t) = inner(0) · (t + 1) / (W + 1) for t &lt; W, and inner(t − W) for t ≥ W, with W the warm-up steps. The
/// rate climbs in equal steps from inner(0)/(W + 1) and never reaches 0, which an optimizer would refuse.
/// </remarks>
public sealed class LinearWarmupSchedule : ILearningRateSchedule
{
    readonly ILearningRateSchedule _inner;

    /// <summary>Creates the schedule.</summary>
    /// <param name="inner">The schedule after the warm-up, shifted to start at step W.</param>
    /// <param name="warmupSteps">W ≥ 0; 0 gives <paramref name="inner"/> itself.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="warmupSteps"/> is negative.</exception>
    public LinearWarmupSchedule(ILearningRateSchedule inner, long warmupSteps)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        _inner = inner;
        WarmupSteps = warmupSteps;
    }

    /// <summary>W.</summary>
    public long WarmupSteps { get; }

    /// <inheritdoc/>
    public double Rate(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return step < WarmupSteps
            ? _inner.Rate(0) * (step + 1) / (WarmupSteps + 1)
            : _inner.Rate(step - WarmupSteps);
    }
}
