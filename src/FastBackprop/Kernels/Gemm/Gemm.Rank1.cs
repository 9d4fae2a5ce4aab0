using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels.Gemm;

internal static unsafe partial class Gemm
{
    /// <summary>Rank-1 updates with at least this many elements are shared by rows over the thread team.</summary>
    internal const int SharedRank1MinVolume = 32 * 1024;

    /// <summary>
    /// The rank-1 update, by rows over the team when the workspace has threads, C is large enough and the workspace's
    /// <see cref="BatchOneSharing"/> shares batch-1 work (the rows each core updates are those it read in the GEMV).
    /// </summary>
    static void RunRank1<T>(int m, int n, T* a, T* b, T* c, in TileArgs<T> args, GemmWorkspace<T> workspace)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (workspace.Threads > 1 && !workspace.IsDisposed && (long)m * n >= SharedRank1MinVolume && workspace.BatchOne.Share)
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
    /// step when alpha = -η and C is the weights. The product a(i)·b(j) is rounded before alpha is applied, exactly
    /// as the register tiles round it, so the result does not depend on which path ran.
    /// </summary>
    /// <remarks>
    /// The update is bound by moving C through the cache (one read and one write of every weight), so the loop does
    /// nothing else per vector of C: b is held in registers, eight vectors at a time, while the rows of C stream past
    /// (for the usual layer widths, 128 floats under AVX-512, that is one pass over C in address order), and the
    /// tile arguments are copied to locals, since stores into C through a ref could otherwise alias them and force
    /// a reload per vector.
    /// </remarks>
    static void Rank1<TVec, TSimd, T>(int m, int n, ref T a, ref T b, ref T c, in TileArgs<T> args, int j0)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int w = TSimd.Count;
        var rows = new Rank1Walk<T>(m, args);
        int j = j0;
        for (; j <= n - (8 * w); j += 8 * w)
        {
            Rank1Columns8<TVec, TSimd, T>(rows, ref a, ref Unsafe.Add(ref b, j), ref Unsafe.Add(ref c, j));
        }

        for (; j <= n - w; j += w)
        {
            Rank1Columns1<TVec, TSimd, T>(rows, ref a, ref Unsafe.Add(ref b, j), ref Unsafe.Add(ref c, j));
        }
    }

    /// <summary>The row walk of one rank-1 update, as locals: m rows of a (by its row stride) and of C (by ldc).</summary>
    readonly record struct Rank1Walk<T>(int M, T Alpha, nint RowStrideA, nint Ldc, bool Accumulate)
    {
        public Rank1Walk(int m, in TileArgs<T> args)
            : this(m, args.Alpha, args.RowStrideA, args.Ldc, args.Accumulate)
        {
        }
    }

    /// <summary>Eight vectors of columns of a rank-1 update, with those eight vectors of b in registers.</summary>
    static void Rank1Columns8<TVec, TSimd, T>(Rank1Walk<T> rows, ref T a, ref T b, ref T c)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        nint w = TSimd.Count;
        TVec b0 = TSimd.Load(ref b), b1 = TSimd.Load(ref Unsafe.Add(ref b, w));
        TVec b2 = TSimd.Load(ref Unsafe.Add(ref b, 2 * w)), b3 = TSimd.Load(ref Unsafe.Add(ref b, 3 * w));
        TVec b4 = TSimd.Load(ref Unsafe.Add(ref b, 4 * w)), b5 = TSimd.Load(ref Unsafe.Add(ref b, 5 * w));
        TVec b6 = TSimd.Load(ref Unsafe.Add(ref b, 6 * w)), b7 = TSimd.Load(ref Unsafe.Add(ref b, 7 * w));
        TVec alpha = TSimd.Splat(rows.Alpha);
        bool accumulate = rows.Accumulate;
        ref T ai = ref a;
        ref T row = ref c;
        for (int i = 0; i < rows.M; i++)
        {
            TVec x = TSimd.Splat(ai);
            Rank1Update<TVec, TSimd, T>(x, b0, alpha, ref row, accumulate);
            Rank1Update<TVec, TSimd, T>(x, b1, alpha, ref Unsafe.Add(ref row, w), accumulate);
            Rank1Update<TVec, TSimd, T>(x, b2, alpha, ref Unsafe.Add(ref row, 2 * w), accumulate);
            Rank1Update<TVec, TSimd, T>(x, b3, alpha, ref Unsafe.Add(ref row, 3 * w), accumulate);
            Rank1Update<TVec, TSimd, T>(x, b4, alpha, ref Unsafe.Add(ref row, 4 * w), accumulate);
            Rank1Update<TVec, TSimd, T>(x, b5, alpha, ref Unsafe.Add(ref row, 5 * w), accumulate);
            Rank1Update<TVec, TSimd, T>(x, b6, alpha, ref Unsafe.Add(ref row, 6 * w), accumulate);
            Rank1Update<TVec, TSimd, T>(x, b7, alpha, ref Unsafe.Add(ref row, 7 * w), accumulate);
            ai = ref Unsafe.Add(ref ai, rows.RowStrideA);
            row = ref Unsafe.Add(ref row, rows.Ldc);
        }
    }

    /// <summary>One vector of columns of a rank-1 update (the tail after the eight-vector blocks).</summary>
    static void Rank1Columns1<TVec, TSimd, T>(Rank1Walk<T> rows, ref T a, ref T b, ref T c)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        TVec bj = TSimd.Load(ref b);
        TVec alpha = TSimd.Splat(rows.Alpha);
        bool accumulate = rows.Accumulate;
        ref T ai = ref a;
        ref T row = ref c;
        for (int i = 0; i < rows.M; i++)
        {
            Rank1Update<TVec, TSimd, T>(TSimd.Splat(ai), bj, alpha, ref row, accumulate);
            ai = ref Unsafe.Add(ref ai, rows.RowStrideA);
            row = ref Unsafe.Add(ref row, rows.Ldc);
        }
    }

    /// <summary>c (+)= alpha·(x·b) for one vector of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Rank1Update<TVec, TSimd, T>(TVec x, TVec b, TVec alpha, ref T c, bool accumulate)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        TVec product = TSimd.Multiply(x, b);
        TSimd.Store(accumulate ? TSimd.MultiplyAdd(alpha, product, TSimd.Load(ref c)) : TSimd.Multiply(alpha, product), ref c);
    }
}
