using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels.Reductions;

/// <summary>Σ x[i]², vectorised, in a fixed order for a given vector width.</summary>
/// <remarks>
/// The order of the additions depends on the widest width the process uses (lane i of four vector accumulators
/// collects elements i, i + 4·w, ...; the narrower widths and the scalar tail then add the remainder), so the
/// result is the same from run to run and thread to thread, but may differ in the last bits between machines, or
/// between FASTBACKPROP_ISA settings. It accumulates in the element type itself.
/// </remarks>
internal static class SumOfSquares
{
    /// <summary>Σ x[i]².</summary>
    public static T Run<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length;
        int i = 0;
        T sum = T.Zero;
        if (Isa.Use512)
        {
            sum += Run<Vector512<T>, Simd512<T>, T>(ref xr, n, ref i);
        }

        if (Isa.Use256)
        {
            sum += Run<Vector256<T>, Simd256<T>, T>(ref xr, n, ref i);
        }

        if (Isa.Use128)
        {
            sum += Run<Vector128<T>, Simd128<T>, T>(ref xr, n, ref i);
        }

        return sum + Run<T, SimdScalar<T>, T>(ref xr, n, ref i);
    }

    /// <summary>As <see cref="Run{T}"/> with one vector width and the scalar tail: lets tests reach every path on any machine.</summary>
    internal static T RunWith<TVec, TSimd, T>(ReadOnlySpan<T> x)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        int i = 0;
        T sum = Run<TVec, TSimd, T>(ref xr, x.Length, ref i);
        return sum + Run<T, SimdScalar<T>, T>(ref xr, x.Length, ref i);
    }

    // Four independent accumulators hide the add latency; they are combined in a fixed order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static T Run<TVec, TSimd, T>(ref T x, int n, ref int i)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int step = TSimd.Count;
        TVec a0 = TSimd.Zero, a1 = TSimd.Zero, a2 = TSimd.Zero, a3 = TSimd.Zero;
        for (; i <= n - (4 * step); i += 4 * step)
        {
            ref T xi = ref Unsafe.Add(ref x, i);
            TVec v0 = TSimd.Load(ref xi);
            TVec v1 = TSimd.Load(ref Unsafe.Add(ref xi, step));
            TVec v2 = TSimd.Load(ref Unsafe.Add(ref xi, 2 * step));
            TVec v3 = TSimd.Load(ref Unsafe.Add(ref xi, 3 * step));
            a0 = TSimd.MultiplyAdd(v0, v0, a0);
            a1 = TSimd.MultiplyAdd(v1, v1, a1);
            a2 = TSimd.MultiplyAdd(v2, v2, a2);
            a3 = TSimd.MultiplyAdd(v3, v3, a3);
        }

        for (; i <= n - step; i += step)
        {
            TVec v = TSimd.Load(ref Unsafe.Add(ref x, i));
            a0 = TSimd.MultiplyAdd(v, v, a0);
        }

        return TSimd.Sum(TSimd.Add(TSimd.Add(a0, a1), TSimd.Add(a2, a3)));
    }
}
