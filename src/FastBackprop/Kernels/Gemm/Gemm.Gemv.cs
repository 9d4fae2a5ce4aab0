using System.Numerics;
using System.Runtime.CompilerServices;

namespace FastBackprop.Kernels.Gemm;

internal static partial class Gemm
{
    /// <summary>
    /// One row of C from one row of A: c[0, j] = alpha·Σp a(p)·B[p, j] (+ c). The batch-1 forward pass. Up to 8
    /// vectors of C stay in registers while B is read row after row, so B streams through the cache once, in
    /// order, which the hardware prefetcher follows; the register-tile path would instead walk B in narrow
    /// column panels, one strided pass per panel.
    /// </summary>
    static void GemvColumns<TVec, TSimd, T>(int n, ref T a, ref T b, ref T c, in TileArgs<T> args, ref int j)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int w = TSimd.Count;
        for (; j <= n - (8 * w); j += 8 * w)
        {
            Gemv8<TVec, TSimd, T>(ref a, ref Unsafe.Add(ref b, j), ref Unsafe.Add(ref c, j), args);
        }

        for (; j <= n - w; j += w)
        {
            Tile1x1<TVec, TSimd, T>(ref a, ref Unsafe.Add(ref b, j), ref Unsafe.Add(ref c, j), args);
        }
    }

    static void Gemv8<TVec, TSimd, T>(ref T a, ref T b, ref T c, in TileArgs<T> args)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        nint w = TSimd.Count, cs = args.ColumnStrideA, ldb = args.Ldb;
        TVec c0 = TSimd.Zero, c1 = TSimd.Zero, c2 = TSimd.Zero, c3 = TSimd.Zero;
        TVec c4 = TSimd.Zero, c5 = TSimd.Zero, c6 = TSimd.Zero, c7 = TSimd.Zero;
        ref T ap = ref a;
        ref T bp = ref b;
        for (int p = 0; p < args.K; p++)
        {
            TVec ai = TSimd.Splat(ap);
            c0 = TSimd.MultiplyAdd(ai, TSimd.Load(ref bp), c0);
            c1 = TSimd.MultiplyAdd(ai, TSimd.Load(ref Unsafe.Add(ref bp, w)), c1);
            c2 = TSimd.MultiplyAdd(ai, TSimd.Load(ref Unsafe.Add(ref bp, 2 * w)), c2);
            c3 = TSimd.MultiplyAdd(ai, TSimd.Load(ref Unsafe.Add(ref bp, 3 * w)), c3);
            c4 = TSimd.MultiplyAdd(ai, TSimd.Load(ref Unsafe.Add(ref bp, 4 * w)), c4);
            c5 = TSimd.MultiplyAdd(ai, TSimd.Load(ref Unsafe.Add(ref bp, 5 * w)), c5);
            c6 = TSimd.MultiplyAdd(ai, TSimd.Load(ref Unsafe.Add(ref bp, 6 * w)), c6);
            c7 = TSimd.MultiplyAdd(ai, TSimd.Load(ref Unsafe.Add(ref bp, 7 * w)), c7);
            ap = ref Unsafe.Add(ref ap, cs);
            bp = ref Unsafe.Add(ref bp, ldb);
        }

        TVec alpha = TSimd.Splat(args.Alpha);
        StoreRow<TVec, TSimd, T>(c0, c1, alpha, ref c, (int)w, args.Accumulate);
        StoreRow<TVec, TSimd, T>(c2, c3, alpha, ref Unsafe.Add(ref c, 2 * w), (int)w, args.Accumulate);
        StoreRow<TVec, TSimd, T>(c4, c5, alpha, ref Unsafe.Add(ref c, 4 * w), (int)w, args.Accumulate);
        StoreRow<TVec, TSimd, T>(c6, c7, alpha, ref Unsafe.Add(ref c, 6 * w), (int)w, args.Accumulate);
    }
}
