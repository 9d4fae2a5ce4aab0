using System;

namespace FastBackprop.Optimizers;

/// <summary>Multiplies the rate by a factor every fixed number of steps (PyTorch's <c>StepLR</c>).</summary>
/// <remarks>rate(t) = η₀ · γ^⌊t / k⌋ for step t, with η₀ the initial rate, γ the factor and k the steps per decay.</remarks>
public sealed class StepDecaySchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialRate">η₀, positive and finite.</param>
    /// <param name="factor">γ in (0, 1].</param>
    /// <param name="stepsPerDecay">k ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public StepDecaySchedule(double initialRate, double factor, long stepsPerDecay)
    {
        if (!double.IsFinite(initialRate) || initialRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(initialRate), initialRate, "Expected a positive, finite initial rate.");
        }

        if (!(factor > 0 && factor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "Expected a factor in (0, 1].");
        }

        if (stepsPerDecay < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(stepsPerDecay), stepsPerDecay, "Expected at least 1 step per decay.");
        }

        InitialRate = initialRate;
        Factor = factor;
        StepsPerDecay = stepsPerDecay;
    }

    /// <summary>η₀.</summary>
    public double InitialRate { get; }

    /// <summary>γ.</summary>
    public double Factor { get; }

    /// <summary>k.</summary>
    public long StepsPerDecay { get; }

    /// <inheritdoc/>
    /// <remarks>η₀ · γ^⌊t / k⌋; after very many decays this underflows to 0, which no optimizer accepts.</remarks>
    public double Rate(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return InitialRate * Math.Pow(Factor, step / StepsPerDecay);
    }
}
