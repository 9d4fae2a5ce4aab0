using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastBackprop.Kernels.Gemm;

internal static unsafe partial class Gemm
{
    /// <summary>
    /// The packed GEMM on the rows [rowStart, rowEnd) and columns [columnStart, columnEnd) of C, with one
    /// worker's buffers. Tile boundaries are multiples of MR and NR counted from row and column 0 whatever the
    /// range, and k is always split at multiples of KC, so every element of C is computed by the same
    /// operations in the same order however the work is shared out: results are bit-identical at any thread count.
    /// </summary>
    internal static void Packed<TVec, TSimd, T>(
        in GemmProblem<T> problem, GemmBlocking blocking,
        int rowStart, int rowEnd, int columnStart, int columnEnd,
        T* packedA, T* packedB, T* scratch)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int mr = blocking.MR, nr = blocking.NR;
        nint ldc = problem.Ldc;

        // k is cut into equal blocks of at most KC (with KC = 256, 784 = 4 x 196, not 3 x 256 + 16): a short last
        // block would load and store its C tiles for only a few k-steps. Rows are cut into equal blocks of whole
        // tiles too. Both cuts depend only on K and on the row range, so they are the same for every worker.
        int kBlock = BalancedBlock(problem.K, blocking.KC, 1);
        int rowBlock = BalancedBlock(rowEnd - rowStart, blocking.MC, mr);

