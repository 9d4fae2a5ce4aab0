using System;
using System.Numerics;

namespace FastBackprop.Optimizers;

/// <summary>
/// An update rule over a flat parameter vector, such as <see cref="Networks.Network{T}.Parameters"/> with the
/// gradients of <see cref="Networks.Workspace{T}.Gradients"/>. Implementations keep their per-parameter state
/// (velocities, moments, step sizes) in one buffer allocated by the constructor, so <see cref="Step(Span{T}, ReadOnlySpan{T})"/>
/// allocates nothing.
/// </summary>
/// <remarks>
/// A typical loop: <c>T loss = net.ComputeGradients(x, t, ws); optimizer.Step(net.Parameters, ws.Gradients, loss);</c>.
/// An optimizer is not thread-safe; use one per parameter vector.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public interface IOptimizer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The length every <c>parameters</c> and <c>gradients</c> span must have.</summary>
    int ParameterCount { get; }

    /// <summary>
    /// η, the step size the update rule scales by; a positive finite number. Set it before a step to follow a
    /// schedule, for instance from <see cref="ILearningRateSchedule.Rate(long)"/> at <see cref="StepCount"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is zero, negative, NaN or infinite.</exception>
    T LearningRate { get; set; }

    /// <summary>
    /// The number of steps taken since construction or the last <see cref="Reset"/>; settable (not negative) so a
    /// saved state can be restored together with <see cref="State"/>. Adam's bias correction reads it.
    /// </summary>
    long StepCount { get; set; }

    /// <summary>
    /// The whole mutable state of the rule as one span, in a layout each optimizer documents, for checkpoints: copy it
    /// out with <see cref="StepCount"/> and copy both back to resume exactly. Writing it changes the next step.
    /// </summary>
    Span<T> State { get; }

    /// <summary>Updates <paramref name="parameters"/> in place from <paramref name="gradients"/> (dC/dθ, same layout).</summary>
    /// <exception cref="ArgumentException">A span's length is not <see cref="ParameterCount"/>; nothing is changed.</exception>
    void Step(Span<T> parameters, ReadOnlySpan<T> gradients);

    /// <summary>
    /// As <see cref="Step(Span{T}, ReadOnlySpan{T})"/>, also given the loss at the current parameters (the value
    /// that came with <paramref name="gradients"/>). Only rules that look at the error use it (iRPROP+'s
    /// weight-backtracking); the others ignore it.
    /// </summary>
    /// <exception cref="ArgumentException">A span's length is not <see cref="ParameterCount"/>; nothing is changed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="loss"/> is NaN or infinite; nothing is changed.</exception>
    void Step(Span<T> parameters, ReadOnlySpan<T> gradients, T loss);

    /// <summary>Returns the state to what the constructor made (zero moments, initial step sizes) and <see cref="StepCount"/> to 0.</summary>
    void Reset();
}
