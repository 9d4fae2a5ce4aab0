using System.Numerics;
using System.Runtime.CompilerServices;

namespace FastBackprop.Kernels.Gemm;

internal static partial class Gemm
{
    /// <summary>
    /// k = 1: C[i, j] (+)= alpha·(a(i)·b(j)), the rank-1 update of a batch-1 weight gradient, fused with the SGD
    /// step when alpha = -η and C is the weights. C is walked row after row, each row once: one read and one
    /// write of the weights, in order. The product a(i)·b(j) is rounded before alpha is applied, exactly as the
    /// register tiles round it, so the result does not depend on which path ran.
    /// </summary>
    static void Rank1<TVec, TSimd, T>(int m, int n, ref T a, ref T b, ref T c, in TileArgs<T> args, int j0)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int w = TSimd.Count;
        TVec alpha = TSimd.Splat(args.Alpha);
        for (int i = 0; i < m; i++)
        {
            TVec ai = TSimd.Splat(Unsafe.Add(ref a, i * args.RowStrideA));
            ref T row = ref Unsafe.Add(ref c, i * args.Ldc);
            int j = j0;
            for (; j <= n - w; j += w)
            {
                TVec product = TSimd.Multiply(ai, TSimd.Load(ref Unsafe.Add(ref b, j)));
                ref T cj = ref Unsafe.Add(ref row, j);
                TSimd.Store(args.Accumulate ? TSimd.MultiplyAdd(alpha, product, TSimd.Load(ref cj)) : TSimd.Multiply(alpha, product), ref cj);
            }
        }
    }
}
