namespace FastBackprop.Optimizers;

/// <summary>
/// A learning rate as a function of the step number, for <see cref="IOptimizer{T}.LearningRate"/>:
/// <c>optimizer.LearningRate = T.CreateTruncating(schedule.Rate(optimizer.StepCount));</c> before each step.
/// </summary>
/// <remarks>Implementations are pure (the same step always gives the same rate), allocate nothing, and return a positive finite rate.</remarks>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for step <paramref name="step"/>, counted from 0.</summary>
    /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    double Rate(long step);
}
