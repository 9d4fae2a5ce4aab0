using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels.Gemm;

internal static partial class Gemm
{
    /// <summary>
    /// c[1, n] = a[1, k] · B[n, k]ᵀ as n dot products along the rows of B: the batch-1 form of
    /// <see cref="MultiplyNT{T}"/> that reads B in place, where MultiplyNT's unpacked path would first copy Bᵀ.
    /// A fixed-point network's backward relaxation applies the same Wᵀ many times per call at batch 1, so this
    /// keeps it a streaming pass over W per iteration. Four rows at a time share each load of a; one vector width
    /// per call (the widest that fits in k), then scalars for the rest of k.
    /// </summary>
    /// <param name="n">Rows of B, elements of c.</param>
    /// <param name="k">Elements of a, columns of B.</param>
    /// <param name="a">[k].</param>
    /// <param name="b">[n, k] with leading dimension <paramref name="ldb"/> ≥ k.</param>
    /// <param name="ldb">B's leading dimension.</param>
    /// <param name="c">[n], overwritten.</param>
    public static void DotRows<T>(int n, int k, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int ldb, Span<T> c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckShape(1, n, k, a, k, rowsA: 1, colsA: k, b, ldb, rowsB: n, colsB: k, c, n);
        DotRows(n, k, T.One, a, b, ldb, accumulate: false, c);
    }

    /// <summary>c[1, n] = alpha · a[1, k] · B[n, k]ᵀ (+ c when <paramref name="accumulate"/>), shapes already checked.</summary>
    static void DotRows<T>(int n, int k, T alpha, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int ldb, bool accumulate, Span<T> c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (Isa.Use512 && k >= Vector512<T>.Count)
        {
            DotRowsWith<Vector512<T>, Simd512<T>, T>(n, k, alpha, a, b, ldb, accumulate, c);
        }
        else if (Isa.Use256 && k >= Vector256<T>.Count)
        {
            DotRowsWith<Vector256<T>, Simd256<T>, T>(n, k, alpha, a, b, ldb, accumulate, c);
        }
        else if (Isa.Use128 && k >= Vector128<T>.Count)
        {
            DotRowsWith<Vector128<T>, Simd128<T>, T>(n, k, alpha, a, b, ldb, accumulate, c);
        }
        else
        {
            DotRowsWith<T, SimdScalar<T>, T>(n, k, alpha, a, b, ldb, accumulate, c);
        }
    }

    /// <summary>
    /// c[1, n] = alpha · a[1, k] · B[n, k]ᵀ (+ c) with one vector width and the scalar tail: lets tests reach every
    /// path on any machine.
    /// </summary>
    internal static void DotRowsWith<TVec, TSimd, T>(int n, int k, T alpha, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int ldb, bool accumulate, Span<T> c)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (n == 0)
        {
            return;
        }

        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        ref T cr = ref MemoryMarshal.GetReference(c);
        int j = 0;
        for (; j <= n - 4; j += 4)
        {
            DotRows4<TVec, TSimd, T>(k, alpha, ref ar, ref Unsafe.Add(ref br, (nint)j * ldb), ldb, accumulate, ref Unsafe.Add(ref cr, j));
        }

        for (; j < n; j++)
        {
            Store<T, SimdScalar<T>, T>(Dot<TVec, TSimd, T>(k, ref ar, ref Unsafe.Add(ref br, (nint)j * ldb)), alpha, ref Unsafe.Add(ref cr, j), accumulate);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void DotRows4<TVec, TSimd, T>(int k, T alpha, ref T a, ref T b, int ldb, bool accumulate, ref T c)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T b0 = ref b;
        ref T b1 = ref Unsafe.Add(ref b, ldb);
        ref T b2 = ref Unsafe.Add(ref b, 2 * (nint)ldb);
        ref T b3 = ref Unsafe.Add(ref b, 3 * (nint)ldb);
        TVec s0 = TSimd.Zero, s1 = TSimd.Zero, s2 = TSimd.Zero, s3 = TSimd.Zero;
        int step = TSimd.Count;
        int i = 0;
        for (; i <= k - step; i += step)
        {
            TVec va = TSimd.Load(ref Unsafe.Add(ref a, i));
            s0 = TSimd.MultiplyAdd(va, TSimd.Load(ref Unsafe.Add(ref b0, i)), s0);
            s1 = TSimd.MultiplyAdd(va, TSimd.Load(ref Unsafe.Add(ref b1, i)), s1);
            s2 = TSimd.MultiplyAdd(va, TSimd.Load(ref Unsafe.Add(ref b2, i)), s2);
            s3 = TSimd.MultiplyAdd(va, TSimd.Load(ref Unsafe.Add(ref b3, i)), s3);
        }

        T t0 = TSimd.Sum(s0), t1 = TSimd.Sum(s1), t2 = TSimd.Sum(s2), t3 = TSimd.Sum(s3);
        for (; i < k; i++)
        {
            T ai = Unsafe.Add(ref a, i);
            t0 += ai * Unsafe.Add(ref b0, i);
            t1 += ai * Unsafe.Add(ref b1, i);
            t2 += ai * Unsafe.Add(ref b2, i);
            t3 += ai * Unsafe.Add(ref b3, i);
        }

        Store<T, SimdScalar<T>, T>(t0, alpha, ref c, accumulate);
        Store<T, SimdScalar<T>, T>(t1, alpha, ref Unsafe.Add(ref c, 1), accumulate);
        Store<T, SimdScalar<T>, T>(t2, alpha, ref Unsafe.Add(ref c, 2), accumulate);
        Store<T, SimdScalar<T>, T>(t3, alpha, ref Unsafe.Add(ref c, 3), accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static T Dot<TVec, TSimd, T>(int k, ref T a, ref T b)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        TVec s = TSimd.Zero;
        int step = TSimd.Count;
        int i = 0;
        for (; i <= k - step; i += step)
        {
            s = TSimd.MultiplyAdd(TSimd.Load(ref Unsafe.Add(ref a, i)), TSimd.Load(ref Unsafe.Add(ref b, i)), s);
        }

        T t = TSimd.Sum(s);
        for (; i < k; i++)
        {
            t += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        }

        return t;
    }
}
