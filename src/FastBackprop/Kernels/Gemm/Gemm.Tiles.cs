using System.Numerics;
using System.Runtime.CompilerServices;

namespace FastBackprop.Kernels.Gemm;

internal static partial class Gemm
{
    // Register tiles, unpacked: A is broadcast one element at a time through (RowStrideA, ColumnStrideA), so a
    // transposed A costs nothing; B is read along its contiguous rows. The main tile is 4 rows x 2 vectors:
    // 8 accumulators + 2 B vectors + 1 broadcast fit the 16 registers of AVX2 and leave room on AVX-512. Each k
    // step issues 2 vector loads and 4 broadcasts for 8 FMAs, which keeps the FMA units busy for L1/L2-resident B.

    /// <summary>Columns [j, …) in panels of 2 vectors, then 1 vector; leaves j at the first column not done.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Columns<TVec, TSimd, T>(int m, int n, ref T a, ref T b, ref T c, in TileArgs<T> args, ref int j)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int w = TSimd.Count;
        for (; j <= n - (2 * w); j += 2 * w)
        {
            int i = 0;
            for (; i <= m - 4; i += 4)
            {
                Tile4x2<TVec, TSimd, T>(ref Unsafe.Add(ref a, i * args.RowStrideA), ref Unsafe.Add(ref b, j), ref Unsafe.Add(ref c, (i * args.Ldc) + j), args);
            }

            for (; i < m; i++)
            {
                Tile1x2<TVec, TSimd, T>(ref Unsafe.Add(ref a, i * args.RowStrideA), ref Unsafe.Add(ref b, j), ref Unsafe.Add(ref c, (i * args.Ldc) + j), args);
            }
        }

