using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels.Gemm;

internal static unsafe partial class Gemm
{
    /// <summary>
    /// GEMVs with at least this many multiply-adds (and k of at least 2 · 128) are computed as two fixed parts of
    /// k, summed at the end, which the thread team can run side by side (each core then streams its part of the
    /// weights from its own L2). The split is the same at every thread count, so results are bit-identical.
    /// </summary>
    internal const int SplitGemvMinVolume = 32 * 1024;

    /// <summary>
    /// Where the two parts of a split GEMV meet, and where a rank-1 update shared by two threads splits its rows:
    /// 17/32 of the length. The caller runs the first part and starts at once; the worker starts only when the
    /// hand-off reaches it, and its part must then travel to the caller's core, together some 0.3 µs on Zen 4.
    /// A caller's share of 17/32 balances that: W5 on 2 threads 2.60-2.62 -> 2.44-2.50 µs, W2 5.6-5.8 -> 5.3-5.7 µs
    /// (scratch probe, interleaved runs, 2026-12-04); on one thread nothing changes. The rank-1 update uses the
    /// same point so that each core updates the rows of the weights it read in the forward GEMV, from its own L2.
    /// </summary>
    internal static int FirstPartLength(int length) => (int)((long)length * 17 / 32);

    static bool SplitsGemv(int n, int k) => k >= 256 && (long)n * k >= SplitGemvMinVolume;

    /// <summary>c = alpha·a·B (+ c) for one row, across every width: 8-vector chunks, then single vectors, then scalars.</summary>
    static void Gemv<T>(int n, ref T a, ref T b, ref T c, in TileArgs<T> args)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int j = 0;
        if (Isa.Use512)
        {
            GemvColumns<Vector512<T>, Simd512<T>, T>(n, ref a, ref b, ref c, args, ref j);
        }

        if (Isa.Use256)
        {
            GemvColumns<Vector256<T>, Simd256<T>, T>(n, ref a, ref b, ref c, args, ref j);
        }

        if (Isa.Use128)
        {
            GemvColumns<Vector128<T>, Simd128<T>, T>(n, ref a, ref b, ref c, args, ref j);
        }

        GemvColumns<T, SimdScalar<T>, T>(n, ref a, ref b, ref c, args, ref j);
    }

    /// <summary>
    /// A GEMV as two parts of k: each part's plain product into its own row of <c>partials</c> (on the team when
    /// the workspace has threads and its <see cref="BatchOneSharing"/> says so), then c = alpha·(first + second) (+ c).
    /// </summary>
    static void RunSplitGemv<T>(int n, int k, T* a, T* b, T* c, in TileArgs<T> args, GemmWorkspace<T> workspace)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        fixed (T* partials = workspace.Partials(2 * n))
        {
            BatchOneSharing? sharing = workspace.Threads > 1 && !workspace.IsDisposed ? workspace.BatchOne : null;
            long start = sharing is { Decided: false } ? Stopwatch.GetTimestamp() : 0;
            if (sharing is { Share: true })
            {
                (Threading.ThreadTeam team, SmallProductTask<T> task) = workspace.ParallelSmall();
                task.SetGemvParts(n, k, a, b, partials, args);
                team.Run(task);
            }
            else
            {
                GemvPart(0, n, k, a, b, partials, args);
                GemvPart(1, n, k, a, b, partials, args);
            }

            CombineParts(n, partials, c, args.Alpha, args.Accumulate);
            sharing?.Record(start, sharing.Decided ? 0 : Stopwatch.GetTimestamp());
        }
    }

    /// <summary>
    /// c[j] = alpha·(first[j] + second[j]) (+ c[j]) over the two parts' rows of <paramref name="partials"/>,
    /// each element rounded as the scalar expression would be (add, multiply, add), at every width. After a
    /// split GEMV on two threads the second part comes from the other core, line by line: vector loads ask for
    /// those lines together rather than one element after another.
    /// </summary>
    internal static void CombineParts<T>(int n, T* partials, T* c, T alpha, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int j = 0;
        if (Isa.Use512)
        {
            CombineParts<Vector512<T>, Simd512<T>, T>(n, partials, c, alpha, accumulate, ref j);
        }

        if (Isa.Use256)
        {
            CombineParts<Vector256<T>, Simd256<T>, T>(n, partials, c, alpha, accumulate, ref j);
        }

        if (Isa.Use128)
        {
            CombineParts<Vector128<T>, Simd128<T>, T>(n, partials, c, alpha, accumulate, ref j);
        }

        CombineParts<T, SimdScalar<T>, T>(n, partials, c, alpha, accumulate, ref j);
    }

    internal static void CombineParts<TVec, TSimd, T>(int n, T* partials, T* c, T alpha, bool accumulate, ref int j)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        TVec a = TSimd.Splat(alpha);
        int w = TSimd.Count;
        for (; j <= n - w; j += w)
        {
            TVec v = TSimd.Multiply(a, TSimd.Add(TSimd.Load(ref partials[j]), TSimd.Load(ref partials[n + j])));
            TSimd.Store(accumulate ? TSimd.Add(v, TSimd.Load(ref c[j])) : v, ref c[j]);
        }
    }

    /// <summary>Part <paramref name="part"/> (0 or 1) of a split GEMV: the plain product over its rows of B into partials[part·n …].</summary>
    internal static void GemvPart<T>(int part, int n, int k, T* a, T* b, T* partials, in TileArgs<T> args)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int first = FirstPartLength(k);
        int start = part == 0 ? 0 : first, count = part == 0 ? first : k - first;
        var plain = args with { K = count, Alpha = T.One, Accumulate = false };
        Gemv(n, ref *(a + ((nint)start * args.ColumnStrideA)), ref *(b + ((nint)start * args.Ldb)), ref *(partials + ((nint)part * n)), plain);
    }

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
