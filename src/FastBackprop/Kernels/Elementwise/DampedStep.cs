using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels.Elementwise;

/// <summary>x ← x + d·(target − x) = (1 − d)·x + d·target: one damped step of a fixed-point iteration.</summary>
internal static class DampedStep
{
    /// <summary>x[i] += damping · (target[i] − x[i]) for i in [0, x.Length); target must be at least as long as x.</summary>
    public static void Run<T>(ReadOnlySpan<T> target, T damping, Span<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (target.Length < x.Length)
        {
            Internal.ThrowHelper.LengthMismatch(nameof(target), $"at least {x.Length} elements", target.Length);
        }

        ref T tr = ref MemoryMarshal.GetReference(target);
        ref T xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length;
        int i = 0;
        if (Isa.Use512)
        {
            Run<Vector512<T>, Simd512<T>, T>(ref tr, damping, ref xr, n, ref i);
        }

        if (Isa.Use256)
        {
            Run<Vector256<T>, Simd256<T>, T>(ref tr, damping, ref xr, n, ref i);
        }

        if (Isa.Use128)
        {
            Run<Vector128<T>, Simd128<T>, T>(ref tr, damping, ref xr, n, ref i);
        }

        Run<T, SimdScalar<T>, T>(ref tr, damping, ref xr, n, ref i);
    }

    /// <summary>As <see cref="Run{T}"/> with one vector width and the scalar tail: lets tests reach every path on any machine.</summary>
    internal static void RunWith<TVec, TSimd, T>(ReadOnlySpan<T> target, T damping, Span<T> x)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T tr = ref MemoryMarshal.GetReference(target.Slice(0, x.Length));
        ref T xr = ref MemoryMarshal.GetReference(x);
        int i = 0;
        Run<TVec, TSimd, T>(ref tr, damping, ref xr, x.Length, ref i);
        Run<T, SimdScalar<T>, T>(ref tr, damping, ref xr, x.Length, ref i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Run<TVec, TSimd, T>(ref T target, T damping, ref T x, int n, ref int i)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        TVec d = TSimd.Splat(damping);
        int step = TSimd.Count;
        for (; i <= n - step; i += step)
        {
            ref T xi = ref Unsafe.Add(ref x, i);
            TVec v = TSimd.Load(ref xi);
            TSimd.Store(TSimd.MultiplyAdd(d, TSimd.Subtract(TSimd.Load(ref Unsafe.Add(ref target, i)), v), v), ref xi);
        }
    }
}
