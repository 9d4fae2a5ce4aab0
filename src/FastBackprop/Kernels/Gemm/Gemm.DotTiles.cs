using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace FastBackprop.Kernels.Gemm;

internal static unsafe partial class Gemm
{
    /// <summary>
    /// Whether a product runs as tiles of dot products (<see cref="DotKernel"/>) instead of packed: float on
    /// 512-bit vectors, A and the stored B both running along k (the NT form: the input gradient dY·Wᵀ), whole
    /// tiles and k steps, rows a whole number of 64-byte lines apart, a B small enough to stay in L2 while the rows
    /// of A pass over it (<see cref="GemmBlocking.DotTilesMaxBBytes"/>), and A and B small enough to be copied
    /// into one worker's packed-B buffer. The answer depends on the shape and strides alone, never on where the
    /// operands lie or on the range a worker computes: the two paths round differently, so a choice made by
    /// address would let a garbage collection that moves an array change a network's results.
    /// </summary>
    internal static bool UsesDotTiles<T>(IsaLevel level, in GemmProblem<T> problem)
        where T : unmanaged =>
        level == IsaLevel.V512 && typeof(T) == typeof(float)
        && problem.ColumnStrideA == 1 && problem.RowStrideB == 1
        && problem.M % DotKernel.Rows == 0 && problem.N % DotKernel.Rows == 0 && problem.K % DotKernel.KStep == 0
        && (problem.RowStrideA * sizeof(T)) % AlignedLine == 0 && (problem.ColumnStrideB * sizeof(T)) % AlignedLine == 0
        && (long)problem.N * problem.K * sizeof(T) <= GemmBlocking.DotTilesMaxBBytes
        && (long)(problem.M + problem.N) * problem.K <= PackedBCapacity<T>();

    const int AlignedLine = Internal.AlignedArray.Alignment;

    // Elements of a worker's packed-B buffer, where WithRowsOnLines copies operands (the largest over the levels).
    static int PackedBCapacity<T>()
        where T : unmanaged => typeof(T) == typeof(float) ? GemmWorkspace<float>.PackedBLength : 0;

    /// <summary>
    /// The product with A and B each on a 64-byte line: an operand that starts off one is copied, row by row, into
    /// <paramref name="scratch"/> (a worker's packed-B buffer, on a line, unused by the tiles). Every load then
    /// reads one line instead of two (off their lines, (64, 128, 784) ran at 130 GFLOP/s instead of 200), and the
    /// values and the lanes they fall in are the same, so the results are too.
    /// </summary>
    static GemmProblem<T> WithRowsOnLines<T>(in GemmProblem<T> problem, T* scratch)
        where T : unmanaged
    {
        GemmProblem<T> p = problem;
        if ((nint)p.B % AlignedLine != 0)
        {
            CopyRows(p.B, p.ColumnStrideB, p.N, p.K, scratch);
            p.B = scratch;
            p.ColumnStrideB = p.K;
            scratch += (nint)p.N * p.K;
        }

        if ((nint)p.A % AlignedLine != 0)
        {
            CopyRows(p.A, p.RowStrideA, p.M, p.K, scratch);
            p.A = scratch;
            p.RowStrideA = p.K;
        }

        return p;
    }

    static void CopyRows<T>(T* source, nint stride, int rows, int columns, T* destination)
        where T : unmanaged
    {
        for (int r = 0; r < rows; r++)
        {
            new ReadOnlySpan<T>(source + (r * stride), columns).CopyTo(new Span<T>(destination + ((nint)r * columns), columns));
        }
    }

    /// <summary>
    /// C's rows [rowStart, rowEnd) x columns [columnStart, columnEnd) of a product that <see cref="UsesDotTiles"/>,
    /// as 4 x 4 tiles of dot products. A tile's 4 rows of A (12 KiB at k = 784) stay in L1 while the tiles across
    /// the row stream the rows of B from L2. Ranges are multiples of the tile (the team shares out multiples of
    /// MR and NR), so every element is computed alike however the work is split.
    /// </summary>
    internal static void DotTiles<T>(in GemmProblem<T> problem, int rowStart, int rowEnd, int columnStart, int columnEnd)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref readonly GemmProblem<float> p = ref Unsafe.As<GemmProblem<T>, GemmProblem<float>>(ref Unsafe.AsRef(in problem));
        nint lda = p.RowStrideA, ldb = p.ColumnStrideB, ldc = p.Ldc;
        for (int i = rowStart; i < rowEnd; i += DotKernel.Rows)
        {
            for (int j = columnStart; j < columnEnd; j += DotKernel.Rows)
            {
                DotKernel.Tile4x4(p.K, p.A + (i * lda), lda, p.B + (j * ldb), ldb, p.C + (i * ldc) + j, ldc, p.Alpha, p.Accumulate);
            }
        }
    }
}
