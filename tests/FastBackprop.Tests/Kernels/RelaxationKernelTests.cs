using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using FastBackprop.Kernels;
using FastBackprop.Kernels.Elementwise;
using FastBackprop.Kernels.Reductions;
using Xunit;

namespace FastBackprop.Tests.Kernels;

/// <summary>
/// The two kernels of a fixed-point iteration, the residual max |a − b| and the damped step x ← x + d·(t − x),
/// on every vector width (with its scalar tail) against scalar double references, over every length 0..257.
/// </summary>
public class RelaxationKernelTests
{
    const int MaxLength = 257;

    [Fact]
    public void Max_abs_difference_matches_reference_on_every_width()
    {
        MaxAbsDifferenceAllWidths<float>();
        MaxAbsDifferenceAllWidths<double>();
    }

    [Fact]
    public void Damped_step_matches_reference_on_every_width()
    {
        DampedStepAllWidths<float>(1e-6);
        DampedStepAllWidths<double>(1e-15);
    }

    [Fact]
    public void Max_abs_difference_is_nan_when_any_element_is_nan_or_infinite()
    {
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            for (int n = 1; n <= 70; n++)
            {
                for (int at = 0; at < n; at += Math.Max(1, n / 5))
                {
                    double[] a = new double[n];
                    double[] b = new double[n];
                    a[at] = bad;
                    Assert.True(double.IsNaN(MaxAbsDifference.Run<double>(a, b)), $"length {n}, {bad} at {at}");
                    Assert.True(double.IsNaN(MaxAbsDifference.RunWith<Vector256<double>, Simd256<double>, double>(b, a)), $"length {n}, {bad} at {at} (V256)");
                    Assert.True(float.IsNaN(MaxAbsDifference.RunWith<Vector512<float>, Simd512<float>, float>(Array.ConvertAll(a, v => (float)v), new float[n])), $"length {n}, {bad} at {at} (V512 float)");
                }
            }
        }
    }

    static void MaxAbsDifferenceAllWidths<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        MaxAbsDifferenceCheck<Vector512<T>, Simd512<T>, T>();
        MaxAbsDifferenceCheck<Vector256<T>, Simd256<T>, T>();
        MaxAbsDifferenceCheck<Vector128<T>, Simd128<T>, T>();
        MaxAbsDifferenceCheck<T, SimdScalar<T>, T>();
        MaxAbsDifferenceCheck<T, SimdScalar<T>, T>(dispatch: true);
    }

    static void MaxAbsDifferenceCheck<TVec, TSimd, T>(bool dispatch = false)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(3);
        for (int n = 0; n <= MaxLength; n++)
        {
            T[] a = Random<T>(random, n);
            T[] b = Random<T>(random, n);
            double expected = 0;
            for (int i = 0; i < n; i++)
            {
                expected = Math.Max(expected, Math.Abs(double.CreateChecked(a[i]) - double.CreateChecked(b[i])));
            }

            // The maximum of exactly computed differences: only the subtraction rounds.
            T actual = dispatch ? MaxAbsDifference.Run<T>(a, b) : MaxAbsDifference.RunWith<TVec, TSimd, T>(a, b);
            Assert.True(Math.Abs(double.CreateChecked(actual) - expected) <= 1e-7 * expected, $"{typeof(TVec).Name} length {n}: expected {expected:R}, got {actual}");
        }
    }

    static void DampedStepAllWidths<T>(double tolerance)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        DampedStepCheck<Vector512<T>, Simd512<T>, T>(tolerance);
        DampedStepCheck<Vector256<T>, Simd256<T>, T>(tolerance);
        DampedStepCheck<Vector128<T>, Simd128<T>, T>(tolerance);
        DampedStepCheck<T, SimdScalar<T>, T>(tolerance);
        DampedStepCheck<T, SimdScalar<T>, T>(tolerance, dispatch: true);
    }

    static void DampedStepCheck<TVec, TSimd, T>(double tolerance, bool dispatch = false)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(5);
        T damping = T.CreateChecked(0.3);
        for (int n = 0; n <= MaxLength; n++)
        {
            T[] target = Random<T>(random, n);
            T[] x = new T[n + 9];
            Random<T>(random, n).CopyTo(x, 0);
            x.AsSpan(n).Fill(T.NaN);
            double[] expected = new double[n];
            for (int i = 0; i < n; i++)
            {
                double xi = double.CreateChecked(x[i]);
                expected[i] = xi + (0.3 * (double.CreateChecked(target[i]) - xi));
            }

            if (dispatch)
            {
                DampedStep.Run<T>(target, damping, x.AsSpan(0, n));
            }
            else
            {
                DampedStep.RunWith<TVec, TSimd, T>(target, damping, x.AsSpan(0, n));
            }

            for (int i = 0; i < n; i++)
            {
                Assert.True(Math.Abs(double.CreateChecked(x[i]) - expected[i]) <= tolerance, $"{typeof(TVec).Name} length {n} index {i}: expected {expected[i]:R}, got {x[i]}");
            }

            for (int i = n; i < x.Length; i++)
            {
                Assert.True(T.IsNaN(x[i]), $"{typeof(TVec).Name} length {n}: wrote past the end at {i - n}");
            }
        }
    }

    static T[] Random<T>(Random random, int n)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var values = new T[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = T.CreateChecked((random.NextDouble() * 4) - 2);
        }

        return values;
    }
}
