using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels.Reductions;

/// <summary>Sums of the columns of a row-major matrix: the bias gradient dC/db[j] = Σ_r delta[r, j].</summary>
internal static class ColumnSums
{
    /// <summary>
    /// sums[j] = Σ_r matrix[r, j] for a [rows, sums.Length] row-major matrix (overwrites <paramref name="sums"/>).
    /// Rows are added in order 0, 1, …, so the result does not depend on the ISA's vector width.
    /// </summary>
    public static void Run<T>(ReadOnlySpan<T> matrix, int rows, Span<T> sums)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int width = sums.Length;
        if (matrix.Length < rows * width)
        {
            Internal.ThrowHelper.LengthMismatch(nameof(matrix), $"at least {rows} x {width} elements", matrix.Length);
        }

        ref T m = ref MemoryMarshal.GetReference(matrix);
        ref T s = ref MemoryMarshal.GetReference(sums);
        int j = 0;
        if (Isa.Use512)
        {
            Run<Vector512<T>, Simd512<T>, T>(ref m, rows, width, ref s, ref j);
        }

        if (Isa.Use256)
        {
            Run<Vector256<T>, Simd256<T>, T>(ref m, rows, width, ref s, ref j);
        }

        if (Isa.Use128)
        {
            Run<Vector128<T>, Simd128<T>, T>(ref m, rows, width, ref s, ref j);
        }

        Run<T, SimdScalar<T>, T>(ref m, rows, width, ref s, ref j);
    }

    /// <summary>As <see cref="Run{T}"/> with one vector width and the scalar tail: lets tests reach every path on any machine.</summary>
    internal static void RunWith<TVec, TSimd, T>(ReadOnlySpan<T> matrix, int rows, Span<T> sums)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T m = ref MemoryMarshal.GetReference(matrix.Slice(0, rows * sums.Length));
        ref T s = ref MemoryMarshal.GetReference(sums);
        int j = 0;
        Run<TVec, TSimd, T>(ref m, rows, sums.Length, ref s, ref j);
        Run<T, SimdScalar<T>, T>(ref m, rows, sums.Length, ref s, ref j);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Run<TVec, TSimd, T>(ref T matrix, int rows, int width, ref T sums, ref int j)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int step = TSimd.Count;
        for (; j <= width - step; j += step)
        {
            TVec acc = TSimd.Zero;
            ref T column = ref Unsafe.Add(ref matrix, j);
            for (int r = 0; r < rows; r++)
            {
                acc = TSimd.Add(acc, TSimd.Load(ref Unsafe.Add(ref column, r * width)));
            }

            TSimd.Store(acc, ref Unsafe.Add(ref sums, j));
        }
    }
}
