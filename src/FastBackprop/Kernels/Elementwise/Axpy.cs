using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels.Elementwise;

/// <summary>y += alpha · x, the BLAS-1 update that plain SGD is made of.</summary>
internal static class Axpy
{
    /// <summary>y[i] += alpha · x[i] for i in [0, y.Length); x must be at least as long as y.</summary>
    public static void Run<T>(T alpha, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (x.Length < y.Length)
        {
            Internal.ThrowHelper.LengthMismatch(nameof(x), $"at least {y.Length} elements", x.Length);
        }

        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        int n = y.Length;
        int i = 0;
        if (Isa.Use512)
        {
            Run<Vector512<T>, Simd512<T>, T>(alpha, ref xr, ref yr, n, ref i);
        }

        if (Isa.Use256)
        {
            Run<Vector256<T>, Simd256<T>, T>(alpha, ref xr, ref yr, n, ref i);
        }

        if (Isa.Use128)
        {
            Run<Vector128<T>, Simd128<T>, T>(alpha, ref xr, ref yr, n, ref i);
        }

        Run<T, SimdScalar<T>, T>(alpha, ref xr, ref yr, n, ref i);
    }

    /// <summary>As <see cref="Run{T}"/> with one vector width and the scalar tail: lets tests reach every path on any machine.</summary>
    internal static void RunWith<TVec, TSimd, T>(T alpha, ReadOnlySpan<T> x, Span<T> y)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x.Slice(0, y.Length));
        ref T yr = ref MemoryMarshal.GetReference(y);
        int i = 0;
        Run<TVec, TSimd, T>(alpha, ref xr, ref yr, y.Length, ref i);
        Run<T, SimdScalar<T>, T>(alpha, ref xr, ref yr, y.Length, ref i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Run<TVec, TSimd, T>(T alpha, ref T x, ref T y, int n, ref int i)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        TVec a = TSimd.Splat(alpha);
        int step = TSimd.Count;

        // Four vectors an iteration: the loop is load/store bound, and unrolling hides the FMA latency.
        for (; i <= n - (4 * step); i += 4 * step)
        {
            ref T y0 = ref Unsafe.Add(ref y, i);
            ref T x0 = ref Unsafe.Add(ref x, i);
            TVec r0 = TSimd.MultiplyAdd(a, TSimd.Load(ref x0), TSimd.Load(ref y0));
            TVec r1 = TSimd.MultiplyAdd(a, TSimd.Load(ref Unsafe.Add(ref x0, step)), TSimd.Load(ref Unsafe.Add(ref y0, step)));
            TVec r2 = TSimd.MultiplyAdd(a, TSimd.Load(ref Unsafe.Add(ref x0, 2 * step)), TSimd.Load(ref Unsafe.Add(ref y0, 2 * step)));
            TVec r3 = TSimd.MultiplyAdd(a, TSimd.Load(ref Unsafe.Add(ref x0, 3 * step)), TSimd.Load(ref Unsafe.Add(ref y0, 3 * step)));
            TSimd.Store(r0, ref y0);
            TSimd.Store(r1, ref Unsafe.Add(ref y0, step));
            TSimd.Store(r2, ref Unsafe.Add(ref y0, 2 * step));
            TSimd.Store(r3, ref Unsafe.Add(ref y0, 3 * step));
        }

        for (; i <= n - step; i += step)
        {
            ref T yi = ref Unsafe.Add(ref y, i);
            TSimd.Store(TSimd.MultiplyAdd(a, TSimd.Load(ref Unsafe.Add(ref x, i)), TSimd.Load(ref yi)), ref yi);
        }
    }
}
