using System.Globalization;

namespace FastBackprop.Recurrent.FixedPoint;

/// <summary>How one relaxation phase (forward or backward) of a <see cref="FixedPointNetwork{T}"/> ended.</summary>
/// <param name="Iterations">Iterations run: map evaluations (one product each) for the forward phase, products δ·Wᵀ for the backward one.</param>
/// <param name="Residual">The last iteration's step max_i |Δv_i| (for a truncated backward, the largest element of the last Neumann term); NaN when the state diverged to NaN or infinity.</param>
/// <param name="Converged">Whether the residual met the tolerance within the iteration limit and the state is finite. For a truncated backward phase: whether its terms stayed finite.</param>
/// <param name="Truncated">True for a backward phase cut off after a fixed number of Neumann terms (<see cref="RelaxationOptions.NeumannTerms"/>).</param>
public readonly record struct RelaxationReport(int Iterations, double Residual, bool Converged, bool Truncated)
{
    /// <summary>A one-line summary, e.g. "converged after 17 iterations, residual 6.1E-006".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Truncated ? "truncated" : Converged ? "converged" : "did not converge")} after {Iterations} iterations, residual {Residual:E1}");
}