        // LOOP 5: panels of NC columns.
        for (int jc = columnStart; jc < columnEnd; jc += blocking.NC)
        {
            int nc = Math.Min(blocking.NC, columnEnd - jc);

            // LOOP 4: blocks of k. After the first block C holds a partial sum, so the rest accumulate.
            for (int pc = 0; pc < problem.K; pc += kBlock)
            {
                int kc = Math.Min(kBlock, problem.K - pc);
                bool accumulate = problem.Accumulate || pc > 0;
                // A product of at most MC rows (one row block, as W3's forward product at batch 64) reads each B
                // sliver in only MC/MR tiles, too few to pay for a pass that copies B: when B is stored by rows
                // and the panel holds whole slivers only, the kernel reads B in place, its rows ldb apart.
                // (64, 128, 784) NN went from 100-102 to 110-111 GFLOP/s and TN from 91-94 to 95-103,
                // W3 from 278-294 to 271-275 µs (scratch probe, interleaved, Zen 4, 2026-12-04); at 1024 rows
                // packing wins (108 against 99), hence the bound. The values and their order are the same
                // either way, so results do not depend on it.
                bool direct = problem.ColumnStrideB == 1 && nc % nr == 0 && problem.M <= blocking.MC;
                T* bPanel = direct ? problem.B + (pc * problem.RowStrideB) + jc : packedB;
                nint bStride = direct ? problem.RowStrideB : nr;
                if (!direct)
                {
                    PackB<TVec, TSimd, T>(problem, pc, kc, jc, nc, nr, packedB);
                }

                // LOOP 3: blocks of rows.
                for (int ic = rowStart; ic < rowEnd; ic += rowBlock)
                {
                    int mc = Math.Min(rowBlock, rowEnd - ic);
                    PackA(problem, ic, mc, pc, kc, mr, packedA);

                    // LOOP 2: NR-wide slivers of the B panel; LOOP 1: MR-tall slivers of the A block.
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int columns = Math.Min(nr, nc - jr);
                        T* b = bPanel + (direct ? jr : (nint)jr * kc);
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int rows = Math.Min(mr, mc - ir);
                            T* a = packedA + ((nint)ir * kc);
                            T* c = problem.C + ((ic + ir) * ldc) + jc + jr;
                            if (rows == mr && columns == nr)
                            {
                                // Ask for the next tile's rows of C now: by the time its kernel ends and loads
                                // them, they have come from L3 or memory instead of stalling it there.
                                PrefetchTile(c + (mr * ldc), ldc, mr, nr * sizeof(T));
                                Tile<TVec, TSimd, T>(mr, kc, a, b, bStride, c, ldc, problem.Alpha, accumulate);
                            }
                            else
                            {
                                // An edge tile: the kernel writes a whole tile into scratch, and only the
                                // rows x columns that exist are copied out, so nothing past C's edge is touched.
                                Tile<TVec, TSimd, T>(mr, kc, a, b, bStride, scratch, nr, problem.Alpha, accumulate: false);
                                CopyOut(scratch, nr, rows, columns, c, ldc, accumulate);
                            }
                        }
                    }
                }
            }
        }
    }

    // Prefetches never fault, so a tile past the edge of C is harmless to ask for.
    static void PrefetchTile<T>(T* c, nint ldc, int rows, int bytes)
        where T : unmanaged
    {
        if (Sse.IsSupported)
        {
            for (int r = 0; r < rows; r++)
            {
                byte* row = (byte*)(c + (r * ldc));
                for (int offset = 0; offset < bytes; offset += 64)
                {
                    Sse.Prefetch0(row + offset);
                }
            }
        }
    }

    static void Tile<TVec, TSimd, T>(int mr, int kc, T* a, T* b, nint ldb, T* c, nint ldc, T alpha, bool accumulate)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (mr == 8)
        {
            MicroKernel.Tile8x2<TVec, TSimd, T>(kc, a, b, ldb, c, ldc, alpha, accumulate);
        }
        else
        {
            MicroKernel.Tile6x2<TVec, TSimd, T>(kc, a, b, ldb, c, ldc, alpha, accumulate);
        }
    }

    static void CopyOut<T>(T* scratch, nint ldScratch, int rows, int columns, T* c, nint ldc, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
        {
            T* s = scratch + (i * ldScratch);
            T* d = c + (i * ldc);
            for (int j = 0; j < columns; j++)
            {
                d[j] = accumulate ? d[j] + s[j] : s[j];
            }
        }
    }

    /// <summary>
    /// The size of equal blocks, each at most <paramref name="limit"/> and a multiple of <paramref name="unit"/>,
    /// that cover <paramref name="length"/>.
    /// </summary>
    static int BalancedBlock(int length, int limit, int unit)
    {
        int blocks = Math.Max(1, (length + limit - 1) / limit);
        int size = (length + blocks - 1) / blocks;
        return Math.Min(limit, (size + unit - 1) / unit * unit);
    }

    /// <summary>
    /// Packs A's rows [ic, ic + mc) x columns [pc, pc + kc) into slivers of <paramref name="mr"/> rows, each
    /// k-major (mr values per k, so the kernel reads them in order), rows past mc set to zero.
    /// </summary>
    static void PackA<T>(in GemmProblem<T> problem, int ic, int mc, int pc, int kc, int mr, T* destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        nint rs = problem.RowStrideA, cs = problem.ColumnStrideA;
        int first = 0;
        if (rs == 1)
        {
            // A stored transposed (TN): the mr values of one k are contiguous, so each is a copy of constant size,
            // which the JIT turns into a vector move or two. Done a few k at a time across all the block's full
            // slivers, rather than one sliver down all kc: then each stored row of A is read a whole block-width
            // at a time, instead of mr values from each of kc rows a row's stride (often 4 KiB) apart, each
            // cache line fetched once per sliver that shares it.
            first = mc / mr * mr;
            for (int p0 = 0; p0 < kc; p0 += GemmBlocking.PackTransposedARows)
            {
                int p1 = Math.Min(kc, p0 + GemmBlocking.PackTransposedARows);
                for (int s = 0; s < first; s += mr)
                {
                    T* src = problem.A + ic + s + ((pc + p0) * cs);
                    T* dst = destination + ((nint)s * kc) + ((nint)p0 * mr);
                    if (mr == 8)
                    {
                        for (int p = p0; p < p1; p++, src += cs, dst += 8)
                        {
                            Unsafe.CopyBlockUnaligned(dst, src, (uint)(8 * sizeof(T)));
                        }
                    }
                    else
                    {
                        for (int p = p0; p < p1; p++, src += cs, dst += 6)
                        {
                            Unsafe.CopyBlockUnaligned(dst, src, (uint)(6 * sizeof(T)));
                        }
                    }
                }
            }
        }

        T* d = destination + ((nint)first * kc);
        for (int s = first; s < mc; s += mr)
        {
            int rows = Math.Min(mr, mc - s);
            T* origin = problem.A + ((ic + s) * rs) + (pc * cs);
            if (rows == mr && cs == 1 && mr == 8)
            {
                // A stored by rows, a full sliver of the AVX-512 tile: eight rows walked side by side, so each
                // k writes its eight values contiguously while every row is read in order.
                InterleaveStrided8(origin, rs, kc, d, 8);
            }
            else if (rows == mr && cs == 1 && mr == 6)
            {
                Interleave6(origin, rs, kc, d);
            }
            else
            {
                // An edge sliver, or other strides: element by element, rows past mc zero.
                for (int p = 0; p < kc; p++)
                {
                    T* src = origin + (p * cs);
                    T* dst = d + ((nint)p * mr);
                    for (int r = 0; r < rows; r++)
                    {
                        dst[r] = src[r * rs];
                    }

                    for (int r = rows; r < mr; r++)
                    {
                        dst[r] = T.Zero;
                    }
                }
            }

            d += (nint)kc * mr;
        }
    }

    /// <summary>
    /// Packs B's rows [pc, pc + kc) x columns [jc, jc + nc) into slivers of <paramref name="nr"/> columns, each
    /// k-major (nr values per k), columns past nc set to zero.
    /// </summary>
    static void PackB<TVec, TSimd, T>(in GemmProblem<T> problem, int pc, int kc, int jc, int nc, int nr, T* destination)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        nint rs = problem.RowStrideB, cs = problem.ColumnStrideB, w = TSimd.Count;
        T* d = destination;
        for (int s = 0; s < nc; s += nr)
        {
            int columns = Math.Min(nr, nc - s);
            T* origin = problem.B + (pc * rs) + ((jc + s) * cs);
            if (cs == 1 && columns == nr)
            {
                // B stored by rows, a full sliver: each k's nr = 2 vectors are one vector copy each.
                for (int p = 0; p < kc; p++)
                {
                    T* src = origin + (p * rs);
                    T* dst = d + ((nint)p * nr);
                    TSimd.Store(TSimd.Load(ref src[0]), ref dst[0]);
                    TSimd.Store(TSimd.Load(ref src[w]), ref dst[w]);
                }
            }
            else if (cs != 1 && rs == 1 && columns == nr && nr % 8 == 0)
            {
                // B stored transposed: eight stored rows (columns of B) at a time, walked side by side, so each k
                // writes eight contiguous values while every stored row is read in order.
                for (int j = 0; j < nr; j += 8)
                {
                    InterleaveStrided8(origin + (j * cs), cs, kc, d + j, nr);
                }
            }
            else
            {
                // Edge slivers and other strides: element by element, columns past nc zero.
                for (int p = 0; p < kc; p++)
                {
                    T* src = origin + (p * rs);
                    T* dst = d + ((nint)p * nr);
                    for (int j = 0; j < columns; j++)
                    {
                        dst[j] = src[j * cs];
                    }

                    for (int j = columns; j < nr; j++)
                    {
                        dst[j] = T.Zero;
                    }
                }
            }

            d += (nint)kc * nr;
        }
    }

    // dst[p·6 + r] = row r[p] for six rows `stride` apart.
    static void Interleave6<T>(T* origin, nint stride, int kc, T* dst)
        where T : unmanaged
    {
        T* r0 = origin, r1 = origin + stride, r2 = origin + (2 * stride);
        T* r3 = origin + (3 * stride), r4 = origin + (4 * stride), r5 = origin + (5 * stride);
        for (int p = 0; p < kc; p++)
        {
            dst[0] = r0[p];
            dst[1] = r1[p];
            dst[2] = r2[p];
            dst[3] = r3[p];
            dst[4] = r4[p];
            dst[5] = r5[p];
            dst += 6;
        }
    }

    // dst[p·pitch + r] = row r[p] for eight rows `stride` apart: a tall, thin transpose into a k-major sliver.
    static void InterleaveStrided8<T>(T* origin, nint stride, int kc, T* dst, nint pitch)
        where T : unmanaged
    {
        T* r0 = origin, r1 = origin + stride, r2 = origin + (2 * stride), r3 = origin + (3 * stride);
        T* r4 = origin + (4 * stride), r5 = origin + (5 * stride), r6 = origin + (6 * stride), r7 = origin + (7 * stride);
        int p = 0;
        if (typeof(T) == typeof(float) && Isa.Use256 && Avx.IsSupported)
        {
            // Eight k at a time: eight 8-float loads, one 8 x 8 transpose in registers, eight 8-float stores.
            for (; p <= kc - 8; p += 8)
            {
                Transpose8x8((float*)(r0 + p), (float*)(r1 + p), (float*)(r2 + p), (float*)(r3 + p), (float*)(r4 + p), (float*)(r5 + p), (float*)(r6 + p), (float*)(r7 + p), (float*)(dst + (p * pitch)), pitch);
            }
        }

        for (; p < kc; p++)
        {
            T* d = dst + (p * pitch);
            d[0] = r0[p];
            d[1] = r1[p];
            d[2] = r2[p];
            d[3] = r3[p];
            d[4] = r4[p];
            d[5] = r5[p];
            d[6] = r6[p];
            d[7] = r7[p];
        }
    }

    // The classic AVX 8 x 8 float transpose: unpack pairs of rows, shuffle pairs of pairs, swap 128-bit halves.
    // Row i of the input (8 consecutive k of one row of A) becomes element i of each of the 8 outputs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Transpose8x8(float* s0, float* s1, float* s2, float* s3, float* s4, float* s5, float* s6, float* s7, float* dst, nint pitch)
    {
        Vector256<float> a0 = Avx.LoadVector256(s0), a1 = Avx.LoadVector256(s1), a2 = Avx.LoadVector256(s2), a3 = Avx.LoadVector256(s3);
        Vector256<float> a4 = Avx.LoadVector256(s4), a5 = Avx.LoadVector256(s5), a6 = Avx.LoadVector256(s6), a7 = Avx.LoadVector256(s7);
        Vector256<float> t0 = Avx.UnpackLow(a0, a1), t1 = Avx.UnpackHigh(a0, a1), t2 = Avx.UnpackLow(a2, a3), t3 = Avx.UnpackHigh(a2, a3);
        Vector256<float> t4 = Avx.UnpackLow(a4, a5), t5 = Avx.UnpackHigh(a4, a5), t6 = Avx.UnpackLow(a6, a7), t7 = Avx.UnpackHigh(a6, a7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + pitch, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + (2 * pitch), Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + (3 * pitch), Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + (4 * pitch), Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + (5 * pitch), Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + (6 * pitch), Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + (7 * pitch), Avx.Permute2x128(u3, u7, 0x31));
    }
}
