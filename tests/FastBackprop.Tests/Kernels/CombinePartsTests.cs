using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using FastBackprop.Kernels;
using FastBackprop.Kernels.Gemm;
using Xunit;

namespace FastBackprop.Tests.Kernels;

/// <summary>
/// The last pass of a split GEMV, c = alpha·(first + second) (+ c), on every vector width with the scalar tail,
/// and dispatched, over lengths around every width. Integer-valued parts and alpha = -0.75 make every
/// intermediate exact, so the result must equal the double reference exactly; a NaN canary after c catches a
/// write past its end.
/// </summary>
public unsafe class CombinePartsTests
{
    [Fact]
    public void Every_width_combines_the_parts_exactly()
    {
        AllWidths<float>(integers: true);
        AllWidths<double>(integers: true);
    }

    /// <summary>
    /// With arbitrary values every element must round as the scalar expression alpha·(first + second) + c does
    /// (an add, a multiply, an add, each rounded): a fused multiply-add or alpha·first + alpha·second would differ
    /// in the last bits of some of them.
    /// </summary>
    [Fact]
    public void Every_width_rounds_as_the_scalar_expression()
    {
        AllWidths<float>(integers: false);
        AllWidths<double>(integers: false);
    }

    static void AllWidths<T>(bool integers)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Check<T>(static (n, p, c, alpha, accumulate) => { int j = 0; Gemm.CombineParts<Vector512<T>, Simd512<T>, T>(n, p, c, alpha, accumulate, ref j); Gemm.CombineParts<T, SimdScalar<T>, T>(n, p, c, alpha, accumulate, ref j); }, integers);
        Check<T>(static (n, p, c, alpha, accumulate) => { int j = 0; Gemm.CombineParts<Vector256<T>, Simd256<T>, T>(n, p, c, alpha, accumulate, ref j); Gemm.CombineParts<T, SimdScalar<T>, T>(n, p, c, alpha, accumulate, ref j); }, integers);
        Check<T>(static (n, p, c, alpha, accumulate) => { int j = 0; Gemm.CombineParts<Vector128<T>, Simd128<T>, T>(n, p, c, alpha, accumulate, ref j); Gemm.CombineParts<T, SimdScalar<T>, T>(n, p, c, alpha, accumulate, ref j); }, integers);
        Check<T>(static (n, p, c, alpha, accumulate) => { int j = 0; Gemm.CombineParts<T, SimdScalar<T>, T>(n, p, c, alpha, accumulate, ref j); }, integers);
        Check<T>(static (n, p, c, alpha, accumulate) => Gemm.CombineParts(n, p, c, alpha, accumulate), integers);
    }

    delegate void Combine<T>(int n, T* partials, T* c, T alpha, bool accumulate)
        where T : unmanaged;

    static void Check<T>(Combine<T> combine, bool integers)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(3);
        T alpha = T.CreateChecked(integers ? -0.75 : 0.3);
        foreach (int n in (int[])[1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 128, 130])
        {
            foreach (bool accumulate in (bool[])[false, true])
            {
                T[] partials = Array.ConvertAll(new T[2 * n], _ => Draw<T>(random, integers));
                T[] c = Array.ConvertAll(new T[n + 1], _ => Draw<T>(random, integers));
                c[n] = T.NaN;
                T[] before = (T[])c.Clone();
                fixed (T* p = partials, pc = c)
                {
                    combine(n, p, pc, alpha, accumulate);
                }

                for (int j = 0; j < n; j++)
                {
                    if (integers)
                    {
                        // Every intermediate is exact: the double reference is the true value.
                        double expected = (-0.75 * (double.CreateChecked(partials[j]) + double.CreateChecked(partials[n + j]))) + (accumulate ? double.CreateChecked(before[j]) : 0);
                        Assert.Equal(expected, double.CreateChecked(c[j]));
                    }
                    else
                    {
                        T sum = partials[j] + partials[n + j];
                        T expected = accumulate ? (alpha * sum) + before[j] : alpha * sum;
                        Assert.True(expected == c[j], $"n = {n}, j = {j}: expected {expected}, got {c[j]}.");
                    }
                }

                Assert.True(T.IsNaN(c[n]), $"n = {n}: the canary after c was overwritten.");
            }
        }
    }

    static T Draw<T>(Random random, bool integers)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        integers ? T.CreateChecked(random.Next(-50, 51)) : T.CreateChecked((random.NextDouble() * 2) - 1);
}
