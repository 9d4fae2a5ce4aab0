using System.Numerics;

namespace FastBackprop.Recurrent.FixedPoint;

/// <summary>What <see cref="FixedPointNetwork{T}.ComputeGradients"/> returns: the loss and how both phases ended.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <param name="Loss">The batch's mean loss at the relaxed state (at the last iterate when the forward phase failed).</param>
/// <param name="Forward">The forward relaxation.</param>
/// <param name="Backward">The adjoint relaxation; default (0 iterations, not converged) when the forward phase failed and the backward was not run.</param>
public readonly record struct FixedPointResult<T>(T Loss, RelaxationReport Forward, RelaxationReport Backward)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>
    /// True when both phases converged (or the backward was truncated as asked), so the workspace's gradients
    /// are the Almeida-Pineda gradient. When false they are all zero: do not count the step as a gradient step
    /// (skip the batch, or relax with a smaller damping, a larger iteration limit, or smaller recurrent weights).
    /// </summary>
    public bool Converged => Forward.Converged && Backward.Converged;
}
