using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using FastBackprop.Kernels;
using FastBackprop.Kernels.Gemm;
using FastBackprop.Tests.TestUtilities;
using Xunit;

namespace FastBackprop.Tests.Kernels;

/// <summary>
/// Every GEMM path (each vector width with its scalar tail, and the dispatched entry points) against a
/// double-accumulating reference, over shapes around the tile edges, both A layouts and both write modes.
/// </summary>
public class GemmTests
{
    static readonly int[] s_m = [1, 2, 3, 4, 5, 7, 8, 9];
    static readonly int[] s_n = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 64, 65];
    static readonly int[] s_k = [0, 1, 2, 3, 7, 16, 17];

    [Fact] public void Float_V512_matches_reference() => AllShapes<Vector512<float>, Simd512<float>, float>(integers: false);
    [Fact] public void Float_V256_matches_reference() => AllShapes<Vector256<float>, Simd256<float>, float>(integers: false);
    [Fact] public void Float_V128_matches_reference() => AllShapes<Vector128<float>, Simd128<float>, float>(integers: false);
    [Fact] public void Float_scalar_matches_reference() => AllShapes<float, SimdScalar<float>, float>(integers: false);
    [Fact] public void Double_V512_matches_reference() => AllShapes<Vector512<double>, Simd512<double>, double>(integers: false);
    [Fact] public void Double_V256_matches_reference() => AllShapes<Vector256<double>, Simd256<double>, double>(integers: false);
    [Fact] public void Double_V128_matches_reference() => AllShapes<Vector128<double>, Simd128<double>, double>(integers: false);
    [Fact] public void Double_scalar_matches_reference() => AllShapes<double, SimdScalar<double>, double>(integers: false);

    // Small integers make every product and partial sum exact in float, so any order of summation, fused or
    // not, must give the reference to the last bit.
    [Fact] public void Float_V512_is_exact_on_integers() => AllShapes<Vector512<float>, Simd512<float>, float>(integers: true);
    [Fact] public void Float_V256_is_exact_on_integers() => AllShapes<Vector256<float>, Simd256<float>, float>(integers: true);
    [Fact] public void Float_V128_is_exact_on_integers() => AllShapes<Vector128<float>, Simd128<float>, float>(integers: true);
    [Fact] public void Float_scalar_is_exact_on_integers() => AllShapes<float, SimdScalar<float>, float>(integers: true);

    static void AllShapes<TVec, TSimd, T>(bool integers)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(1234);
        foreach (int m in s_m)
        {
            foreach (int n in s_n)
            {
                foreach (int k in s_k)
                {
                    foreach (bool transposedA in (bool[])[false, true])
                    {
                        foreach (bool accumulate in (bool[])[false, true])
                        {
                            var p = GemmCase<T>.Create(random, m, n, k, transposedA, accumulate, integers);
                            int rs = transposedA ? 1 : p.Lda, cs = transposedA ? p.Lda : 1;
                            Gemm.RunWith<TVec, TSimd, T>(m, n, k, p.Alpha, p.A, rs, cs, p.B, p.Ldb, accumulate, p.C, p.Ldc);
                            p.Verify(exact: integers, $"{typeof(TVec).Name} m={m} n={n} k={k} transposedA={transposedA} accumulate={accumulate}");
                        }
                    }
                }
            }
        }
    }

    [Fact] public void Dispatched_products_match_reference_float() => Dispatched<float>();

    [Fact] public void Dispatched_products_match_reference_double() => Dispatched<double>();

    static void Dispatched<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(99);
        using var workspace = new GemmWorkspace<T>(threads: 1);
        foreach (int m in (int[])[1, 3, 6, 13])
        {
            foreach (int n in (int[])[1, 10, 33, 70, 128])
            {
                foreach (int k in (int[])[1, 5, 64, 100])
                {
                    foreach (bool accumulate in (bool[])[false, true])
                    {
                        string shape = $"m={m} n={n} k={k} accumulate={accumulate}";
                        var nn = GemmCase<T>.Create(random, m, n, k, transposedA: false, accumulate, integers: false);
                        Gemm.MultiplyNN(m, n, k, nn.Alpha, nn.A, nn.Lda, nn.B, nn.Ldb, accumulate, nn.C, nn.Ldc, workspace);
                        nn.Verify(exact: false, "NN " + shape);

                        var tn = GemmCase<T>.Create(random, m, n, k, transposedA: true, accumulate, integers: false);
                        Gemm.MultiplyTN(m, n, k, tn.Alpha, tn.A, tn.Lda, tn.B, tn.Ldb, accumulate, tn.C, tn.Ldc, workspace);
                        tn.Verify(exact: false, "TN " + shape);

                        // NT: B given as [n, k]; the reference reads it transposed.
                        var nt = GemmCase<T>.Create(random, m, n, k, transposedA: false, accumulate, integers: false, transposedB: true);
                        Gemm.MultiplyNT(m, n, k, nt.Alpha, nt.A, nt.Lda, nt.B, nt.Ldb, accumulate, nt.C, nt.Ldc, workspace);
                        nt.Verify(exact: false, "NT " + shape);
                    }
                }
            }
        }
    }

    [Fact]
    public void Overwrite_mode_never_reads_C()
    {
        // C full of NaN: C = A·B must not propagate it.
        var p = GemmCase<float>.Create(new Random(5), 5, 37, 9, transposedA: false, accumulate: false, integers: false);
        for (int i = 0; i < 5; i++)
        {
            p.C.AsSpan(i * p.Ldc, 37).Fill(float.NaN);
        }

        using var workspace = new GemmWorkspace<float>(threads: 1);
        Gemm.MultiplyNN(5, 37, 9, p.Alpha, p.A, p.Lda, p.B, p.Ldb, accumulate: false, p.C, p.Ldc, workspace);
        p.Verify(exact: false, "NaN-filled C");
    }

    [Fact]
    public void Shape_errors_name_what_was_expected()
    {
        float[] a = new float[6], b = new float[6], c = new float[3];
        using var workspace = new GemmWorkspace<float>(threads: 1);
        var e = Assert.Throws<ArgumentException>(() => Gemm.MultiplyNN(2, 2, 3, 1f, a, 3, b, 2, accumulate: false, c, 2, workspace));
        Assert.Contains("2 x 2", e.Message, StringComparison.Ordinal);
    }
}
