using System;
using System.Runtime.InteropServices;
using FastBackprop.Kernels;
using FastBackprop.Kernels.Gemm;
using FastBackprop.Tests.TestUtilities;
using Xunit;

namespace FastBackprop.Tests.Kernels;

/// <summary>
/// The NT form's tiles of dot products (float, 512-bit vectors): against a double reference, exact on integers,
/// bit for bit against a scalar model of the documented order of operations, the same bits however the tiles are
/// shared out, and only for the products they are meant for. They run on every leg: without AVX-512 the vectors
/// are emulated and the lanes summed by scalar code in the same order.
/// </summary>
public unsafe class DotTilesTests
{
    [Theory]
    [InlineData(4, 4, 16)]
    [InlineData(8, 12, 32)]
    [InlineData(12, 36, 160)]
    [InlineData(64, 128, 784)]
    public void Tiles_match_a_double_reference(int m, int n, int k)
    {
        var random = new Random(m + n + k);
        foreach (bool accumulate in (bool[])[false, true])
        {
            foreach (bool integers in (bool[])[false, true])
            {
                var g = GemmCase<float>.Create(random, m, n, k, transposedA: false, accumulate, integers, transposedB: true);
                using var a = new AlignedRows(g.A, m, k, g.Lda);
                using var b = new AlignedRows(g.B, n, k, g.Ldb);
                fixed (float* c = g.C)
                {
                    GemmProblem<float> problem = Problem(g, a, b, c, accumulate);
                    Assert.True(Gemm.UsesDotTiles(IsaLevel.V512, problem));
                    Gemm.DotTiles(problem, 0, m, 0, n);
                }

                g.Verify(exact: integers, $"dot tiles m={m} n={n} k={k} accumulate={accumulate}");
            }
        }
    }

