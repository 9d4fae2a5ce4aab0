using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels.Elementwise;

/// <summary>x ← α·x in place (gradient clipping's rescale).</summary>
internal static class Scale
{
    /// <summary>x[i] ← alpha · x[i] for every i.</summary>
    public static void Run<T>(T alpha, Span<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length;
        int i = 0;
        if (Isa.Use512)
        {
            Run<Vector512<T>, Simd512<T>, T>(alpha, ref xr, n, ref i);
        }

        if (Isa.Use256)
        {
            Run<Vector256<T>, Simd256<T>, T>(alpha, ref xr, n, ref i);
        }

        if (Isa.Use128)
        {
            Run<Vector128<T>, Simd128<T>, T>(alpha, ref xr, n, ref i);
        }

        Run<T, SimdScalar<T>, T>(alpha, ref xr, n, ref i);
    }

    /// <summary>As <see cref="Run{T}"/> with one vector width and the scalar tail: lets tests reach every path on any machine.</summary>
    internal static void RunWith<TVec, TSimd, T>(T alpha, Span<T> x)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        int i = 0;
        Run<TVec, TSimd, T>(alpha, ref xr, x.Length, ref i);
        Run<T, SimdScalar<T>, T>(alpha, ref xr, x.Length, ref i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Run<TVec, TSimd, T>(T alpha, ref T x, int n, ref int i)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        TVec a = TSimd.Splat(alpha);
        int step = TSimd.Count;
        for (; i <= n - step; i += step)
        {
            ref T xi = ref Unsafe.Add(ref x, i);
            TSimd.Store(TSimd.Multiply(a, TSimd.Load(ref xi)), ref xi);
        }
    }
}