        for (; j <= n - w; j += w)
        {
            int i = 0;
            for (; i <= m - 4; i += 4)
            {
                Tile4x1<TVec, TSimd, T>(ref Unsafe.Add(ref a, i * args.RowStrideA), ref Unsafe.Add(ref b, j), ref Unsafe.Add(ref c, (i * args.Ldc) + j), args);
            }

            for (; i < m; i++)
            {
                Tile1x1<TVec, TSimd, T>(ref Unsafe.Add(ref a, i * args.RowStrideA), ref Unsafe.Add(ref b, j), ref Unsafe.Add(ref c, (i * args.Ldc) + j), args);
            }
        }
    }

    static void Tile4x2<TVec, TSimd, T>(ref T a, ref T b, ref T c, in TileArgs<T> args)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int w = TSimd.Count;
        nint rs = args.RowStrideA, cs = args.ColumnStrideA, ldb = args.Ldb, ldc = args.Ldc;
        TVec c00 = TSimd.Zero, c01 = TSimd.Zero, c10 = TSimd.Zero, c11 = TSimd.Zero;
        TVec c20 = TSimd.Zero, c21 = TSimd.Zero, c30 = TSimd.Zero, c31 = TSimd.Zero;
        ref T ap = ref a;
        ref T bp = ref b;
        for (int p = 0; p < args.K; p++)
        {
            TVec b0 = TSimd.Load(ref bp), b1 = TSimd.Load(ref Unsafe.Add(ref bp, w));
            TVec ai = TSimd.Splat(ap);
            c00 = TSimd.MultiplyAdd(ai, b0, c00);
            c01 = TSimd.MultiplyAdd(ai, b1, c01);
            ai = TSimd.Splat(Unsafe.Add(ref ap, rs));
            c10 = TSimd.MultiplyAdd(ai, b0, c10);
            c11 = TSimd.MultiplyAdd(ai, b1, c11);
            ai = TSimd.Splat(Unsafe.Add(ref ap, 2 * rs));
            c20 = TSimd.MultiplyAdd(ai, b0, c20);
            c21 = TSimd.MultiplyAdd(ai, b1, c21);
            ai = TSimd.Splat(Unsafe.Add(ref ap, 3 * rs));
            c30 = TSimd.MultiplyAdd(ai, b0, c30);
            c31 = TSimd.MultiplyAdd(ai, b1, c31);
            ap = ref Unsafe.Add(ref ap, cs);
            bp = ref Unsafe.Add(ref bp, ldb);
        }

        TVec alpha = TSimd.Splat(args.Alpha);
        StoreRow<TVec, TSimd, T>(c00, c01, alpha, ref c, w, args.Accumulate);
        StoreRow<TVec, TSimd, T>(c10, c11, alpha, ref Unsafe.Add(ref c, ldc), w, args.Accumulate);
        StoreRow<TVec, TSimd, T>(c20, c21, alpha, ref Unsafe.Add(ref c, 2 * ldc), w, args.Accumulate);
        StoreRow<TVec, TSimd, T>(c30, c31, alpha, ref Unsafe.Add(ref c, 3 * ldc), w, args.Accumulate);
    }

    static void Tile1x2<TVec, TSimd, T>(ref T a, ref T b, ref T c, in TileArgs<T> args)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int w = TSimd.Count;
        nint cs = args.ColumnStrideA, ldb = args.Ldb;

        // Two accumulator pairs over even and odd k halve the FMA dependency chain of a single row.
        TVec c00 = TSimd.Zero, c01 = TSimd.Zero, d00 = TSimd.Zero, d01 = TSimd.Zero;
        ref T ap = ref a;
        ref T bp = ref b;
        int p = 0;
        for (; p <= args.K - 2; p += 2)
        {
            TVec ai = TSimd.Splat(ap);
            c00 = TSimd.MultiplyAdd(ai, TSimd.Load(ref bp), c00);
            c01 = TSimd.MultiplyAdd(ai, TSimd.Load(ref Unsafe.Add(ref bp, w)), c01);
            ai = TSimd.Splat(Unsafe.Add(ref ap, cs));
            d00 = TSimd.MultiplyAdd(ai, TSimd.Load(ref Unsafe.Add(ref bp, ldb)), d00);
            d01 = TSimd.MultiplyAdd(ai, TSimd.Load(ref Unsafe.Add(ref bp, ldb + w)), d01);
            ap = ref Unsafe.Add(ref ap, 2 * cs);
            bp = ref Unsafe.Add(ref bp, 2 * ldb);
        }

        if (p < args.K)
        {
            TVec ai = TSimd.Splat(ap);
            c00 = TSimd.MultiplyAdd(ai, TSimd.Load(ref bp), c00);
            c01 = TSimd.MultiplyAdd(ai, TSimd.Load(ref Unsafe.Add(ref bp, w)), c01);
        }

        StoreRow<TVec, TSimd, T>(TSimd.Add(c00, d00), TSimd.Add(c01, d01), TSimd.Splat(args.Alpha), ref c, w, args.Accumulate);
    }

    static void Tile4x1<TVec, TSimd, T>(ref T a, ref T b, ref T c, in TileArgs<T> args)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        nint rs = args.RowStrideA, cs = args.ColumnStrideA, ldb = args.Ldb, ldc = args.Ldc;
        TVec c0 = TSimd.Zero, c1 = TSimd.Zero, c2 = TSimd.Zero, c3 = TSimd.Zero;
        ref T ap = ref a;
        ref T bp = ref b;
        for (int p = 0; p < args.K; p++)
        {
            TVec b0 = TSimd.Load(ref bp);
            c0 = TSimd.MultiplyAdd(TSimd.Splat(ap), b0, c0);
            c1 = TSimd.MultiplyAdd(TSimd.Splat(Unsafe.Add(ref ap, rs)), b0, c1);
            c2 = TSimd.MultiplyAdd(TSimd.Splat(Unsafe.Add(ref ap, 2 * rs)), b0, c2);
            c3 = TSimd.MultiplyAdd(TSimd.Splat(Unsafe.Add(ref ap, 3 * rs)), b0, c3);
            ap = ref Unsafe.Add(ref ap, cs);
            bp = ref Unsafe.Add(ref bp, ldb);
        }

        TVec alpha = TSimd.Splat(args.Alpha);
        Store<TVec, TSimd, T>(c0, alpha, ref c, args.Accumulate);
        Store<TVec, TSimd, T>(c1, alpha, ref Unsafe.Add(ref c, ldc), args.Accumulate);
        Store<TVec, TSimd, T>(c2, alpha, ref Unsafe.Add(ref c, 2 * ldc), args.Accumulate);
        Store<TVec, TSimd, T>(c3, alpha, ref Unsafe.Add(ref c, 3 * ldc), args.Accumulate);
    }

    // One vector of C. With one accumulator its k loop would be a chain of k dependent multiply-adds (4 cycles
    // each); four interleaved partial sums let the FMA units overlap them. This tile finishes the columns of a
    // narrow GEMV (a 10-unit output layer at batch 1 is one such chain per column vector, k = 128 long).
    static void Tile1x1<TVec, TSimd, T>(ref T a, ref T b, ref T c, in TileArgs<T> args)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        nint cs = args.ColumnStrideA, ldb = args.Ldb;
        TVec c0 = TSimd.Zero, c1 = TSimd.Zero, c2 = TSimd.Zero, c3 = TSimd.Zero;
        ref T ap = ref a;
        ref T bp = ref b;
        int p = 0;
        for (; p <= args.K - 4; p += 4)
        {
            c0 = TSimd.MultiplyAdd(TSimd.Splat(ap), TSimd.Load(ref bp), c0);
            c1 = TSimd.MultiplyAdd(TSimd.Splat(Unsafe.Add(ref ap, cs)), TSimd.Load(ref Unsafe.Add(ref bp, ldb)), c1);
            c2 = TSimd.MultiplyAdd(TSimd.Splat(Unsafe.Add(ref ap, 2 * cs)), TSimd.Load(ref Unsafe.Add(ref bp, 2 * ldb)), c2);
            c3 = TSimd.MultiplyAdd(TSimd.Splat(Unsafe.Add(ref ap, 3 * cs)), TSimd.Load(ref Unsafe.Add(ref bp, 3 * ldb)), c3);
            ap = ref Unsafe.Add(ref ap, 4 * cs);
            bp = ref Unsafe.Add(ref bp, 4 * ldb);
        }

        for (; p < args.K; p++)
        {
            c0 = TSimd.MultiplyAdd(TSimd.Splat(ap), TSimd.Load(ref bp), c0);
            ap = ref Unsafe.Add(ref ap, cs);
            bp = ref Unsafe.Add(ref bp, ldb);
        }

        Store<TVec, TSimd, T>(TSimd.Add(TSimd.Add(c0, c1), TSimd.Add(c2, c3)), TSimd.Splat(args.Alpha), ref c, args.Accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StoreRow<TVec, TSimd, T>(TVec v0, TVec v1, TVec alpha, ref T c, int w, bool accumulate)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Store<TVec, TSimd, T>(v0, alpha, ref c, accumulate);
        Store<TVec, TSimd, T>(v1, alpha, ref Unsafe.Add(ref c, w), accumulate);
    }

    // C = alpha·v, or C = alpha·v + C: the multiply-add rounds as Axpy's does, so W + (-η)·(XᵀΔ) accumulated
    // here equals ComputeGradients followed by ApplyGradients. accumulate: false writes C without reading it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store<TVec, TSimd, T>(TVec v, TVec alpha, ref T c, bool accumulate)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        TSimd.Store(accumulate ? TSimd.MultiplyAdd(alpha, v, TSimd.Load(ref c)) : TSimd.Multiply(alpha, v), ref c);
    }
}
