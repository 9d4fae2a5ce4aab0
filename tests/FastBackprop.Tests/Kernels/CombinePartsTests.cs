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
        AllWidths<float>();
        AllWidths<double>();
    }

    static void AllWidths<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Check<T>(static (n, p, c, alpha, accumulate) => { int j = 0; Gemm.CombineParts<Vector512<T>, Simd512<T>, T>(n, p, c, alpha, accumulate, ref j); Gemm.CombineParts<T, SimdScalar<T>, T>(n, p, c, alpha, accumulate, ref j); });
        Check<T>(static (n, p, c, alpha, accumulate) => { int j = 0; Gemm.CombineParts<Vector256<T>, Simd256<T>, T>(n, p, c, alpha, accumulate, ref j); Gemm.CombineParts<T, SimdScalar<T>, T>(n, p, c, alpha, accumulate, ref j); });
        Check<T>(static (n, p, c, alpha, accumulate) => { int j = 0; Gemm.CombineParts<Vector128<T>, Simd128<T>, T>(n, p, c, alpha, accumulate, ref j); Gemm.CombineParts<T, SimdScalar<T>, T>(n, p, c, alpha, accumulate, ref j); });
        Check<T>(static (n, p, c, alpha, accumulate) => { int j = 0; Gemm.CombineParts<T, SimdScalar<T>, T>(n, p, c, alpha, accumulate, ref j); });
        Check<T>(static (n, p, c, alpha, accumulate) => Gemm.CombineParts(n, p, c, alpha, accumulate));
    }

    delegate void Combine<T>(int n, T* partials, T* c, T alpha, bool accumulate)
        where T : unmanaged;

    static void Check<T>(Combine<T> combine)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(3);
        T alpha = T.CreateChecked(-0.75);
        foreach (int n in (int[])[1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 128, 130])
        {
            foreach (bool accumulate in (bool[])[false, true])
            {
                T[] partials = Array.ConvertAll(new T[2 * n], _ => T.CreateChecked(random.Next(-50, 51)));
                T[] c = Array.ConvertAll(new T[n + 1], _ => T.CreateChecked(random.Next(-50, 51)));
                c[n] = T.NaN;
                double[] before = Array.ConvertAll(c, double.CreateChecked);
                fixed (T* p = partials, pc = c)
                {
                    combine(n, p, pc, alpha, accumulate);
                }

                for (int j = 0; j < n; j++)
                {
                    double expected = (-0.75 * (double.CreateChecked(partials[j]) + double.CreateChecked(partials[n + j]))) + (accumulate ? before[j] : 0);
                    Assert.Equal(expected, double.CreateChecked(c[j]));
                }

                Assert.True(T.IsNaN(c[n]), $"n = {n}: the canary after c was overwritten.");
            }
        }
    }
}
