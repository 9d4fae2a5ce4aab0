using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastBackprop.Kernels.Gemm;

/// <summary>
/// The register tile of the dot-product form of C = A·Bᵀ (float, 512-bit vectors), where both A and the stored
/// B run along k: each element of a 4 x 4 tile of C is a dot product of a row of A and a row of B, accumulated
/// 16 values of k at a time in its own vector and summed across the lanes once, at the end. Neither operand is
/// packed, so nothing is transposed: the packed form has to transpose both (A into k-major slivers of 8 rows,
/// B into k-major slivers of 32 columns).
/// </summary>
internal static unsafe class DotKernel
{
    /// <summary>Values of k each step of the tile takes: one 512-bit vector of float.</summary>
    public const int KStep = 16;

    /// <summary>Rows of A and of B (so rows and columns of C) in one tile.</summary>
    public const int Rows = 4;

    /// <summary>
    /// C[4 x 4] = alpha·A[4, k]·B[4, k]ᵀ (+ C when <paramref name="accumulate"/>), k a multiple of
    /// <see cref="KStep"/>: 16 accumulators, 4 B vectors and an A vector in registers (21 of 32), 8 loads per 16
    /// multiply-adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Tile4x4(int k, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, float alpha, bool accumulate)
    {
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<float> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<float> s20 = default, s21 = default, s22 = default, s23 = default;
        Vector512<float> s30 = default, s31 = default, s32 = default, s33 = default;
        float* a1 = a + lda, a2 = a + (2 * lda), a3 = a + (3 * lda);
        float* b1 = b + ldb, b2 = b + (2 * ldb), b3 = b + (3 * ldb);
        for (nint p = 0; p < k; p += KStep)
        {
            Vector512<float> vb0 = Vector512.Load(b + p);
            Vector512<float> vb1 = Vector512.Load(b1 + p);
            Vector512<float> vb2 = Vector512.Load(b2 + p);
            Vector512<float> vb3 = Vector512.Load(b3 + p);
            Vector512<float> va = Vector512.Load(a + p);
            s00 = Vector512.FusedMultiplyAdd(va, vb0, s00);
            s01 = Vector512.FusedMultiplyAdd(va, vb1, s01);
            s02 = Vector512.FusedMultiplyAdd(va, vb2, s02);
            s03 = Vector512.FusedMultiplyAdd(va, vb3, s03);
            va = Vector512.Load(a1 + p);
            s10 = Vector512.FusedMultiplyAdd(va, vb0, s10);
            s11 = Vector512.FusedMultiplyAdd(va, vb1, s11);
            s12 = Vector512.FusedMultiplyAdd(va, vb2, s12);
            s13 = Vector512.FusedMultiplyAdd(va, vb3, s13);
            va = Vector512.Load(a2 + p);
            s20 = Vector512.FusedMultiplyAdd(va, vb0, s20);
            s21 = Vector512.FusedMultiplyAdd(va, vb1, s21);
            s22 = Vector512.FusedMultiplyAdd(va, vb2, s22);
            s23 = Vector512.FusedMultiplyAdd(va, vb3, s23);
            va = Vector512.Load(a3 + p);
            s30 = Vector512.FusedMultiplyAdd(va, vb0, s30);
            s31 = Vector512.FusedMultiplyAdd(va, vb1, s31);
            s32 = Vector512.FusedMultiplyAdd(va, vb2, s32);
            s33 = Vector512.FusedMultiplyAdd(va, vb3, s33);
        }

        Vector512<float> sums = Vector512.Create(alpha) * SumLanes(
            s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33);
        StoreRow(sums.GetLower().GetLower(), c, accumulate);
        StoreRow(sums.GetLower().GetUpper(), c + ldc, accumulate);
        StoreRow(sums.GetUpper().GetLower(), c + (2 * ldc), accumulate);
        StoreRow(sums.GetUpper().GetUpper(), c + (3 * ldc), accumulate);
    }

