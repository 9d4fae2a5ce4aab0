using System;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using FastBackprop.Kernels.Threading;

namespace FastBackprop.Kernels.Gemm;

/// <summary>
/// The kernel seam for the three products of a dense layer, all row-major with explicit leading dimensions:
/// <list type="bullet">
/// <item>forward <c>Y = X·W</c>: <see cref="MultiplyNN{T}"/>;</item>
/// <item>input gradient <c>dX = dY·Wᵀ</c>: <see cref="MultiplyNT{T}"/>;</item>
/// <item>weight gradient <c>dW = Xᵀ·dY</c>: <see cref="MultiplyTN{T}"/>.</item>
/// </list>
/// Layers call only these three methods. <c>accumulate</c> chooses C += alpha·A·B over C = alpha·A·B; with
/// <c>accumulate: false</c> C is written and never read, so a buffer may hold anything (NaN included) before
/// the call. alpha lets the SGD update W -= η·XᵀΔ run as one product accumulated into the weights.
/// </summary>
internal static partial class Gemm
{
    /// <summary>C[m, n] = alpha · A[m, k] · B[k, n] (+ C when <paramref name="accumulate"/>).</summary>
    public static void MultiplyNN<T>(
        int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb,
        bool accumulate, Span<T> c, int ldc,
        GemmWorkspace<T> workspace)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckShape(m, n, k, a, lda, rowsA: m, colsA: k, b, ldb, rowsB: k, colsB: n, c, ldc);
        if (UsePacking(m, n, k))
        {
            RunPacked(m, n, k, alpha, a, lda, 1, b, ldb, 1, accumulate, c, ldc, workspace);
        }
        else
        {
            Run(m, n, k, alpha, a, rowStrideA: lda, columnStrideA: 1, b, ldb, accumulate, c, ldc, workspace);
        }
    }

    /// <summary>C[m, n] = alpha · A[k, m]ᵀ · B[k, n] (+ C when <paramref name="accumulate"/>).</summary>
    public static void MultiplyTN<T>(
        int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb,
        bool accumulate, Span<T> c, int ldc,
        GemmWorkspace<T> workspace)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckShape(m, n, k, a, lda, rowsA: k, colsA: m, b, ldb, rowsB: k, colsB: n, c, ldc);
        if (UsePacking(m, n, k))
        {
            RunPacked(m, n, k, alpha, a, 1, lda, b, ldb, 1, accumulate, c, ldc, workspace);
        }
        else
        {
            Run(m, n, k, alpha, a, rowStrideA: 1, columnStrideA: lda, b, ldb, accumulate, c, ldc, workspace);
        }
    }

    /// <summary>C[m, n] = alpha · A[m, k] · B[n, k]ᵀ (+ C when <paramref name="accumulate"/>).</summary>
    public static void MultiplyNT<T>(
        int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb,
        bool accumulate, Span<T> c, int ldc,
        GemmWorkspace<T> workspace)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckShape(m, n, k, a, lda, rowsA: m, colsA: k, b, ldb, rowsB: n, colsB: k, c, ldc);
        if (UsePacking(m, n, k))
        {
            RunPacked(m, n, k, alpha, a, lda, 1, b, 1, ldb, accumulate, c, ldc, workspace);
            return;
        }

        if (m == 1)
        {
            // Batch 1 (a layer's input gradient dx = δ·Wᵀ): n dot products along the rows of B, read in place.
            DotRows(n, k, alpha, a, b, ldb, accumulate, c);
            return;
        }

        // Small products skip packing; B is transposed once so the unpacked tiles read it along rows.
        Span<T> scratch = workspace.TransposeScratch(k * n);
        Transpose(b, ldb, rows: n, columns: k, scratch);
        Run(m, n, k, alpha, a, rowStrideA: lda, columnStrideA: 1, scratch, ldb: n, accumulate, c, ldc, workspace);
    }

    /// <summary>
    /// Whether a product is worth packing. Packing costs a pass over A and B; below these sizes (batch-1
    /// GEMV shapes, tiny layers such as the 2-2-2 network, short k) the unpacked register tiles are faster.
    /// </summary>
    static bool UsePacking(int m, int n, int k) =>
        m >= 8 && k >= GemmBlocking.PackingMinK && (long)m * n * k >= GemmBlocking.PackingMinVolume;

    static unsafe void RunPacked<T>(
        int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int rowStrideA, int columnStrideA,
        ReadOnlySpan<T> b, int rowStrideB, int columnStrideB,
        bool accumulate, Span<T> c, int ldc,
        GemmWorkspace<T> workspace)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        fixed (T* pa = a, pb = b, pc = c)
        {
            var problem = new GemmProblem<T>
            {
                M = m,
                N = n,
                K = k,
                Alpha = alpha,
                Accumulate = accumulate,
                A = pa,
                RowStrideA = rowStrideA,
                ColumnStrideA = columnStrideA,
                B = pb,
                RowStrideB = rowStrideB,
                ColumnStrideB = columnStrideB,
                C = pc,
                Ldc = ldc,
            };
            RunPacked(Isa.Active, problem, workspace);
        }
    }

    /// <summary>
    /// The packed product at one ISA level over the whole of C: on the workspace's thread team when it has more
    /// than one thread and the product is large enough, else on the calling thread.
    /// </summary>
    internal static unsafe void RunPacked<T>(IsaLevel level, in GemmProblem<T> problem, GemmWorkspace<T> workspace)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref readonly GemmWorkspace<T>.WorkerBuffers buffers = ref workspace.Buffers(0);
        GemmProblem<T> product = UsesDotTiles(level, problem) ? WithRowsOnLines(problem, buffers.PackedB) : problem;
        if (workspace.Threads > 1 && !workspace.IsDisposed && (long)product.M * product.N * product.K >= GemmBlocking.ParallelMinVolume)
        {
            (ThreadTeam team, GemmTask<T> task) = workspace.Parallel();
            task.Set(level, product);
            team.Run(task);
            return;
        }

        RunPacked(level, product, 0, product.M, 0, product.N, buffers.PackedA, buffers.PackedB, buffers.Scratch);
    }

    /// <summary>The packed product at one ISA level over a range of C, with the given worker buffers.</summary>
    internal static unsafe void RunPacked<T>(
        IsaLevel level, in GemmProblem<T> problem,
        int rowStart, int rowEnd, int columnStart, int columnEnd,
        T* packedA, T* packedB, T* scratch)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (UsesDotTiles(level, problem))
        {
            DotTiles(problem, rowStart, rowEnd, columnStart, columnEnd);
            return;
        }

        switch (level)
        {
            case IsaLevel.V512:
                Packed<Vector512<T>, Simd512<T>, T>(problem, GemmBlocking.For<T>(level), rowStart, rowEnd, columnStart, columnEnd, packedA, packedB, scratch);
                break;
            case IsaLevel.V256:
                Packed<Vector256<T>, Simd256<T>, T>(problem, GemmBlocking.For<T>(level), rowStart, rowEnd, columnStart, columnEnd, packedA, packedB, scratch);
                break;
            case IsaLevel.V128:
                Packed<Vector128<T>, Simd128<T>, T>(problem, GemmBlocking.For<T>(level), rowStart, rowEnd, columnStart, columnEnd, packedA, packedB, scratch);
                break;
            default:
                Packed<T, SimdScalar<T>, T>(problem, GemmBlocking.For<T>(level), rowStart, rowEnd, columnStart, columnEnd, packedA, packedB, scratch);
                break;
        }
    }

    // The unpacked products: rank-1 updates (k = 1), GEMVs (m = 1) and small register-tiled products.
    static unsafe void Run<T>(
        int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int rowStrideA, int columnStrideA,
        ReadOnlySpan<T> b, int ldb,
        bool accumulate, Span<T> c, int ldc,
        GemmWorkspace<T> workspace)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        var args = new TileArgs<T>(k, alpha, rowStrideA, columnStrideA, ldb, ldc, accumulate);
        if (k == 1 || (m == 1 && SplitsGemv(n, k)))
        {
            fixed (T* pa = a, pb = b, pc = c)
            {
                if (k == 1)
                {
                    RunRank1(m, n, pa, pb, pc, args, workspace);
                }
                else
                {
                    RunSplitGemv(n, k, pa, pb, pc, args, workspace);
                }
            }

            return;
        }

        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        ref T cr = ref MemoryMarshal.GetReference(c);
        if (m == 1)
        {
            Gemv(n, ref ar, ref br, ref cr, args);
            return;
        }

        int j = 0;
        if (Isa.Use512)
        {
            Columns<Vector512<T>, Simd512<T>, T>(m, n, ref ar, ref br, ref cr, args, ref j);
        }

        if (Isa.Use256)
        {
            Columns<Vector256<T>, Simd256<T>, T>(m, n, ref ar, ref br, ref cr, args, ref j);
        }

        if (Isa.Use128)
        {
            Columns<Vector128<T>, Simd128<T>, T>(m, n, ref ar, ref br, ref cr, args, ref j);
        }

        Columns<T, SimdScalar<T>, T>(m, n, ref ar, ref br, ref cr, args, ref j);
    }

    /// <summary>
    /// C[m, n] (+)= A·B with A read through (rowStrideA, columnStrideA), using one vector width and then scalars
    /// for the last columns: lets tests reach every path on any machine.
    /// </summary>
    internal static void RunWith<TVec, TSimd, T>(
        int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int rowStrideA, int columnStrideA,
        ReadOnlySpan<T> b, int ldb,
        bool accumulate, Span<T> c, int ldc)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var args = new TileArgs<T>(k, alpha, rowStrideA, columnStrideA, ldb, ldc, accumulate);
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        ref T cr = ref MemoryMarshal.GetReference(c);
        int j = 0;
        if (k == 1)
        {
            Rank1<TVec, TSimd, T>(m, n, ref ar, ref br, ref cr, args, 0);
            Rank1<T, SimdScalar<T>, T>(m, n, ref ar, ref br, ref cr, args, n - (n % TSimd.Count));
            return;
        }

        if (m == 1)
        {
            GemvColumns<TVec, TSimd, T>(n, ref ar, ref br, ref cr, args, ref j);
            GemvColumns<T, SimdScalar<T>, T>(n, ref ar, ref br, ref cr, args, ref j);
            return;
        }

        Columns<TVec, TSimd, T>(m, n, ref ar, ref br, ref cr, args, ref j);
        Columns<T, SimdScalar<T>, T>(m, n, ref ar, ref br, ref cr, args, ref j);
    }

    /// <summary>destination[columns, rows] = source[rows, columns]ᵀ, source read with leading dimension ld.</summary>
    internal static void Transpose<T>(ReadOnlySpan<T> source, int ld, int rows, int columns, Span<T> destination)
        where T : unmanaged
    {
        // Blocks of 16 x 16 keep both the reads and the strided writes within a few cache lines.
        const int Block = 16;
        for (int r0 = 0; r0 < rows; r0 += Block)
        {
            int r1 = Math.Min(rows, r0 + Block);
            for (int c0 = 0; c0 < columns; c0 += Block)
            {
                int c1 = Math.Min(columns, c0 + Block);
                for (int r = r0; r < r1; r++)
                {
                    ReadOnlySpan<T> row = source.Slice(r * ld);
                    for (int col = c0; col < c1; col++)
                    {
                        destination[(col * rows) + r] = row[col];
                    }
                }
            }
        }
    }

    static void CheckShape<T>(
        int m, int n, int k,
        ReadOnlySpan<T> a, int lda, int rowsA, int colsA,
        ReadOnlySpan<T> b, int ldb, int rowsB, int colsB,
        Span<T> c, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            Internal.ThrowHelper.Argument(nameof(m), $"Expected non-negative dimensions, but got m = {m}, n = {n}, k = {k}.");
        }

        CheckMatrix(nameof(a), a.Length, lda, rowsA, colsA);
        CheckMatrix(nameof(b), b.Length, ldb, rowsB, colsB);
        CheckMatrix(nameof(c), c.Length, ldc, m, n);
    }

    static void CheckMatrix(string name, int length, int ld, int rows, int columns)
    {
        if (rows == 0 || columns == 0)
        {
            return;
        }

        if (ld < columns)
        {
            Internal.ThrowHelper.Argument(name, $"Expected a leading dimension of at least {columns}, but got {ld}.");
        }

        if (length < ((rows - 1) * ld) + columns)
        {
            Internal.ThrowHelper.LengthMismatch(name, $"a {rows} x {columns} matrix with leading dimension {ld}", length);
        }
    }
}
