using System;

namespace FastBackprop.Optimizers;

/// <summary>Cosine annealing from a maximum to a minimum rate over a number of steps, then the minimum (PyTorch's <c>CosineAnnealingLR</c>, one cycle).</summary>
/// <remarks>rate(t) = η_min + (η_max − η_min) · (1 + cos(π·t / N)) / 2 for t &lt; N, and η_min for t ≥ N.</remarks>
public sealed class CosineSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="maxRate">η_max, the rate at step 0, finite and at least <paramref name="minRate"/>.</param>
    /// <param name="minRate">η_min &gt; 0 (0 is refused because optimizers refuse a zero learning rate).</param>
    /// <param name="steps">N ≥ 1, the steps the annealing takes.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public CosineSchedule(double maxRate, double minRate, long steps)
    {
        if (!double.IsFinite(minRate) || minRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minRate), minRate, "Expected a positive, finite minimum rate.");
        }

        if (!double.IsFinite(maxRate) || maxRate < minRate)
        {
            throw new ArgumentOutOfRangeException(nameof(maxRate), maxRate, $"Expected a finite maximum rate of at least the minimum, {minRate}.");
        }

        if (steps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "Expected at least 1 step.");
        }

        MaxRate = maxRate;
        MinRate = minRate;
        Steps = steps;
    }

    /// <summary>η_max.</summary>
    public double MaxRate { get; }

    /// <summary>η_min.</summary>
    public double MinRate { get; }

    /// <summary>N.</summary>
    public long Steps { get; }

    /// <inheritdoc/>
    public double Rate(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return step >= Steps
            ? MinRate
            : MinRate + ((MaxRate - MinRate) * (1 + Math.Cos(Math.PI * step / Steps)) / 2);
    }
}
