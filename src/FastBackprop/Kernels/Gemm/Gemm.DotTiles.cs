using System.Numerics;
using System.Runtime.CompilerServices;

namespace FastBackprop.Kernels.Gemm;

internal static unsafe partial class Gemm
{
    /// <summary>
    /// Whether a product runs as tiles of dot products (<see cref="DotKernel"/>) instead of packed: float on
    /// 512-bit vectors, A and the stored B both running along k (the NT form: the input gradient dY·Wᵀ), whole
    /// tiles and k steps, rows on 64-byte boundaries (a split load costs two: 130 GFLOP/s instead of 200 at
    /// (64, 128, 784)), and a B small enough to stay in L2 while the rows of A pass over it
    /// (<see cref="GemmBlocking.DotTilesMaxBBytes"/>). The answer depends on the product alone, never on the
    /// range a worker computes, so results are the same at any thread count.
    /// </summary>
    internal static bool UsesDotTiles<T>(IsaLevel level, in GemmProblem<T> problem)
        where T : unmanaged =>
        level == IsaLevel.V512 && typeof(T) == typeof(float)
        && problem.ColumnStrideA == 1 && problem.RowStrideB == 1
        && problem.M % DotKernel.Rows == 0 && problem.N % DotKernel.Rows == 0 && problem.K % DotKernel.KStep == 0
        && OnLine(problem.A) && OnLine(problem.B)
        && (problem.RowStrideA * sizeof(T)) % AlignedLine == 0 && (problem.ColumnStrideB * sizeof(T)) % AlignedLine == 0
        && (long)problem.N * problem.K * sizeof(T) <= GemmBlocking.DotTilesMaxBBytes;

    const int AlignedLine = Internal.AlignedArray.Alignment;

    static bool OnLine<T>(T* p)
        where T : unmanaged => (nint)p % AlignedLine == 0;

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
