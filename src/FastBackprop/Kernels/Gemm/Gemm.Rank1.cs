using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels.Gemm;

internal static unsafe partial class Gemm
{
    /// <summary>Rank-1 updates with at least this many elements are shared by rows over the thread team.</summary>
    internal const int SharedRank1MinVolume = 32 * 1024;

    /// <summary>The rank-1 update, by rows over the team when the workspace has threads and C is large enough.</summary>
    static void RunRank1<T>(int m, int n, T* a, T* b, T* c, in TileArgs<T> args, GemmWorkspace<T> workspace)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (workspace.Threads > 1 && !workspace.IsDisposed && (long)m * n >= SharedRank1MinVolume)
        {
            (Threading.ThreadTeam team, SmallProductTask<T> task) = workspace.ParallelSmall();
            task.SetRank1(m, n, a, b, c, args);
            team.Run(task);
        }
        else
        {
            Rank1Rows(0, m, n, a, b, c, args);
        }
    }

    /// <summary>Rows [rowStart, rowEnd) of a rank-1 update, across every width. Each row is independent of the others.</summary>
    internal static void Rank1Rows<T>(int rowStart, int rowEnd, int n, T* a, T* b, T* c, in TileArgs<T> args)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int m = rowEnd - rowStart;
        ref T ar = ref *(a + ((nint)rowStart * args.RowStrideA));
        ref T br = ref *b;
        ref T cr = ref *(c + ((nint)rowStart * args.Ldc));
        int j = 0;

        // Each width takes the columns it can; the narrower ones and the scalars finish the row tails.
        if (Isa.Use512)
        {
            Rank1<Vector512<T>, Simd512<T>, T>(m, n, ref ar, ref br, ref cr, args, j);
            j = n - (n % Vector512<T>.Count);
        }

        if (Isa.Use256)
        {
            Rank1<Vector256<T>, Simd256<T>, T>(m, n, ref ar, ref br, ref cr, args, j);
            j = n - (n % Vector256<T>.Count);
        }

        if (Isa.Use128)
        {
            Rank1<Vector128<T>, Simd128<T>, T>(m, n, ref ar, ref br, ref cr, args, j);
            j = n - (n % Vector128<T>.Count);
        }

        Rank1<T, SimdScalar<T>, T>(m, n, ref ar, ref br, ref cr, args, j);
    }

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
