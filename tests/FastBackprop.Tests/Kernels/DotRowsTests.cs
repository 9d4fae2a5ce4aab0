using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using FastBackprop.Kernels;
using FastBackprop.Kernels.Gemm;
using Xunit;

namespace FastBackprop.Tests.Kernels;

/// <summary>
/// <see cref="Gemm.DotRows{T}"/>, c = a·Bᵀ at batch 1 by dot products along B's rows, on every vector width
/// against a double reference, over shapes around every vector width and the four-row blocking, with a leading
/// dimension wider than k and NaN canaries after c and in B's padding; the width paths also with alpha and
/// accumulation into c, as MultiplyNT uses them at batch 1.
/// </summary>
public class DotRowsTests
{
    [Fact]
    public void Dot_rows_match_reference_on_every_width()
    {
        AllWidths<float>(2e-6);
        AllWidths<double>(1e-14);
    }

    [Fact]
    public void Integer_valued_dot_rows_are_exact()
    {
        var random = new Random(1);
        foreach ((int n, int k) in new[] { (1, 1), (5, 16), (9, 33), (256, 256), (7, 70) })
        {
            float[] a = Array.ConvertAll(new float[k], _ => (float)random.Next(-4, 5));
            float[] b = Array.ConvertAll(new float[n * k], _ => (float)random.Next(-4, 5));
            float[] c = new float[n];
            Gemm.DotRows<float>(n, k, a, b, k, c);
            for (int j = 0; j < n; j++)
            {
                float expected = 0;
                for (int i = 0; i < k; i++)
                {
                    expected += a[i] * b[(j * k) + i];
                }

                Assert.Equal(expected, c[j]);
            }
        }
    }

    static void AllWidths<T>(double tolerance)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Check<Vector512<T>, Simd512<T>, T>(tolerance, dispatch: false);
        Check<Vector256<T>, Simd256<T>, T>(tolerance, dispatch: false);
        Check<Vector128<T>, Simd128<T>, T>(tolerance, dispatch: false);
        Check<T, SimdScalar<T>, T>(tolerance, dispatch: false);
        Check<T, SimdScalar<T>, T>(tolerance, dispatch: true);
    }

    static void Check<TVec, TSimd, T>(double tolerance, bool dispatch)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(2);
        string what = dispatch ? "dispatch" : typeof(TVec).Name;
        for (int n = 0; n <= 9; n++)
        {
            for (int k = 0; k <= 70; k++)
            {
                int ldb = k + 3;
                T[] a = Random<T>(random, k);
                T[] b = Random<T>(random, Math.Max(0, (n * ldb) - 3));
                for (int j = 0; j < n - 1; j++)
                {
                    b.AsSpan((j * ldb) + k, 3).Fill(T.NaN);
                }

                // The public entry overwrites c with the plain product; the width paths are also run as MultiplyNT's
                // batch-1 form, scaled by alpha and (for odd k) accumulated into what c held.
                bool accumulate = !dispatch && k % 2 == 1;
                T alpha = dispatch ? T.One : T.CreateChecked(-0.75);
                T[] c = new T[n + 5];
                T[] before = Random<T>(random, n);
                before.CopyTo(c, 0);
                c.AsSpan(n).Fill(T.NaN);
                if (dispatch)
                {
                    Gemm.DotRows<T>(n, k, a, b, ldb, c.AsSpan(0, n));
                }
                else
                {
                    Gemm.DotRowsWith<TVec, TSimd, T>(n, k, alpha, a, b, ldb, accumulate, c.AsSpan(0, n));
                }

                for (int j = 0; j < n; j++)
                {
                    double expected = 0, magnitude = 0;
                    for (int i = 0; i < k; i++)
                    {
                        double term = double.CreateChecked(a[i]) * double.CreateChecked(b[(j * ldb) + i]);
                        expected += term;
                        magnitude += Math.Abs(term);
                    }

                    double scale = double.CreateChecked(alpha);
                    double initial = accumulate ? double.CreateChecked(before[j]) : 0;
                    expected = (scale * expected) + initial;
                    magnitude = (Math.Abs(scale) * magnitude) + Math.Abs(initial);
                    double actual = double.CreateChecked(c[j]);
                    Assert.True(Math.Abs(actual - expected) <= tolerance * (1 + magnitude), $"{what} n {n} k {k} row {j}: expected {expected:R}, got {actual:R}");
                }

                for (int j = n; j < c.Length; j++)
                {
                    Assert.True(T.IsNaN(c[j]), $"{what} n {n} k {k}: wrote past the end");
                }
            }
        }
    }

    static T[] Random<T>(Random random, int n)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var values = new T[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = T.CreateChecked((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
