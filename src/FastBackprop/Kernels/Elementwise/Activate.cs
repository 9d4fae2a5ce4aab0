using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels.Elementwise;

/// <summary>y[i] = f(z[i]) out of place, for the output layer, whose pre-activations the losses still need.</summary>
internal static class Activate
{
    /// <summary>y[i] = f(z[i]) for i in [0, z.Length); <paramref name="y"/> must be at least as long.</summary>
    public static void Run<TOp, T>(ReadOnlySpan<T> z, Span<T> y)
        where TOp : struct, IActivationOp<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (y.Length < z.Length)
        {
            Internal.ThrowHelper.LengthMismatch(nameof(y), $"at least {z.Length} elements", y.Length);
        }

        ref T zr = ref MemoryMarshal.GetReference(z);
        ref T yr = ref MemoryMarshal.GetReference(y);
        int n = z.Length;
        int i = 0;
        if (Isa.Use512)
        {
            Run<TOp, Vector512<T>, Simd512<T>, T>(ref zr, ref yr, n, ref i);
        }

        if (Isa.Use256)
        {
            Run<TOp, Vector256<T>, Simd256<T>, T>(ref zr, ref yr, n, ref i);
        }

        if (Isa.Use128)
        {
            Run<TOp, Vector128<T>, Simd128<T>, T>(ref zr, ref yr, n, ref i);
        }

        Run<TOp, T, SimdScalar<T>, T>(ref zr, ref yr, n, ref i);
    }

    /// <summary>As <see cref="Run{TOp, T}"/> with one vector width and the scalar tail: lets tests reach every path on any machine.</summary>
    internal static void RunWith<TOp, TVec, TSimd, T>(ReadOnlySpan<T> z, Span<T> y)
        where TOp : struct, IActivationOp<T>
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T zr = ref MemoryMarshal.GetReference(z);
        ref T yr = ref MemoryMarshal.GetReference(y.Slice(0, z.Length));
        int i = 0;
        Run<TOp, TVec, TSimd, T>(ref zr, ref yr, z.Length, ref i);
        Run<TOp, T, SimdScalar<T>, T>(ref zr, ref yr, z.Length, ref i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Run<TOp, TVec, TSimd, T>(ref T z, ref T y, int n, ref int i)
        where TOp : struct, IActivationOp<T>
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int step = TSimd.Count;
        for (; i <= n - step; i += step)
        {
            TSimd.Store(TOp.Forward<TVec, TSimd>(TSimd.Load(ref Unsafe.Add(ref z, i))), ref Unsafe.Add(ref y, i));
        }
    }
}
