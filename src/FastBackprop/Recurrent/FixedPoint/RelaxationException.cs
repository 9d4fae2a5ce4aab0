using System;

namespace FastBackprop.Recurrent.FixedPoint;

/// <summary>
/// A relaxation phase of a <see cref="FixedPointNetwork{T}"/> did not converge, and the network's
/// <see cref="RelaxationOptions.ThrowOnNonConvergence"/> asked for an exception rather than a report. The
/// workspace's gradients are zero; the parameters are unchanged.
/// </summary>
public sealed class RelaxationException : Exception
{
    /// <summary>An exception for a failed <paramref name="phase"/>, described by <paramref name="report"/>.</summary>
    public RelaxationException(RelaxationPhase phase, RelaxationReport report)
        : base($"The {(phase == RelaxationPhase.Forward ? "forward (state)" : "backward (adjoint)")} relaxation {report}; " +
               "lower the damping, raise the iteration limit, or shrink the recurrent weights.")
    {
        Phase = phase;
        Report = report;
    }

    /// <summary>The phase that failed.</summary>
    public RelaxationPhase Phase { get; }

    /// <summary>How it ended.</summary>
    public RelaxationReport Report { get; }
}
