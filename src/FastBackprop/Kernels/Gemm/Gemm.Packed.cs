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
                        T* next = NextSliver(bPanel, jr, nr, nc, kc);
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int rows = Math.Min(mr, mc - ir);
                            T* a = packedA + ((nint)ir * kc);
                            T* c = problem.C + ((ic + ir) * ldc) + jc + jr;
                            // B read in place has no next sliver in one piece: the tile asks for lines of its
                            // own A sliver, which it reads anyway.
                            byte* prefetch = direct ? (byte*)a : TilePrefetch(next, ir / mr, kc);
                            if (rows == mr && columns == nr)
                            {
                                // Ask for the next tile's rows of C now: by the time its kernel ends and loads
                                // them, they have come from L3 or memory instead of stalling it there.
                                PrefetchTile(c + (mr * ldc), ldc, mr, nr * sizeof(T));
                                Tile<TVec, TSimd, T>(mr, kc, a, b, bStride, c, ldc, problem.Alpha, accumulate, prefetch);
                            }
                            else
                            {
                                // An edge tile: the kernel writes a whole tile into scratch, and only the
                                // rows x columns that exist are copied out, so nothing past C's edge is touched.
                                Tile<TVec, TSimd, T>(mr, kc, a, b, bStride, scratch, nr, problem.Alpha, accumulate: false, prefetch);
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

    /// <summary>
    /// The packed sliver after the one at column <paramref name="jr"/> of a panel <paramref name="nc"/> columns
    /// wide (slivers of <paramref name="nr"/> columns, kc x nr elements each, the last zero-padded): the first
    /// again after the last, which the next row block reads first.
    /// </summary>
    internal static T* NextSliver<T>(T* panel, int jr, int nr, int nc, int kc)
        where T : unmanaged => panel + ((nint)(jr + nr < nc ? jr + nr : 0) * kc);

    /// <summary>
    /// Where the micro-kernel call for the <paramref name="tile"/>-th MR-tall tile on a packed B sliver starts
    /// prefetching: the tile-th run of <see cref="MicroKernel.PrefetchLines"/> lines of the next sliver,
    /// <paramref name="nextSliver"/>. A sliver of the AVX-512 tile holds 128 bytes a k-step (2 vectors of floats
    /// or doubles), 16 x kc / 8 lines, so a full row block (MC / MR = 16 tiles of kc / 8 lines) asks for all of
    /// the next sliver, each line once; a shorter one (fewer rows, or rows shared out among the team) for its
    /// first part.
    /// The panel (4 MiB at 1024 x 1024) lies in L3, which this machine shares with other guests, and the first
    /// tile to read a sliver otherwise waits for it there. In a scratch loop of the kernel in a 1024 x 1024
    /// product's order (Zen 5, 2026-12-06) the prefetch took 184-202 GFLOP/s to 192-208 in three processes and
    /// 139-144 to 163-168 in two where L3 was slow, and changed nothing (within 1%) in four where the machine was
    /// fast; a burst of prefetches before each call, or a line every 4 or 16 k-steps, did no better. Tried too and
    /// not kept: packing each sliver just before the first row block uses it while the tiles before prefetch its
    /// rows of B (no gain at 1024^3, the rows 4 KiB apart), and prefetching the next row block of A (1-2% slower:
    /// it crowds the packed block out of L2).
    /// </summary>
    internal static byte* TilePrefetch<T>(T* nextSliver, int tile, int kc)
        where T : unmanaged => (byte*)nextSliver + ((nint)tile * MicroKernel.PrefetchLines(kc) * 64);

    static void Tile<TVec, TSimd, T>(int mr, int kc, T* a, T* b, nint ldb, T* c, nint ldc, T alpha, bool accumulate, byte* prefetch)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // Only the AVX-512 tile prefetches (the smaller tile ignores the address): its B sliver is read from L2
        // or L3 at KC = 1024, where the smaller tile's (KC = 256) fits in L1 and has not been measured with it.
        if (mr == 8)
        {
            MicroKernel.Tile8x2<TVec, TSimd, T>(kc, a, b, ldb, c, ldc, alpha, accumulate, prefetch);
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
            if (typeof(T) == typeof(float) && mr == 8 && Isa.Use512 && Avx512F.IsSupported)
            {
                // The same order, two rows at a time, a whole line to each store.
                PackTransposedA8((float*)(problem.A + ic + (pc * cs)), cs, kc, first / 8, (float*)destination);
            }
            else
            {
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
    /// Packs the <paramref name="slivers"/> full slivers of a transposed A (TN; float, MR = 8, AVX-512) from
    /// <paramref name="a"/>, the block's first stored row, rows <paramref name="cs"/> apart: row p holds k = p's
    /// 8 values of every sliver, two slivers to a vector. Two rows at a time, so that each store fills a whole
    /// line of one sliver (the lower halves of rows p and p + 1 make sliver 2j's line, the upper halves sliver
    /// 2j + 1's), and a few rows at a time across the slivers, as the general copy does. A 128 x 1024 block from a
    /// store 1024 wide took 33-35 µs instead of 53-55 with the source in memory and 19 instead of 27-28 with it in
    /// cache; a (1024, 1024, 1024) TN product +1.4%, (128, 128, 784) TN +1.7%, (64, 128, 784) TN the same (scratch
    /// probes, call by call in turn, Zen 5, 2026-12-06). Stores of half vectors, each row on its own, were slower
    /// than the general copy: 16 slivers 32 KiB apart each took a half line per row.
    /// </summary>
    static void PackTransposedA8(float* a, nint cs, int kc, int slivers, float* destination)
    {
        nint pitch = (nint)kc * 8;
        int even = kc & ~1;
        for (int p0 = 0; p0 < even; p0 += GemmBlocking.PackTransposedARows)
        {
            int p1 = Math.Min(even, p0 + GemmBlocking.PackTransposedARows);
            int s = 0;
            for (; s + 2 <= slivers; s += 2)
            {
                float* src = a + (s * 8) + (p0 * cs);
                float* d = destination + (s * pitch) + ((nint)p0 * 8);
                for (int p = p0; p < p1; p += 2, src += 2 * cs, d += 16)
                {
                    Vector512<float> v0 = Vector512.Load(src);
                    Vector512<float> v1 = Vector512.Load(src + cs);
                    Avx512F.Shuffle4x128(v0, v1, 0x44).Store(d);
                    Avx512F.Shuffle4x128(v0, v1, 0xEE).Store(d + pitch);
                }
            }

            if (s < slivers)
            {
                float* src = a + (s * 8) + (p0 * cs);
                float* d = destination + (s * pitch) + ((nint)p0 * 8);
                for (int p = p0; p < p1; p++, src += cs, d += 8)
                {
                    Vector256.Load(src).Store(d);
                }
            }
        }

        if (even < kc)
        {
            float* r0 = a + (even * cs);
            float* d = destination + ((nint)even * 8);
            for (int s = 0; s < slivers; s++, d += pitch)
            {
                Vector256.Load(r0 + (s * 8)).Store(d);
            }
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
                // B stored transposed: eight (or, for float on AVX-512, sixteen) stored rows (columns of B) at a
                // time, walked side by side, so each k writes contiguous values while every stored row is read in order.
                if (typeof(T) == typeof(float) && Isa.Use512 && Avx512F.IsSupported && nr % 16 == 0)
                {
                    for (int j = 0; j < nr; j += 16)
                    {
                        InterleaveStrided16((float*)(origin + (j * cs)), cs, kc, (float*)(d + j), nr);
                    }
                }
                else
                {
                    for (int j = 0; j < nr; j += 8)
                    {
                        InterleaveStrided8(origin + (j * cs), cs, kc, d + j, nr);
                    }
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
        if (typeof(T) == typeof(float) && Isa.Use512 && Avx512F.IsSupported && pitch == 8)
        {
            // A packed sliver of the AVX-512 tile: sixteen k at a time, one 8 x 16 transpose in AVX-512 registers.
            for (; p <= kc - 16; p += 16)
            {
                Transpose8x16((float*)(r0 + p), (float*)(r1 + p), (float*)(r2 + p), (float*)(r3 + p), (float*)(r4 + p), (float*)(r5 + p), (float*)(r6 + p), (float*)(r7 + p), (float*)(dst + (p * 8)));
            }
        }

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

    // Eight rows of 16 consecutive k into 16 contiguous groups of eight (k-major, as a packed A sliver of the AVX-512
    // tile): 32 shuffles, 8 loads and 8 whole 64-byte stores per 128 values, where two 8 x 8 AVX transposes take 48
    // shuffles and 16 stores. Unpacking pairs of rows and shuffling pairs of pairs leaves, in 128-bit lane l of a_c
    // (rows 0-3) and b_c (rows 4-7), one k = 4l + c of four rows; two rounds of 128-bit lane exchanges then put
    // k = 2j and 2j + 1, rows 0-7 each, in output j.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Transpose8x16(float* s0, float* s1, float* s2, float* s3, float* s4, float* s5, float* s6, float* s7, float* dst)
    {
        Vector512<float> r0 = Avx512F.LoadVector512(s0), r1 = Avx512F.LoadVector512(s1), r2 = Avx512F.LoadVector512(s2), r3 = Avx512F.LoadVector512(s3);
        Vector512<float> r4 = Avx512F.LoadVector512(s4), r5 = Avx512F.LoadVector512(s5), r6 = Avx512F.LoadVector512(s6), r7 = Avx512F.LoadVector512(s7);
        Transpose4x4InLanes(ref r0, ref r1, ref r2, ref r3);
        Transpose4x4InLanes(ref r4, ref r5, ref r6, ref r7);

        // a_c is r_c and b_c is r_(4 + c); w_c_h: lanes 2h and 2h + 1 of a_c, then the same lanes of b_c.
        Vector512<float> w00 = Avx512F.Shuffle4x128(r0, r4, 0x44), w01 = Avx512F.Shuffle4x128(r0, r4, 0xEE);
        Vector512<float> w10 = Avx512F.Shuffle4x128(r1, r5, 0x44), w11 = Avx512F.Shuffle4x128(r1, r5, 0xEE);
        Vector512<float> w20 = Avx512F.Shuffle4x128(r2, r6, 0x44), w21 = Avx512F.Shuffle4x128(r2, r6, 0xEE);
        Vector512<float> w30 = Avx512F.Shuffle4x128(r3, r7, 0x44), w31 = Avx512F.Shuffle4x128(r3, r7, 0xEE);

        Avx512F.Store(dst, Avx512F.Shuffle4x128(w00, w10, 0x88));
        Avx512F.Store(dst + 16, Avx512F.Shuffle4x128(w20, w30, 0x88));
        Avx512F.Store(dst + 32, Avx512F.Shuffle4x128(w00, w10, 0xDD));
        Avx512F.Store(dst + 48, Avx512F.Shuffle4x128(w20, w30, 0xDD));
        Avx512F.Store(dst + 64, Avx512F.Shuffle4x128(w01, w11, 0x88));
        Avx512F.Store(dst + 80, Avx512F.Shuffle4x128(w21, w31, 0x88));
        Avx512F.Store(dst + 96, Avx512F.Shuffle4x128(w01, w11, 0xDD));
        Avx512F.Store(dst + 112, Avx512F.Shuffle4x128(w21, w31, 0xDD));
    }

    // dst[p·pitch + r] = row r[p] for sixteen float rows `stride` apart, sixteen k at a time with one 16 x 16
    // transpose in AVX-512 registers: a quarter of a shuffle per element where the 8 x 8 AVX transpose takes three
    // eighths, and whole 64-byte stores. On Zen 5, packing B and the loop nest around it went from 15% to 11% of a
    // (64, 128, 784) NT product's samples (perf), and the product from 159-173 to 164-180 GFLOP/s (scratch probe,
    // best of 15, three interleaved runs, 2026-12-06). The rest of k goes through the 8-row interleave, twice.
    static void InterleaveStrided16(float* origin, nint stride, int kc, float* dst, nint pitch)
    {
        int p = 0;
        for (; p <= kc - 16; p += 16)
        {
            Transpose16x16(origin + p, stride, dst + (p * pitch), pitch);
        }

        if (p < kc)
        {
            InterleaveStrided8(origin + p, stride, kc - p, dst + (p * pitch), pitch);
            InterleaveStrided8(origin + p + (8 * stride), stride, kc - p, dst + (p * pitch) + 8, pitch);
        }
    }

    // Four rows into 4 x 4 blocks, one per 128-bit lane: afterwards lane l of r_c holds element k = 4l + c of rows
    // 0-3. An unpack of each pair of rows, then a shuffle of each pair of pairs; both AVX-512 transposes start so.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Transpose4x4InLanes(ref Vector512<float> r0, ref Vector512<float> r1, ref Vector512<float> r2, ref Vector512<float> r3)
    {
        Vector512<float> t0 = Avx512F.UnpackLow(r0, r1), t1 = Avx512F.UnpackHigh(r0, r1);
        Vector512<float> t2 = Avx512F.UnpackLow(r2, r3), t3 = Avx512F.UnpackHigh(r2, r3);
        r0 = Avx512F.Shuffle(t0, t2, 0x44);
        r1 = Avx512F.Shuffle(t0, t2, 0xEE);
        r2 = Avx512F.Shuffle(t1, t3, 0x44);
        r3 = Avx512F.Shuffle(t1, t3, 0xEE);
    }

    // The 16 x 16 float transpose in four rounds of sixteen shuffles: unpack pairs of rows (2 x 2 blocks), shuffle
    // pairs of pairs (4 x 4 blocks within each 128-bit lane), then exchange 128-bit lanes twice (8 x 8, 16 x 16).
    // Row i of the input (16 consecutive k of one stored row) becomes element i of each of the 16 outputs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Transpose16x16(float* s, nint stride, float* dst, nint pitch)
    {
        Vector512<float> r0 = Avx512F.LoadVector512(s), r1 = Avx512F.LoadVector512(s + stride);
        Vector512<float> r2 = Avx512F.LoadVector512(s + (2 * stride)), r3 = Avx512F.LoadVector512(s + (3 * stride));
        Vector512<float> r4 = Avx512F.LoadVector512(s + (4 * stride)), r5 = Avx512F.LoadVector512(s + (5 * stride));
        Vector512<float> r6 = Avx512F.LoadVector512(s + (6 * stride)), r7 = Avx512F.LoadVector512(s + (7 * stride));
        Vector512<float> r8 = Avx512F.LoadVector512(s + (8 * stride)), r9 = Avx512F.LoadVector512(s + (9 * stride));
        Vector512<float> ra = Avx512F.LoadVector512(s + (10 * stride)), rb = Avx512F.LoadVector512(s + (11 * stride));
        Vector512<float> rc = Avx512F.LoadVector512(s + (12 * stride)), rd = Avx512F.LoadVector512(s + (13 * stride));
        Vector512<float> re = Avx512F.LoadVector512(s + (14 * stride)), rf = Avx512F.LoadVector512(s + (15 * stride));

        Transpose4x4InLanes(ref r0, ref r1, ref r2, ref r3);
        Transpose4x4InLanes(ref r4, ref r5, ref r6, ref r7);
        Transpose4x4InLanes(ref r8, ref r9, ref ra, ref rb);
        Transpose4x4InLanes(ref rc, ref rd, ref re, ref rf);

        Vector512<float> t0 = Avx512F.Shuffle4x128(r0, r4, 0x88), t1 = Avx512F.Shuffle4x128(r1, r5, 0x88);
        Vector512<float> t2 = Avx512F.Shuffle4x128(r2, r6, 0x88), t3 = Avx512F.Shuffle4x128(r3, r7, 0x88);
        Vector512<float> t4 = Avx512F.Shuffle4x128(r0, r4, 0xDD), t5 = Avx512F.Shuffle4x128(r1, r5, 0xDD);
        Vector512<float> t6 = Avx512F.Shuffle4x128(r2, r6, 0xDD), t7 = Avx512F.Shuffle4x128(r3, r7, 0xDD);
        Vector512<float> t8 = Avx512F.Shuffle4x128(r8, rc, 0x88), t9 = Avx512F.Shuffle4x128(r9, rd, 0x88);
        Vector512<float> ta = Avx512F.Shuffle4x128(ra, re, 0x88), tb = Avx512F.Shuffle4x128(rb, rf, 0x88);
        Vector512<float> tc = Avx512F.Shuffle4x128(r8, rc, 0xDD), td = Avx512F.Shuffle4x128(r9, rd, 0xDD);
        Vector512<float> te = Avx512F.Shuffle4x128(ra, re, 0xDD), tf = Avx512F.Shuffle4x128(rb, rf, 0xDD);

        Avx512F.Store(dst, Avx512F.Shuffle4x128(t0, t8, 0x88));
        Avx512F.Store(dst + pitch, Avx512F.Shuffle4x128(t1, t9, 0x88));
        Avx512F.Store(dst + (2 * pitch), Avx512F.Shuffle4x128(t2, ta, 0x88));
        Avx512F.Store(dst + (3 * pitch), Avx512F.Shuffle4x128(t3, tb, 0x88));
        Avx512F.Store(dst + (4 * pitch), Avx512F.Shuffle4x128(t4, tc, 0x88));
        Avx512F.Store(dst + (5 * pitch), Avx512F.Shuffle4x128(t5, td, 0x88));
        Avx512F.Store(dst + (6 * pitch), Avx512F.Shuffle4x128(t6, te, 0x88));
        Avx512F.Store(dst + (7 * pitch), Avx512F.Shuffle4x128(t7, tf, 0x88));
        Avx512F.Store(dst + (8 * pitch), Avx512F.Shuffle4x128(t0, t8, 0xDD));
        Avx512F.Store(dst + (9 * pitch), Avx512F.Shuffle4x128(t1, t9, 0xDD));
        Avx512F.Store(dst + (10 * pitch), Avx512F.Shuffle4x128(t2, ta, 0xDD));
        Avx512F.Store(dst + (11 * pitch), Avx512F.Shuffle4x128(t3, tb, 0xDD));
        Avx512F.Store(dst + (12 * pitch), Avx512F.Shuffle4x128(t4, tc, 0xDD));
        Avx512F.Store(dst + (13 * pitch), Avx512F.Shuffle4x128(t5, td, 0xDD));
        Avx512F.Store(dst + (14 * pitch), Avx512F.Shuffle4x128(t6, te, 0xDD));
        Avx512F.Store(dst + (15 * pitch), Avx512F.Shuffle4x128(t7, tf, 0xDD));
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
