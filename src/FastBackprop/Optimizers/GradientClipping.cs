using System;
using System.Numerics;
using FastBackprop.Internal;
using FastBackprop.Kernels.Elementwise;
using FastBackprop.Kernels.Reductions;

namespace FastBackprop.Optimizers;

/// <summary>Gradient clipping, applied to the gradient vector between backward pass and optimizer step.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales <paramref name="gradients"/> in place so that its L2 norm is at most <paramref name="maxNorm"/>, and
    /// returns the norm it had before.
    /// </summary>
    /// <remarks>
    /// <para>Computes ‖g‖ = √(Σ gᵢ²); when ‖g‖ &gt; maxNorm, g ← g · (maxNorm / ‖g‖), which keeps its direction. Unlike
    /// PyTorch's <c>clip_grad_norm_</c> no 1e-6 is added to the norm, so the clipped norm is maxNorm up to
    /// rounding.</para>
    /// <para>The sum is vectorised and accumulated in <typeparamref name="T"/>, in an order that is fixed for a given
    /// vector width (four vector accumulators, then narrower widths and a scalar tail): the same inputs give the same
    /// norm in every run on one machine, but the last bits may differ between ISA levels. If the sum of squares
    /// overflows while every element is finite, the norm is recomputed in double, scaled by the largest magnitude, so
    /// clipping still works; the returned norm is then rounded to <typeparamref name="T"/> and may be +∞ for float.</para>
    /// <para>When the gradient holds a NaN or an infinity, the norm is NaN or +∞: the gradient is left unchanged and
    /// that value returned, for the caller to skip the step.</para>
    /// </remarks>
    /// <param name="gradients">The gradient vector, modified in place.</param>
    /// <param name="maxNorm">The largest norm allowed, positive and finite.</param>
    /// <returns>‖g‖ before clipping.</returns>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not positive and finite.</exception>
    public static T ClipByGlobalNorm<T>(Span<T> gradients, T maxNorm)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw ThrowHelper.UnsupportedElementType<T>();
        }

        if (!T.IsFinite(maxNorm) || maxNorm <= T.Zero)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(maxNorm), maxNorm, "Expected a positive, finite maximum norm.");
        }

        T sum = SumOfSquares.Run<T>(gradients);
        if (T.IsFinite(sum))
        {
            T norm = T.Sqrt(sum);
            if (norm > maxNorm)
            {
                Scale.Run(maxNorm / norm, gradients);
            }

            return norm;
        }

        if (Finite.IndexOfNonFinite<T>(gradients) >= 0)
        {
            // NaN or an infinity in the gradient: there is no direction to keep.
            return T.IsNaN(sum) ? T.NaN : T.PositiveInfinity;
        }

        double large = LargeNorm<T>(gradients);
        Scale.Run(T.CreateTruncating(double.CreateTruncating(maxNorm) / large), gradients);
        return T.CreateTruncating(large);
    }

    // The overflow path, cold: ‖g‖ = m·√(Σ (gᵢ/m)²) with m = max |gᵢ|, in double.
    static double LargeNorm<T>(ReadOnlySpan<T> gradients)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double largest = 0;
        foreach (T g in gradients)
        {
            largest = Math.Max(largest, Math.Abs(double.CreateTruncating(g)));
        }

        double sum = 0;
        foreach (T g in gradients)
        {
            double x = double.CreateTruncating(g) / largest;
            sum += x * x;
        }

        return largest * Math.Sqrt(sum);
    }
}
