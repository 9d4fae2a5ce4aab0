using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels.Reductions;

/// <summary>max_i |a[i] - b[i]|, vectorised: the residual of a fixed-point iteration.</summary>
/// <remarks>
/// A NaN or infinite difference makes the result NaN, so that a diverged iteration never reads as converged:
/// the vector maximum does not promise to propagate NaN, so such lanes are caught apart and win at the end.
/// </remarks>
internal static class MaxAbsDifference
{
    /// <summary>max |a[i] - b[i]| over i in [0, a.Length); 0 for empty spans; NaN if any difference is NaN or infinite.</summary>
    public static T Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (b.Length < a.Length)
        {
            Internal.ThrowHelper.LengthMismatch(nameof(b), $"at least {a.Length} elements", b.Length);
        }

        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        int n = a.Length;
        int i = 0;
        T max = T.Zero;
        if (Isa.Use512)
        {
            max = Combine(max, Run<Vector512<T>, Simd512<T>, T>(ref ar, ref br, n, ref i));
        }

        if (Isa.Use256)
        {
            max = Combine(max, Run<Vector256<T>, Simd256<T>, T>(ref ar, ref br, n, ref i));
        }

        if (Isa.Use128)
        {
            max = Combine(max, Run<Vector128<T>, Simd128<T>, T>(ref ar, ref br, n, ref i));
        }

        return Combine(max, Run<T, SimdScalar<T>, T>(ref ar, ref br, n, ref i));
    }

    /// <summary>As <see cref="Run{T}"/> with one vector width and the scalar tail: lets tests reach every path on any machine.</summary>
    internal static T RunWith<TVec, TSimd, T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b.Slice(0, a.Length));
        int i = 0;
        T max = Run<TVec, TSimd, T>(ref ar, ref br, a.Length, ref i);
        return Combine(max, Run<T, SimdScalar<T>, T>(ref ar, ref br, a.Length, ref i));
    }

    static T Combine<T>(T x, T y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        T.IsNaN(x) || T.IsNaN(y) ? T.NaN : T.Max(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static T Run<TVec, TSimd, T>(ref T a, ref T b, int n, ref int i)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int step = TSimd.Count;
        if (i > n - step)
        {
            return T.Zero;
        }

        // |d| = max(d, -d); a NaN difference is caught by the self-comparison sum d - d, which is NaN exactly
        // when d is NaN or infinite, and is summed (never maximised) so it cannot be dropped.
        TVec max = TSimd.Zero;
        TVec poison = TSimd.Zero;
        for (; i <= n - step; i += step)
        {
            TVec d = TSimd.Subtract(TSimd.Load(ref Unsafe.Add(ref a, i)), TSimd.Load(ref Unsafe.Add(ref b, i)));
            max = TSimd.Max(max, TSimd.Max(d, TSimd.Subtract(TSimd.Zero, d)));
            poison = TSimd.Add(poison, TSimd.Subtract(d, d));
        }

        Span<T> lanes = stackalloc T[TSimd.Count];
        TSimd.Store(max, ref MemoryMarshal.GetReference(lanes));
        T result = T.Zero;
        foreach (T lane in lanes)
        {
            result = T.Max(result, lane);
        }

        return T.IsNaN(TSimd.Sum(poison)) ? T.NaN : result;
    }
}
