using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace FastBackprop.Kernels.Gemm;

/// <summary>
/// The register tiles of the packed GEMM. Each computes one MR x (2 vectors) tile of C from a packed A sliver
/// (k-major, MR values per k, zero-padded) and a B sliver of 2 vectors per k, <c>ldb</c> elements apart: packed
/// and zero-padded (ldb = 2 vectors), or a whole sliver of B read in place (ldb = B's row stride). So the k
/// loop has no edge cases and no calls: the accumulators are named locals, which the JIT keeps in registers, and
/// every ISimd operation is inlined. A call inside the loop would make the JIT spill every accumulator
/// (no callee-saved vector registers on SysV).
/// <para>Both tiles are compiled fully optimised at their first call (AggressiveOptimization) instead of starting
/// in tier-0 code, where every ISimd operation is a call: a program that keeps compiling new code of its own
/// keeps putting off the runtime's move to tier 1, and under BenchmarkDotNet's in-process harness the tier-0
/// tile was still running seconds into a measurement (W3's step at 430-480 µs instead of 155, Zen 5). The fully
/// optimised tile measured the same as the tier-1 one (scratch probe, interleaved, 2026-12-06).</para>
/// </summary>
internal static unsafe class MicroKernel
{
    /// <summary>K-steps of <see cref="Tile8x2"/> per cache line it prefetches (a power of 2).</summary>
    public const int PrefetchEvery = 8;

    /// <summary>Cache lines, 64 bytes apart, that one call of <see cref="Tile8x2"/> over <paramref name="kc"/> k-steps prefetches.</summary>
    public static int PrefetchLines(int kc) => (kc + PrefetchEvery - 1) / PrefetchEvery;

    /// <summary>
    /// C[8 x 2W] = alpha·Σp A~[p, 0..8) ⊗ B~[p, 0..2W) (+ C when <paramref name="accumulate"/>). W is the
    /// vector width: 8 x 32 floats on AVX-512, with 16 accumulators, 2 B vectors and a broadcast in registers.
    /// On x86 it also asks for one cache line every <see cref="PrefetchEvery"/> k-steps, the
    /// <see cref="PrefetchLines"/> consecutive lines from <paramref name="prefetch"/> on, so that the caller can
    /// bring in the next B sliver while this one is multiplied: see <see cref="Gemm.TilePrefetch"/>. The address
    /// need not be valid; a prefetch never faults.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Tile8x2<TVec, TSimd, T>(int kc, T* a, T* b, nint ldb, T* c, nint ldc, T alpha, bool accumulate, byte* prefetch)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        nint w = TSimd.Count;
        TVec c00 = TSimd.Zero, c01 = TSimd.Zero, c10 = TSimd.Zero, c11 = TSimd.Zero;
        TVec c20 = TSimd.Zero, c21 = TSimd.Zero, c30 = TSimd.Zero, c31 = TSimd.Zero;
        TVec c40 = TSimd.Zero, c41 = TSimd.Zero, c50 = TSimd.Zero, c51 = TSimd.Zero;
        TVec c60 = TSimd.Zero, c61 = TSimd.Zero, c70 = TSimd.Zero, c71 = TSimd.Zero;
        for (int p = 0; p < kc; p++)
        {
            // A test and a branch per k-step measured the same as an inner loop of 8 steps, without a second copy
            // of the body for kc's remainder.
            if (Sse.IsSupported && (p & (PrefetchEvery - 1)) == 0)
            {
                Sse.Prefetch0(prefetch);
                prefetch += 64;
            }

            TVec b0 = TSimd.Load(ref b[0]);
            TVec b1 = TSimd.Load(ref b[w]);
            TVec ai = TSimd.Splat(a[0]);
            c00 = TSimd.MultiplyAdd(ai, b0, c00);
            c01 = TSimd.MultiplyAdd(ai, b1, c01);
            ai = TSimd.Splat(a[1]);
            c10 = TSimd.MultiplyAdd(ai, b0, c10);
            c11 = TSimd.MultiplyAdd(ai, b1, c11);
            ai = TSimd.Splat(a[2]);
            c20 = TSimd.MultiplyAdd(ai, b0, c20);
            c21 = TSimd.MultiplyAdd(ai, b1, c21);
            ai = TSimd.Splat(a[3]);
            c30 = TSimd.MultiplyAdd(ai, b0, c30);
            c31 = TSimd.MultiplyAdd(ai, b1, c31);
            ai = TSimd.Splat(a[4]);
            c40 = TSimd.MultiplyAdd(ai, b0, c40);
            c41 = TSimd.MultiplyAdd(ai, b1, c41);
            ai = TSimd.Splat(a[5]);
            c50 = TSimd.MultiplyAdd(ai, b0, c50);
            c51 = TSimd.MultiplyAdd(ai, b1, c51);
            ai = TSimd.Splat(a[6]);
            c60 = TSimd.MultiplyAdd(ai, b0, c60);
            c61 = TSimd.MultiplyAdd(ai, b1, c61);
            ai = TSimd.Splat(a[7]);
            c70 = TSimd.MultiplyAdd(ai, b0, c70);
            c71 = TSimd.MultiplyAdd(ai, b1, c71);
            a += 8;
            b += ldb;
        }

