using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using FastBackprop.Kernels;
using FastBackprop.Kernels.Elementwise;
using FastBackprop.Kernels.Reductions;
using FastBackprop.Optimizers;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static FastBackprop.Tests.Optimizers.OptimizerTestData;

namespace FastBackprop.Tests.Optimizers;

/// <summary>Clipping by global norm, and its two kernels (sum of squares, scale) on every width.</summary>
public class GradientClippingTests
{
    [Fact]
    public void Kernels_match_reference_on_every_width()
    {
        Kernels<Vector512<float>, Simd512<float>, float>();
        Kernels<Vector256<float>, Simd256<float>, float>();
        Kernels<Vector128<float>, Simd128<float>, float>();
        Kernels<float, SimdScalar<float>, float>();
        Kernels<Vector512<double>, Simd512<double>, double>();
        Kernels<Vector256<double>, Simd256<double>, double>();
        Kernels<Vector128<double>, Simd128<double>, double>();
        Kernels<double, SimdScalar<double>, double>();
    }

    static void Kernels<TVec, TSimd, T>()
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(11);
        for (int n = 0; n <= 133; n++)
        {
            T[] x = Draw<T>(random, n, -3, 3);
            double expected = 0;
            foreach (T v in x)
            {
                expected += D(v) * D(v);
            }

            // Each square and partial sum rounds once in T: n roundings of terms no bigger than the total.
            double got = D(SumOfSquares.RunWith<TVec, TSimd, T>(x));
            Assert.True(Math.Abs(got - expected) <= (n + 1) * Tolerance<T>() * (1 + expected), $"{typeof(TVec).Name} length {n}: sum of squares {got:R}, expected {expected:R}");

            T[] y = new T[n + 3];
            y.AsSpan(n).Fill(T.NaN);
            x.CopyTo(y, 0);
            Scale.RunWith<TVec, TSimd, T>(T.CreateTruncating(-0.75), y.AsSpan(0, n));
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(T.CreateTruncating(-0.75) * x[i], y[i]);
            }

            Assert.True(T.IsNaN(y[n]) && T.IsNaN(y[n + 2]), "scale wrote past the end");
        }
    }

    [Fact]
    public void Clipping_keeps_direction_and_bounds_the_norm() =>
        Prop.ForAll(Gen.Choose(0, 1_000_000_000).ToArbitrary(), seed => Clip<float>(seed) && Clip<double>(seed))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    static bool Clip<T>(int seed)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        int n = random.Next(1, 300);
        T[] g = Draw<T>(random, n, -3, 3);
        double norm = 0;
        foreach (T v in g)
        {
            norm += D(v) * D(v);
        }

        norm = Math.Sqrt(norm);
        T[] before = (T[])g.Clone();

        // Half the cases below the norm, half above.
        T maxNorm = T.CreateTruncating(norm * (random.Next(2) == 0 ? 1.5 : 0.01 + (0.9 * random.NextDouble())));
        double returned = D(GradientClipping.ClipByGlobalNorm<T>(g, maxNorm));
        double tol = 4 * Tolerance<T>();
        if (!(Math.Abs(returned - norm) <= tol * norm))
        {
            throw new InvalidOperationException($"{typeof(T).Name} seed {seed}: returned {returned:R}, norm {norm:R}");
        }

        if (norm <= D(maxNorm))
        {
            if (!g.AsSpan().SequenceEqual(before))
            {
                throw new InvalidOperationException($"{typeof(T).Name} seed {seed}: changed a gradient below the maximum norm");
            }

            return true;
        }

        double after = 0;
        double factor = D(maxNorm) / norm;
        for (int i = 0; i < n; i++)
        {
            after += D(g[i]) * D(g[i]);

            // Same direction: every element scaled by the same positive factor.
            if (!(Math.Abs(D(g[i]) - (factor * D(before[i]))) <= tol * (1 + Math.Abs(D(before[i])))))
            {
                throw new InvalidOperationException($"{typeof(T).Name} seed {seed}: element {i} is {D(g[i]):R}, expected {factor * D(before[i]):R}");
            }
        }

        after = Math.Sqrt(after);
        if (!(Math.Abs(after - D(maxNorm)) <= tol * D(maxNorm)))
        {
            throw new InvalidOperationException($"{typeof(T).Name} seed {seed}: norm after clipping {after:R}, maximum {D(maxNorm):R}");
        }

        return true;
    }

    [Fact]
    public void Overflowing_sum_of_squares_still_clips()
    {
        // Each square (1e40) overflows float, but the norm (2e20) does not.
        float[] g = [1e20f, -1e20f, 1e20f, 1e20f];
        float norm = GradientClipping.ClipByGlobalNorm<float>(g, 1f);
        Assert.Equal(2e20f, norm, 2e20f * 1e-6f);
        foreach (float v in g)
        {
            Assert.Equal(0.5f, Math.Abs(v), 1e-6f);
        }
    }

    [Fact]
    public void Non_finite_gradient_is_left_alone()
    {
        double[] g = [1, double.NaN, 3];
        Assert.True(double.IsNaN(GradientClipping.ClipByGlobalNorm<double>(g, 1.0)));
        Assert.Equal(3, g[2]);
        double[] h = [1, double.NegativeInfinity, 3];
        Assert.Equal(double.PositiveInfinity, GradientClipping.ClipByGlobalNorm<double>(h, 1.0));
        Assert.Equal(3, h[2]);
        Assert.Equal(0.0, GradientClipping.ClipByGlobalNorm<double>([], 1.0));
    }

    [Fact]
    public void Bad_maximum_is_refused()
    {
        foreach (double bad in (double[])[0, -1, double.NaN, double.PositiveInfinity])
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm<double>(new double[3], bad));
            Assert.Equal("maxNorm", e.ParamName);
            Assert.Equal(bad, e.ActualValue);
        }
    }
}