    [Fact]
    public void Each_element_is_its_lanes_multiply_added_in_float_then_summed_in_the_documented_order()
    {
        // Lane l of an element's accumulator takes k = l, l + 16, ... by fused multiply-adds; the 16 lanes are then
        // added per 128-bit lane as (l0 + l2) + (l1 + l3), and those four as (q0 + q1) + (q2 + q3).
        const int m = 8, n = 8, k = 48;
        var random = new Random(11);
        var g = GemmCase<float>.Create(random, m, n, k, transposedA: false, accumulate: true, integers: false, transposedB: true);
        using var a = new AlignedRows(g.A, m, k, g.Lda);
        using var b = new AlignedRows(g.B, n, k, g.Ldb);
        fixed (float* c = g.C)
        {
            Gemm.DotTiles(Problem(g, a, b, c, accumulate: true), 0, m, 0, n);
        }

        Span<float> lanes = stackalloc float[16];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                lanes.Clear();
                for (int p = 0; p < k; p++)
                {
                    lanes[p % 16] = MathF.FusedMultiplyAdd(g.A[(i * g.Lda) + p], g.B[(j * g.Ldb) + p], lanes[p % 16]);
                }

                float q0 = (lanes[0] + lanes[2]) + (lanes[1] + lanes[3]), q1 = (lanes[4] + lanes[6]) + (lanes[5] + lanes[7]);
                float q2 = (lanes[8] + lanes[10]) + (lanes[9] + lanes[11]), q3 = (lanes[12] + lanes[14]) + (lanes[13] + lanes[15]);
                float want = (g.Alpha * ((q0 + q1) + (q2 + q3))) + g.Original[(i * g.Ldc) + j];
                Assert.Equal(BitConverter.SingleToInt32Bits(want), BitConverter.SingleToInt32Bits(g.C[(i * g.Ldc) + j]));
            }
        }
    }

    [Fact]
    public void Any_split_into_whole_tiles_gives_the_same_bits()
    {
        const int m = 16, n = 24, k = 64;
        var random = new Random(5);
        var g = GemmCase<float>.Create(random, m, n, k, transposedA: false, accumulate: false, integers: false, transposedB: true);
        using var a = new AlignedRows(g.A, m, k, g.Lda);
        using var b = new AlignedRows(g.B, n, k, g.Ldb);
        float[] whole = (float[])g.C.Clone();
        float[] split = (float[])g.C.Clone();
        fixed (float* c = whole, s = split)
        {
            Gemm.DotTiles(Problem(g, a, b, c, accumulate: false), 0, m, 0, n);
            GemmProblem<float> problem = Problem(g, a, b, s, accumulate: false);
            Gemm.DotTiles(problem, 0, 8, 0, 12);
            Gemm.DotTiles(problem, 0, 8, 12, 24);
            Gemm.DotTiles(problem, 8, 16, 0, 24);
        }

        Assert.Equal(whole, split);
    }

    [Fact]
    public void Shared_out_over_a_thread_team_they_give_the_bits_of_one_thread()
    {
        // (64, 128, 784) is above the size from which a product goes to the team, which splits it by columns.
        const int m = 64, n = 128, k = 784;
        var g = GemmCase<float>.Create(new Random(9), m, n, k, transposedA: false, accumulate: false, integers: false, transposedB: true);
        using var a = new AlignedRows(g.A, m, k, g.Lda);
        using var b = new AlignedRows(g.B, n, k, g.Ldb);
        float[] one = (float[])g.C.Clone();
        float[] two = (float[])g.C.Clone();
        using var single = new GemmWorkspace<float>(threads: 1);
        using var team = new GemmWorkspace<float>(threads: 2);
        fixed (float* c1 = one, c2 = two)
        {
            Assert.True(Gemm.UsesDotTiles(IsaLevel.V512, Problem(g, a, b, c1, accumulate: false)));
            Gemm.RunPacked(IsaLevel.V512, Problem(g, a, b, c1, accumulate: false), single);
            Gemm.RunPacked(IsaLevel.V512, Problem(g, a, b, c2, accumulate: false), team);
        }

        Assert.Equal(one, two);
        one.CopyTo(g.C, 0);
        g.Verify(exact: false, "dot tiles through the team's entry point");
    }

    [Theory]
    [InlineData(8, 12, 48, 1)]
    [InlineData(64, 128, 784, 2)]  // above the size from which the team shares a product
    public void Operands_off_their_lines_give_the_same_bits_as_operands_on_them(int m, int n, int k, int threads)
    {
        // Through the entry point, which copies an operand that starts off a line before the tiles read it: A
        // alone, B alone and both off their lines, at several offsets, against the same product with both on
        // lines (itself checked against the double reference). A and B have different leading dimensions, so a
        // copy that took one's for the other's would show.
        var g = GemmCase<float>.Create(new Random(21), m, n, k, transposedA: false, accumulate: true, integers: false, transposedB: true);
        using var a = new AlignedRows(g.A, m, k, g.Lda, spare: 16);
        using var b = new AlignedRows(g.B, n, k, g.Ldb, spare: 16, extraLd: 32);
        using var workspace = new GemmWorkspace<float>(threads);
        float[] expected = (float[])g.C.Clone();
        fixed (float* c = expected)
        {
            Gemm.RunPacked(IsaLevel.V512, Problem(g, a, b, c, accumulate: true), workspace);
        }

        expected.CopyTo(g.C, 0);
        g.Verify(exact: false, $"dot tiles {m}x{n}x{k} on lines");
        foreach ((int offsetA, int offsetB) in (ReadOnlySpan<(int, int)>)[(1, 0), (0, 4), (3, 13), (8, 8), (15, 1)])
        {
            a.Shift(offsetA);
            b.Shift(offsetB);
            float[] got = (float[])g.Original.Clone();
            fixed (float* c = got)
            {
                GemmProblem<float> problem = Problem(g, a, b, c, accumulate: true);
                Assert.True(Gemm.UsesDotTiles(IsaLevel.V512, problem));
                Gemm.RunPacked(IsaLevel.V512, problem, workspace);
            }

            Assert.True(expected.AsSpan().SequenceEqual(got), $"A {offsetA} and B {offsetB} elements off their lines: other bits");
            a.Shift(0);
            b.Shift(0);
        }
    }

    [Fact]
    public void Only_float_NT_products_of_whole_tiles_and_whole_lines_with_a_B_that_fits_in_L2_qualify()
    {
        var g = GemmCase<float>.Create(new Random(3), 8, 8, 32, transposedA: false, accumulate: false, integers: false, transposedB: true);
        using var a = new AlignedRows(g.A, 8, 32, g.Lda);
        using var b = new AlignedRows(g.B, 8, 32, g.Ldb);
        fixed (float* c = g.C)
        {
            GemmProblem<float> p = Problem(g, a, b, c, accumulate: false);
            Assert.True(Gemm.UsesDotTiles(IsaLevel.V512, p));
            Assert.False(Gemm.UsesDotTiles(IsaLevel.V256, p));
            Assert.False(Gemm.UsesDotTiles(IsaLevel.V512, p with { M = 6 }), "m not a multiple of the tile");
            Assert.False(Gemm.UsesDotTiles(IsaLevel.V512, p with { N = 6 }), "n not a multiple of the tile");
            Assert.False(Gemm.UsesDotTiles(IsaLevel.V512, p with { K = 24 }), "k not a multiple of 16");
            Assert.True(Gemm.UsesDotTiles(IsaLevel.V512, p with { A = p.A + 1, B = p.B + 4 }), "operands off their lines: the choice must not depend on addresses");
            Assert.False(Gemm.UsesDotTiles(IsaLevel.V512, p with { RowStrideA = p.RowStrideA + 1 }), "rows of A off their lines");
            Assert.False(Gemm.UsesDotTiles(IsaLevel.V512, p with { ColumnStrideB = p.ColumnStrideB + 8 }), "rows of B off their lines");
            Assert.False(Gemm.UsesDotTiles(IsaLevel.V512, p with { RowStrideB = p.ColumnStrideB, ColumnStrideB = 1 }), "B stored by rows of k (NN)");
            Assert.False(Gemm.UsesDotTiles(IsaLevel.V512, p with { RowStrideA = 1, ColumnStrideA = p.M }), "A stored transposed (TN)");
            Assert.False(Gemm.UsesDotTiles(IsaLevel.V512, p with { N = 1024, K = 512, ColumnStrideB = 512 }), "B of 2 MiB");
            Assert.False(Gemm.UsesDotTiles(IsaLevel.V512, p with { M = 1024, N = 256, K = 1024, RowStrideA = 1024, ColumnStrideB = 1024 }), "A and B of 5 MiB in all, too much to copy");
        }

        var d = new GemmProblem<double> { M = 8, N = 8, K = 32, RowStrideA = 32, ColumnStrideA = 1, RowStrideB = 1, ColumnStrideB = 32 };
        Assert.False(Gemm.UsesDotTiles(IsaLevel.V512, d), "double");
    }

    static GemmProblem<float> Problem(GemmCase<float> g, AlignedRows a, AlignedRows b, float* c, bool accumulate) => new()
    {
        M = g.M,
        N = g.N,
        K = g.K,
        Alpha = g.Alpha,
        Accumulate = accumulate,
        A = a.Pointer,
        RowStrideA = a.Ld,
        ColumnStrideA = 1,
        B = b.Pointer,
        RowStrideB = 1,
        ColumnStrideB = b.Ld,
        C = c,
        Ldc = g.Ldc,
    };

    /// <summary>
    /// A copy of a row-major matrix on a 64-byte boundary, each row starting on one too (padding filled with NaN,
    /// which no tile may read); <see cref="Shift"/> moves the copy a few elements off its line.
    /// </summary>
    sealed class AlignedRows : IDisposable
    {
        readonly float* _memory;
        readonly int _rows;
        readonly int _columns;

        public AlignedRows(float[] source, int rows, int columns, int sourceLd, int spare = 0, int extraLd = 0)
        {
            Ld = ((columns + 15) / 16 * 16) + 16 + extraLd;
            (_rows, _columns) = (rows, columns);
            _memory = (float*)NativeMemory.AlignedAlloc((nuint)(((rows * Ld) + spare) * sizeof(float)), 64);
            new Span<float>(_memory, (rows * Ld) + spare).Fill(float.NaN);
            for (int r = 0; r < rows; r++)
            {
                source.AsSpan(r * sourceLd, columns).CopyTo(new Span<float>(_memory + (r * Ld), columns));
            }

            Pointer = _memory;
        }

        public float* Pointer { get; private set; }

        public int Ld { get; }

        /// <summary>Moves the matrix to start <paramref name="offset"/> elements after the line (within the spare room).</summary>
        public void Shift(int offset)
        {
            float[] values = new float[_rows * Ld];
            new Span<float>(Pointer, _rows * Ld).CopyTo(values);
            Pointer = _memory + offset;
            values.CopyTo(new Span<float>(Pointer, _rows * Ld));
        }

        public void Dispose() => NativeMemory.AlignedFree(_memory);
    }
}