        TVec al = TSimd.Splat(alpha);
        Store<TVec, TSimd, T>(c00, c01, al, c, w, accumulate);
        Store<TVec, TSimd, T>(c10, c11, al, c + ldc, w, accumulate);
        Store<TVec, TSimd, T>(c20, c21, al, c + (2 * ldc), w, accumulate);
        Store<TVec, TSimd, T>(c30, c31, al, c + (3 * ldc), w, accumulate);
        Store<TVec, TSimd, T>(c40, c41, al, c + (4 * ldc), w, accumulate);
        Store<TVec, TSimd, T>(c50, c51, al, c + (5 * ldc), w, accumulate);
        Store<TVec, TSimd, T>(c60, c61, al, c + (6 * ldc), w, accumulate);
        Store<TVec, TSimd, T>(c70, c71, al, c + (7 * ldc), w, accumulate);
    }

    /// <summary>
    /// C[6 x 2W] = alpha·Σp A~[p, 0..6) ⊗ B~[p, 0..2W) (+ C when <paramref name="accumulate"/>): 6 x 16 floats
    /// on AVX2 with 12 accumulators, 2 B vectors and a broadcast, 15 of the 16 registers (the BLIS Haswell tile).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Tile6x2<TVec, TSimd, T>(int kc, T* a, T* b, nint ldb, T* c, nint ldc, T alpha, bool accumulate)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        nint w = TSimd.Count;
        TVec c00 = TSimd.Zero, c01 = TSimd.Zero, c10 = TSimd.Zero, c11 = TSimd.Zero;
        TVec c20 = TSimd.Zero, c21 = TSimd.Zero, c30 = TSimd.Zero, c31 = TSimd.Zero;
        TVec c40 = TSimd.Zero, c41 = TSimd.Zero, c50 = TSimd.Zero, c51 = TSimd.Zero;
        for (int p = 0; p < kc; p++)
        {
            TVec b0 = TSimd.Load(ref b[0]);
            TVec b1 = TSimd.Load(ref b[w]);
            TVec ai = TSimd.Splat(a[0]);
            c00 = TSimd.MultiplyAdd(ai, b0, c00);
            c01 = TSimd.MultiplyAdd(ai, b1, c01);
            ai = TSimd.Splat(a[1]);
            c10 = TSimd.MultiplyAdd(ai, b0, c10);
            c11 = TSimd.MultiplyAdd(ai, b1, c11);
            ai = TSimd.Splat(a[2]);
            c20 = TSimd.MultiplyAdd(ai, b0, c20);
            c21 = TSimd.MultiplyAdd(ai, b1, c21);
            ai = TSimd.Splat(a[3]);
            c30 = TSimd.MultiplyAdd(ai, b0, c30);
            c31 = TSimd.MultiplyAdd(ai, b1, c31);
            ai = TSimd.Splat(a[4]);
            c40 = TSimd.MultiplyAdd(ai, b0, c40);
            c41 = TSimd.MultiplyAdd(ai, b1, c41);
            ai = TSimd.Splat(a[5]);
            c50 = TSimd.MultiplyAdd(ai, b0, c50);
            c51 = TSimd.MultiplyAdd(ai, b1, c51);
            a += 6;
            b += ldb;
        }

        TVec al = TSimd.Splat(alpha);
        Store<TVec, TSimd, T>(c00, c01, al, c, w, accumulate);
        Store<TVec, TSimd, T>(c10, c11, al, c + ldc, w, accumulate);
        Store<TVec, TSimd, T>(c20, c21, al, c + (2 * ldc), w, accumulate);
        Store<TVec, TSimd, T>(c30, c31, al, c + (3 * ldc), w, accumulate);
        Store<TVec, TSimd, T>(c40, c41, al, c + (4 * ldc), w, accumulate);
        Store<TVec, TSimd, T>(c50, c51, al, c + (5 * ldc), w, accumulate);
    }

    // One row of the tile: C = alpha·v or C = alpha·v + C (one rounding where the hardware has FMA). The
    // overwrite form never reads C, which may hold anything.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store<TVec, TSimd, T>(TVec v0, TVec v1, TVec alpha, T* c, nint w, bool accumulate)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (accumulate)
        {
            TSimd.Store(TSimd.MultiplyAdd(alpha, v0, TSimd.Load(ref c[0])), ref c[0]);
            TSimd.Store(TSimd.MultiplyAdd(alpha, v1, TSimd.Load(ref c[w])), ref c[w]);
        }
        else
        {
            TSimd.Store(TSimd.Multiply(alpha, v0), ref c[0]);
            TSimd.Store(TSimd.Multiply(alpha, v1), ref c[w]);
        }
    }
}
