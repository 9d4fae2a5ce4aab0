using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels.Elementwise;

/// <summary>
/// The elementwise traversals. Each walks its span with the widest vector the active ISA allows, then narrower
/// vectors, then scalars (the ImageSharp cascade), so any length is handled and no element is visited twice.
/// </summary>
internal static class Elementwise
{
    /// <summary>Spans shorter than this go straight to the scalar loop.</summary>
    internal const int ShortSpan = 16;

    /// <summary>
    /// values[r, j] = f(values[r, j] + bias[j]) for every row r: the dense layer's epilogue.
    /// <paramref name="values"/> is [rows, bias.Length], row-major; overwritten in place.
    /// </summary>
    public static void AddBiasActivate<TOp, T>(Span<T> values, ReadOnlySpan<T> bias, int rows)
        where TOp : struct, IActivationOp<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int width = bias.Length;
        ref T b = ref MemoryMarshal.GetReference(bias);
        for (int r = 0; r < rows; r++)
        {
            ref T row = ref MemoryMarshal.GetReference(values.Slice(r * width, width));
            int j = 0;
            if (Isa.Use512)
            {
                AddBiasActivate<TOp, Vector512<T>, Simd512<T>, T>(ref row, ref b, width, ref j);
            }

            if (Isa.Use256)
            {
                AddBiasActivate<TOp, Vector256<T>, Simd256<T>, T>(ref row, ref b, width, ref j);
            }

            if (Isa.Use128)
            {
                AddBiasActivate<TOp, Vector128<T>, Simd128<T>, T>(ref row, ref b, width, ref j);
            }

            AddBiasActivate<TOp, T, SimdScalar<T>, T>(ref row, ref b, width, ref j);
        }
    }

    /// <summary>dy[i] = dy[i] · f'(z[i]), with the derivative read off the outputs y = f(z). Same lengths.</summary>
    public static void MultiplyByDerivative<TOp, T>(ReadOnlySpan<T> y, Span<T> dy)
        where TOp : struct, IActivationOp<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T dr = ref MemoryMarshal.GetReference(dy);
        int n = dy.Length;
        int i = 0;

        // Short spans (a tiny network's outputs) skip the vector cascade, whose set-up costs more than the loop.
        if (n >= ShortSpan)
        {
            if (Isa.Use512)
            {
                MultiplyByDerivative<TOp, Vector512<T>, Simd512<T>, T>(ref yr, ref dr, n, ref i);
            }

            if (Isa.Use256)
            {
                MultiplyByDerivative<TOp, Vector256<T>, Simd256<T>, T>(ref yr, ref dr, n, ref i);
            }

            if (Isa.Use128)
            {
                MultiplyByDerivative<TOp, Vector128<T>, Simd128<T>, T>(ref yr, ref dr, n, ref i);
            }
        }

        MultiplyByDerivative<TOp, T, SimdScalar<T>, T>(ref yr, ref dr, n, ref i);
    }

    /// <summary>As <see cref="AddBiasActivate{TOp, T}"/> with one vector width and the scalar tail: lets tests reach every path on any machine.</summary>
    internal static void AddBiasActivateWith<TOp, TVec, TSimd, T>(Span<T> values, ReadOnlySpan<T> bias, int rows)
        where TOp : struct, IActivationOp<T>
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int width = bias.Length;
        ref T b = ref MemoryMarshal.GetReference(bias);
        for (int r = 0; r < rows; r++)
        {
            ref T row = ref MemoryMarshal.GetReference(values.Slice(r * width, width));
            int j = 0;
            AddBiasActivate<TOp, TVec, TSimd, T>(ref row, ref b, width, ref j);
            AddBiasActivate<TOp, T, SimdScalar<T>, T>(ref row, ref b, width, ref j);
        }
    }

    /// <summary>As <see cref="MultiplyByDerivative{TOp, T}"/> with one vector width and the scalar tail.</summary>
    internal static void MultiplyByDerivativeWith<TOp, TVec, TSimd, T>(ReadOnlySpan<T> y, Span<T> dy)
        where TOp : struct, IActivationOp<T>
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T dr = ref MemoryMarshal.GetReference(dy);
        int i = 0;
        MultiplyByDerivative<TOp, TVec, TSimd, T>(ref yr, ref dr, dy.Length, ref i);
        MultiplyByDerivative<TOp, T, SimdScalar<T>, T>(ref yr, ref dr, dy.Length, ref i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void AddBiasActivate<TOp, TVec, TSimd, T>(ref T row, ref T bias, int n, ref int j)
        where TOp : struct, IActivationOp<T>
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int step = TSimd.Count;
        for (; j <= n - step; j += step)
        {
            ref T v = ref Unsafe.Add(ref row, j);
            TSimd.Store(TOp.Forward<TVec, TSimd>(TSimd.Add(TSimd.Load(ref v), TSimd.Load(ref Unsafe.Add(ref bias, j)))), ref v);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void MultiplyByDerivative<TOp, TVec, TSimd, T>(ref T y, ref T dy, int n, ref int i)
        where TOp : struct, IActivationOp<T>
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int step = TSimd.Count;
        for (; i <= n - step; i += step)
        {
            ref T d = ref Unsafe.Add(ref dy, i);
            TSimd.Store(TOp.Backward<TVec, TSimd>(TSimd.Load(ref Unsafe.Add(ref y, i)), TSimd.Load(ref d)), ref d);
        }
    }
}
