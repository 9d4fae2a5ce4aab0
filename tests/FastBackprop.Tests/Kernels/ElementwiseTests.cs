using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using FastBackprop.Kernels;
using FastBackprop.Kernels.Elementwise;
using FastBackprop.Kernels.Reductions;
using FastBackprop.Layers;
using Xunit;

namespace FastBackprop.Tests.Kernels;

/// <summary>
/// The elementwise and reduction kernels on every vector width (with its scalar tail) against scalar double
/// references, over every length 0..257, with NaN canaries past the end.
/// </summary>
public class ElementwiseTests
{
    const int MaxLength = 257;
    const int Canary = 9;

    public static TheoryData<Activation> Activations => [Activation.Identity, Activation.Sigmoid, Activation.Tanh, Activation.Relu, Activation.LeakyRelu];

    [Theory]
    [MemberData(nameof(Activations))]
    public void Activations_match_reference_on_every_width(Activation activation)
    {
        AllWidths<float>(activation, 2e-7);
        AllWidths<double>(activation, 1e-15);
    }

    static void AllWidths<T>(Activation activation, double tolerance)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Check<Vector512<T>, Simd512<T>, T>(activation, tolerance);
        Check<Vector256<T>, Simd256<T>, T>(activation, tolerance);
        Check<Vector128<T>, Simd128<T>, T>(activation, tolerance);
        Check<T, SimdScalar<T>, T>(activation, tolerance);
    }

    static void Check<TVec, TSimd, T>(Activation activation, double tolerance)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        switch (activation)
        {
            case Activation.Identity: Check<IdentityOp<T>, TVec, TSimd, T>(activation, tolerance); break;
            case Activation.Sigmoid: Check<SigmoidOp<T>, TVec, TSimd, T>(activation, tolerance); break;
            case Activation.Tanh: Check<TanhOp<T>, TVec, TSimd, T>(activation, tolerance); break;
            case Activation.Relu: Check<ReluOp<T>, TVec, TSimd, T>(activation, tolerance); break;
            case Activation.LeakyRelu: Check<LeakyReluOp<T>, TVec, TSimd, T>(activation, tolerance); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }

    static void Check<TOp, TVec, TSimd, T>(Activation activation, double tolerance)
        where TOp : struct, IActivationOp<T>
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(7);
        string what = $"{activation} {typeof(TVec).Name}";
        for (int n = 0; n <= MaxLength; n++)
        {
            // Inputs up to ±40 reach the saturated ends of sigmoid and tanh, where a naive formula makes NaN.
            T[] z = Random<T>(random, n, 40);
            T[] y = Canaried<T>(n);
            Activate.RunWith<TOp, TVec, TSimd, T>(z, y);
            for (int i = 0; i < n; i++)
            {
                AssertClose(Forward(activation, double.CreateChecked(z[i])), y[i], tolerance, $"{what} forward, length {n}, index {i}");
            }

            AssertCanary(y, n, what);

            // The derivative from the outputs: dy · f'(z).
            T[] dy = Random<T>(random, n, 2);
            T[] dz = Canaried<T>(n);
            dy.CopyTo(dz, 0);
            Elementwise.MultiplyByDerivativeWith<TOp, TVec, TSimd, T>(y.AsSpan(0, n), dz.AsSpan(0, n));
            for (int i = 0; i < n; i++)
            {
                double expected = double.CreateChecked(dy[i]) * Derivative(activation, double.CreateChecked(z[i]), double.CreateChecked(y[i]));
                AssertClose(expected, dz[i], tolerance * 4, $"{what} backward, length {n}, index {i}");
            }

            AssertCanary(dz, n, what);
        }

        // The fused bias + activation epilogue over rows of every width up to 67.
        for (int width = 1; width <= 67; width++)
        {
            const int Rows = 3;
            T[] bias = Random<T>(random, width, 1);
            T[] values = Canaried<T>(Rows * width);
            Random<T>(random, Rows * width, 5).CopyTo(values, 0);
            T[] before = (T[])values.Clone();
            Elementwise.AddBiasActivateWith<TOp, TVec, TSimd, T>(values.AsSpan(0, Rows * width), bias, Rows);
            for (int i = 0; i < Rows * width; i++)
            {
                double expected = Forward(activation, double.CreateChecked(before[i]) + double.CreateChecked(bias[i % width]));
                AssertClose(expected, values[i], tolerance * 4, $"{what} bias+activation, width {width}, index {i}");
            }

            AssertCanary(values, Rows * width, what);
        }
    }

    [Fact]
    public void Axpy_columnsums_and_finite_match_reference_on_every_width()
    {
        Reductions<Vector512<float>, Simd512<float>, float>();
        Reductions<Vector256<float>, Simd256<float>, float>();
        Reductions<Vector128<float>, Simd128<float>, float>();
        Reductions<float, SimdScalar<float>, float>();
        Reductions<Vector512<double>, Simd512<double>, double>();
        Reductions<Vector256<double>, Simd256<double>, double>();
        Reductions<Vector128<double>, Simd128<double>, double>();
        Reductions<double, SimdScalar<double>, double>();
    }

    static void Reductions<TVec, TSimd, T>()
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(3);
        double eps = typeof(T) == typeof(float) ? 1.2e-7 : 2.3e-16;
        string what = typeof(TVec).Name;
        for (int n = 0; n <= MaxLength; n++)
        {
            T[] x = Random<T>(random, n, 3);
            T[] y = Canaried<T>(n);
            Random<T>(random, n, 3).CopyTo(y, 0);
            T[] before = (T[])y.Clone();
            T alpha = T.CreateChecked(-0.37);
            Axpy.RunWith<TVec, TSimd, T>(alpha, x, y.AsSpan(0, n));
            for (int i = 0; i < n; i++)
            {
                double expected = double.CreateChecked(before[i]) + (-0.37 * double.CreateChecked(x[i]));
                AssertClose(expected, y[i], 8 * eps, $"axpy {what} length {n} index {i}");
            }

            AssertCanary(y, n, what);

            // Finite: a clean span, then a NaN or infinity at every position.
            Assert.Equal(-1, Finite.IndexOfNonFiniteWith<TVec, TSimd, T>(x));
            for (int bad = 0; bad < n; bad++)
            {
                T saved = x[bad];
                x[bad] = bad % 2 == 0 ? T.NaN : T.NegativeInfinity;
                Assert.Equal(bad, Finite.IndexOfNonFiniteWith<TVec, TSimd, T>(x));
                x[bad] = saved;
            }
        }

        foreach (int rows in (int[])[1, 2, 7])
        {
            for (int width = 1; width <= 67; width++)
            {
                T[] m = Random<T>(random, rows * width, 3);
                T[] sums = Canaried<T>(width);
                ColumnSums.RunWith<TVec, TSimd, T>(m, rows, sums.AsSpan(0, width));
                for (int j = 0; j < width; j++)
                {
                    double expected = 0;
                    for (int r = 0; r < rows; r++)
                    {
                        expected += double.CreateChecked(m[(r * width) + j]);
                    }

                    AssertClose(expected, sums[j], 3 * rows * 2 * eps, $"column sums {what} rows {rows} width {width} column {j}");
                }

                AssertCanary(sums, width, what);
            }
        }
    }

    static double Forward(Activation activation, double z) => activation switch
    {
        Activation.Identity => z,
        Activation.Sigmoid => 1 / (1 + Math.Exp(-z)),
        Activation.Tanh => Math.Tanh(z),
        Activation.Relu => Math.Max(z, 0),
        Activation.LeakyRelu => z > 0 ? z : LeakyReluSlope.Value * z,
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    // f'(z); the kernels read it off y, so ReLU-family kinks follow y's sign, as documented.
    static double Derivative(Activation activation, double z, double y) => activation switch
    {
        Activation.Identity => 1,
        Activation.Sigmoid => y * (1 - y),
        Activation.Tanh => 1 - (y * y),
        Activation.Relu => y > 0 ? 1 : 0,
        Activation.LeakyRelu => y > 0 ? 1 : LeakyReluSlope.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    static void AssertClose<T>(double expected, T actual, double tolerance, string what)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double got = double.CreateChecked(actual);
        Assert.True(Math.Abs(got - expected) <= tolerance * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {got:R}");
    }

    static T[] Random<T>(Random random, int n, double scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var values = new T[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = T.CreateChecked(((random.NextDouble() * 2) - 1) * scale);
        }

        return values;
    }

    static T[] Canaried<T>(int n)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var values = new T[n + Canary];
        values.AsSpan(n).Fill(T.NaN);
        return values;
    }

    static void AssertCanary<T>(T[] values, int n, string what)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = n; i < values.Length; i++)
        {
            Assert.True(T.IsNaN(values[i]), $"{what}: wrote past the end at {i - n}");
        }
    }
}
