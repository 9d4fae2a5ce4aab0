using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using FastBackprop.Kernels;
using FastBackprop.Kernels.Gemm;
using FastBackprop.Tests.TestUtilities;
using Xunit;

namespace FastBackprop.Tests.Kernels;

/// <summary>
/// The packed GEMM on every vector width against a double reference: with small blockings (so a few dozen
/// rows and columns cross several MC, KC and NC blocks and every edge), with the real blockings around KC,
/// every transpose of A and B, both write modes, exact on integers, NaN canaries after C. Products of up to MC
/// rows read a B stored by rows in place wherever its panel holds whole slivers, and pack it otherwise; the
/// shapes cover both, and panels of each kind within one product.
/// </summary>
public unsafe class PackedGemmTests
{
    [Fact] public void Float_V512() => Widths<Vector512<float>, Simd512<float>, float>(IsaLevel.V512);
    [Fact] public void Float_V256() => Widths<Vector256<float>, Simd256<float>, float>(IsaLevel.V256);
    [Fact] public void Float_V128() => Widths<Vector128<float>, Simd128<float>, float>(IsaLevel.V128);
    [Fact] public void Float_scalar() => Widths<float, SimdScalar<float>, float>(IsaLevel.Scalar);
    [Fact] public void Double_V512() => Widths<Vector512<double>, Simd512<double>, double>(IsaLevel.V512);
    [Fact] public void Double_V256() => Widths<Vector256<double>, Simd256<double>, double>(IsaLevel.V256);
    [Fact] public void Double_V128() => Widths<Vector128<double>, Simd128<double>, double>(IsaLevel.V128);
    [Fact] public void Double_scalar() => Widths<double, SimdScalar<double>, double>(IsaLevel.Scalar);

    static void Widths<TVec, TSimd, T>(IsaLevel level)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        GemmBlocking real = GemmBlocking.For<T>(level);
        int mr = real.MR, nr = real.NR;

        // A toy blocking: k blocks of 5, row blocks of two tiles, column panels of two tiles.
        var small = real with { KC = 5, MC = 2 * mr, NC = 2 * nr };
        var random = new Random(42);
        foreach (int m in (int[])[1, mr - 1, mr, mr + 1, (2 * mr) + 1, (4 * mr) + 3])
        {
            foreach (int n in (int[])[1, nr - 1, nr, nr + 1, (2 * nr) + 1, (4 * nr) + 3])
            {
                foreach (int k in (int[])[1, 4, 5, 6, 11])
                {
                    AllForms<TVec, TSimd, T>(random, small, m, n, k);
                }
            }
        }

        // The real blocking around the KC edge: with an edge sliver (B packed), and with whole slivers only under
        // one row block (B stored by rows is then read in place).
        foreach (int k in (int[])[real.KC - 1, real.KC, real.KC + 1])
        {
            AllForms<TVec, TSimd, T>(random, real, (2 * mr) + 1, nr + 3, k);
            AllForms<TVec, TSimd, T>(random, real, (2 * mr) + 1, 2 * nr, k);
        }
    }

    static void AllForms<TVec, TSimd, T>(Random random, GemmBlocking blocking, int m, int n, int k)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        foreach (bool transposedA in (bool[])[false, true])
        {
            foreach (bool transposedB in (bool[])[false, true])
            {
                foreach (bool accumulate in (bool[])[false, true])
                {
                    foreach (bool integers in (bool[])[false, true])
                    {
                        if (integers && typeof(T) == typeof(double))
                        {
                            continue;
                        }

                        var g = GemmCase<T>.Create(random, m, n, k, transposedA, accumulate, integers, transposedB);
                        Run<TVec, TSimd, T>(g, blocking, transposedA, transposedB, accumulate);
                        g.Verify(exact: integers, $"{typeof(TVec).Name} {blocking} m={m} n={n} k={k} transposedA={transposedA} transposedB={transposedB} accumulate={accumulate}");
                    }
                }
            }
        }
    }

    static void Run<TVec, TSimd, T>(GemmCase<T> g, GemmBlocking blocking, bool transposedA, bool transposedB, bool accumulate)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // Buffers sized exactly to the blocking, with canaries after each, so packing past its block shows.
        T[] packedA = Canaried<T>(blocking.PackedALength);
        T[] packedB = Canaried<T>(blocking.PackedBLength);
        T[] scratch = Canaried<T>(blocking.ScratchLength);
        fixed (T* a = g.A, b = g.B, c = g.C, pa = packedA, pb = packedB, s = scratch)
        {
            var problem = new GemmProblem<T>
            {
                M = g.M,
                N = g.N,
                K = g.K,
                Alpha = g.Alpha,
                Accumulate = accumulate,
                A = a,
                RowStrideA = transposedA ? 1 : g.Lda,
                ColumnStrideA = transposedA ? g.Lda : 1,
                B = b,
                RowStrideB = transposedB ? 1 : g.Ldb,
                ColumnStrideB = transposedB ? g.Ldb : 1,
                C = c,
                Ldc = g.Ldc,
            };
            Gemm.Packed<TVec, TSimd, T>(problem, blocking, 0, g.M, 0, g.N, pa, pb, s);
        }

        AssertCanary(packedA, blocking.PackedALength, "packed A");
        AssertCanary(packedB, blocking.PackedBLength, "packed B");
        AssertCanary(scratch, blocking.ScratchLength, "scratch");
    }

    [Fact]
    public void Products_that_are_packed_go_through_the_public_entry_points()
    {
        // Shapes of the named workloads' layers, which take the packed path, through MultiplyNN/TN/NT.
        var random = new Random(8);
        using var workspace = new GemmWorkspace<float>(threads: 1);
        foreach ((int m, int n, int k) in (ReadOnlySpan<(int, int, int)>)[(64, 128, 784), (33, 70, 300), (8, 40, 16)])
        {
            var nn = GemmCase<float>.Create(random, m, n, k, transposedA: false, accumulate: false, integers: false);
            Gemm.MultiplyNN(m, n, k, nn.Alpha, nn.A, nn.Lda, nn.B, nn.Ldb, accumulate: false, nn.C, nn.Ldc, workspace);
            nn.Verify(exact: false, $"NN {m}x{n}x{k}");
            var tn = GemmCase<float>.Create(random, m, n, k, transposedA: true, accumulate: true, integers: false);
            Gemm.MultiplyTN(m, n, k, tn.Alpha, tn.A, tn.Lda, tn.B, tn.Ldb, accumulate: true, tn.C, tn.Ldc, workspace);
            tn.Verify(exact: false, $"TN {m}x{n}x{k}");
            var nt = GemmCase<float>.Create(random, m, n, k, transposedA: false, accumulate: false, integers: false, transposedB: true);
            Gemm.MultiplyNT(m, n, k, nt.Alpha, nt.A, nt.Lda, nt.B, nt.Ldb, accumulate: false, nt.C, nt.Ldc, workspace);
            nt.Verify(exact: false, $"NT {m}x{n}x{k}");
        }
    }

    static T[] Canaried<T>(int n)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var values = new T[n + 16];
        values.AsSpan(n).Fill(T.NaN);
        return values;
    }

    static void AssertCanary<T>(T[] values, int n, string what)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = n; i < values.Length; i++)
        {
            Assert.True(T.IsNaN(values[i]), $"{what}: written past its end at {i - n}");
        }
    }
}
