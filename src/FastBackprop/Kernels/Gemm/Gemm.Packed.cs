using System;
using System.Numerics;

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

        // LOOP 5: panels of NC columns.
        for (int jc = columnStart; jc < columnEnd; jc += blocking.NC)
        {
            int nc = Math.Min(blocking.NC, columnEnd - jc);

            // LOOP 4: blocks of KC along k. After the first block C holds a partial sum, so the rest accumulate.
            for (int pc = 0; pc < problem.K; pc += blocking.KC)
            {
                int kc = Math.Min(blocking.KC, problem.K - pc);
                bool accumulate = problem.Accumulate || pc > 0;
                PackB(problem, pc, kc, jc, nc, nr, packedB);

                // LOOP 3: blocks of MC rows.
                for (int ic = rowStart; ic < rowEnd; ic += blocking.MC)
                {
                    int mc = Math.Min(blocking.MC, rowEnd - ic);
                    PackA(problem, ic, mc, pc, kc, mr, packedA);

                    // LOOP 2: NR-wide slivers of the B panel; LOOP 1: MR-tall slivers of the A block.
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int columns = Math.Min(nr, nc - jr);
                        T* b = packedB + ((nint)jr * kc);
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int rows = Math.Min(mr, mc - ir);
                            T* a = packedA + ((nint)ir * kc);
                            T* c = problem.C + ((ic + ir) * ldc) + jc + jr;
                            if (rows == mr && columns == nr)
                            {
                                Tile<TVec, TSimd, T>(mr, kc, a, b, c, ldc, problem.Alpha, accumulate);
                            }
                            else
                            {
                                // An edge tile: the kernel writes a whole tile into scratch, and only the
                                // rows x columns that exist are copied out, so nothing past C's edge is touched.
                                Tile<TVec, TSimd, T>(mr, kc, a, b, scratch, nr, problem.Alpha, accumulate: false);
                                CopyOut(scratch, nr, rows, columns, c, ldc, accumulate);
                            }
                        }
                    }
                }
            }
        }
    }

    static void Tile<TVec, TSimd, T>(int mr, int kc, T* a, T* b, T* c, nint ldc, T alpha, bool accumulate)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (mr == 8)
        {
            MicroKernel.Tile8x2<TVec, TSimd, T>(kc, a, b, c, ldc, alpha, accumulate);
        }
        else
        {
            MicroKernel.Tile6x2<TVec, TSimd, T>(kc, a, b, c, ldc, alpha, accumulate);
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
    /// Packs A's rows [ic, ic + mc) x columns [pc, pc + kc) into slivers of <paramref name="mr"/> rows, each
    /// k-major (mr values per k, so the kernel reads them in order), rows past mc set to zero.
    /// </summary>
    static void PackA<T>(in GemmProblem<T> problem, int ic, int mc, int pc, int kc, int mr, T* destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        nint rs = problem.RowStrideA, cs = problem.ColumnStrideA;
        T* d = destination;
        for (int s = 0; s < mc; s += mr)
        {
            int rows = Math.Min(mr, mc - s);
            T* origin = problem.A + ((ic + s) * rs) + (pc * cs);
            if (rs == 1)
            {
                // A stored transposed: the mr values of one k are contiguous.
                for (int p = 0; p < kc; p++)
                {
                    T* src = origin + (p * cs);
                    T* dst = d + ((nint)p * mr);
                    new ReadOnlySpan<T>(src, rows).CopyTo(new Span<T>(dst, rows));
                    new Span<T>(dst + rows, mr - rows).Clear();
                }
            }
            else
            {
                // A stored by rows: read each row along k, write it with stride mr.
                for (int r = 0; r < rows; r++)
                {
                    T* src = origin + (r * rs);
                    T* dst = d + r;
                    for (int p = 0; p < kc; p++)
                    {
                        dst[(nint)p * mr] = src[p * cs];
                    }
                }

                for (int r = rows; r < mr; r++)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        d[((nint)p * mr) + r] = T.Zero;
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
    static void PackB<T>(in GemmProblem<T> problem, int pc, int kc, int jc, int nc, int nr, T* destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        nint rs = problem.RowStrideB, cs = problem.ColumnStrideB;
        T* d = destination;
        for (int s = 0; s < nc; s += nr)
        {
            int columns = Math.Min(nr, nc - s);
            T* origin = problem.B + (pc * rs) + ((jc + s) * cs);
            if (cs == 1)
            {
                // B stored by rows: each k contributes nr contiguous values.
                for (int p = 0; p < kc; p++)
                {
                    T* dst = d + ((nint)p * nr);
                    new ReadOnlySpan<T>(origin + (p * rs), columns).CopyTo(new Span<T>(dst, columns));
                    new Span<T>(dst + columns, nr - columns).Clear();
                }
            }
            else
            {
                // B stored transposed: read each column along k, write it with stride nr.
                for (int j = 0; j < columns; j++)
                {
                    T* src = origin + (j * cs);
                    T* dst = d + j;
                    for (int p = 0; p < kc; p++)
                    {
                        dst[(nint)p * nr] = src[p * rs];
                    }
                }

                for (int j = columns; j < nr; j++)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        d[((nint)p * nr) + j] = T.Zero;
                    }
                }
            }

            d += (nint)kc * nr;
        }
    }
}