    /// <summary>
    /// The lane sums of 16 vectors, lane i holding the sum of the i-th argument: one transpose-and-add tree of
    /// 30 shuffles and 15 additions, where a sum per vector would take 16 reductions of 4 rounds each.
    /// </summary>
    /// <remarks>
    /// The tree adds lanes in a fixed order that depends only on the lane, so each sum is the same whichever tile
    /// it falls in. Without AVX-512 (where this path only runs in tests) each vector is summed in the same order
    /// by scalar code, so the tests reach the tile on every machine.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> SumLanes(
        Vector512<float> x0, Vector512<float> x1, Vector512<float> x2, Vector512<float> x3,
        Vector512<float> x4, Vector512<float> x5, Vector512<float> x6, Vector512<float> x7,
        Vector512<float> x8, Vector512<float> x9, Vector512<float> x10, Vector512<float> x11,
        Vector512<float> x12, Vector512<float> x13, Vector512<float> x14, Vector512<float> x15)
    {
        if (Avx512F.IsSupported)
        {
            // Round 1 and 2 leave, in each 128-bit lane q of Quad(Pair(x0, x1), Pair(x2, x3)), the partial sums
            // of x0..x3 over q's four lanes; rounds 3 and 4 add the four 128-bit lanes of each group of four.
            Vector512<float> r0 = Quad(Pair(x0, x1), Pair(x2, x3));
            Vector512<float> r1 = Quad(Pair(x4, x5), Pair(x6, x7));
            Vector512<float> r2 = Quad(Pair(x8, x9), Pair(x10, x11));
            Vector512<float> r3 = Quad(Pair(x12, x13), Pair(x14, x15));
            return Halves(Halves(r0, r1), Halves(r2, r3));
        }

        return Vector512.Create(
            Sum(x0), Sum(x1), Sum(x2), Sum(x3), Sum(x4), Sum(x5), Sum(x6), Sum(x7),
            Sum(x8), Sum(x9), Sum(x10), Sum(x11), Sum(x12), Sum(x13), Sum(x14), Sum(x15));
    }

    // Per 128-bit lane: [x0 + x2, y0 + y2, x1 + x3, y1 + y3] from x's and y's four values.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> Pair(Vector512<float> x, Vector512<float> y) =>
        Avx512F.UnpackLow(x, y) + Avx512F.UnpackHigh(x, y);

    // Per 128-bit lane: [u0 + u2, u1 + u3, v0 + v2, v1 + v3], the pairs of Pair's results added once more.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> Quad(Vector512<float> u, Vector512<float> v) =>
        Avx512F.UnpackLow(u.AsDouble(), v.AsDouble()).AsSingle() + Avx512F.UnpackHigh(u.AsDouble(), v.AsDouble()).AsSingle();

    // 128-bit lanes [u0 + u1, u2 + u3, v0 + v1, v2 + v3].
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> Halves(Vector512<float> u, Vector512<float> v) =>
        Avx512F.Shuffle4x128(u, v, 0b10_00_10_00) + Avx512F.Shuffle4x128(u, v, 0b11_01_11_01);

    // The tree's order for one vector: lanes 4q + {0, 2} and 4q + {1, 3} paired, then those pairs, then the
    // 128-bit lanes 0 + 1 and 2 + 3, then those.
    static float Sum(Vector512<float> x)
    {
        float q0 = ((x[0] + x[2]) + (x[1] + x[3])), q1 = ((x[4] + x[6]) + (x[5] + x[7]));
        float q2 = ((x[8] + x[10]) + (x[9] + x[11])), q3 = ((x[12] + x[14]) + (x[13] + x[15]));
        return (q0 + q1) + (q2 + q3);
    }

    // One row of the tile: c = v, or c = v + c; the overwrite form never reads C, which may hold anything.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StoreRow(Vector128<float> v, float* c, bool accumulate)
    {
        if (accumulate)
        {
            v += Vector128.Load(c);
        }

        v.Store(c);
    }
}
