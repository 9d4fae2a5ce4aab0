using System;
using FastBackprop.Kernels;
using Xunit;

namespace FastBackprop.Tests.Kernels;

/// <summary>
/// The inlined exponential of the tiny path, and the 1 + e^x that the sigmoid and tanh take from it, against
/// <see cref="Math.Exp"/> in double, measured in ulps of the result's own type: float over a sweep of bit patterns
/// covering every binade it can return, double over random arguments across its whole finite range and near 0.
/// </summary>
public class ScalarExpTests
{
    [Fact]
    public void Float_exp_is_within_half_an_ulp_of_the_exact_value()
    {
        double worst = WorstOverFloatSweep(FloatUlpError);

        // The routine's bound is 0.502 ulp before the final rounding of the double result to float.
        Assert.True(worst <= 0.51, $"worst error {worst} ulp");
    }

    [Fact]
    public void Double_exp_is_within_one_ulp_of_the_libm_value()
    {
        var random = new Random(12345);
        double worst = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            double wide = ((2 * random.NextDouble()) - 1) * 709;
            double small = Math.CopySign(Math.Pow(10, -20 + (20 * random.NextDouble())), random.NextDouble() - 0.5);
            worst = Math.Max(worst, Math.Max(DoubleUlpError(wide), DoubleUlpError(small)));
        }

        // Both this routine and libm's are documented to be within about 0.51 ulp of e^x, so they differ by ≤ 1.02.
        Assert.True(worst <= 1.02, $"worst difference {worst} ulp");
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1e-30f)]
    [InlineData(1f)]
    [InlineData(88.72f)]
    [InlineData(88.73f)]
    [InlineData(500f)]
    [InlineData(-87.5f)]
    [InlineData(-103.9f)]
    [InlineData(-104f)]
    [InlineData(-1000f)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    [InlineData(float.MaxValue)]
    [InlineData(float.NaN)]
    public void Float_edge_cases_match_MathF(float x)
    {
        float expected = MathF.Exp(x);
        float actual = ScalarExp.Exp(x);
        Assert.True(float.IsNaN(expected) ? float.IsNaN(actual) : FloatUlpError(x) <= 0.51, $"e^{x}: {actual}, expected {expected}");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-300)]
    [InlineData(1e-300)]
    [InlineData(708.0)]
    [InlineData(-708.0)]
    [InlineData(709.7)]
    [InlineData(710.0)]
    [InlineData(-745.0)]
    [InlineData(-746.0)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(double.NaN)]
    public void Double_edge_cases_match_Math(double x)
    {
        double expected = Math.Exp(x);
        double actual = ScalarExp.Exp(x);
        Assert.True(double.IsNaN(expected) ? double.IsNaN(actual) : DoubleUlpError(x) <= 1.02, $"e^{x}: {actual}, expected {expected}");
    }

    [Fact]
    public void Float_one_plus_exp_is_rounded_once()
    {
        // 1 + e^x, its 1 added inside the exponential's last multiply-add in double and rounded to float once:
        // within the exponential's 2^-30 of the exact sum before that rounding, so within 0.51 ulp after it.
        // The reference 1 + Math.Exp(x) in double is within 2^-52 of the exact sum.
        double worst = WorstOverFloatSweep(OnePlusExpUlpError);
        Assert.True(worst <= 0.51, $"worst error {worst} ulp");
    }

    [Theory]
    [InlineData(0f, 2f)]
    [InlineData(-1000f, 1f)]
    [InlineData(float.NegativeInfinity, 1f)]
    [InlineData(88.73f, float.PositiveInfinity)]
    [InlineData(float.PositiveInfinity, float.PositiveInfinity)]
    [InlineData(float.NaN, float.NaN)]
    public void Float_one_plus_exp_edge_cases(float x, float expected) =>
        Assert.Equal(expected, ScalarExp.OnePlusExp(x));

    [Fact]
    public void Double_one_plus_exp_is_within_two_ulps_of_the_libm_sum()
    {
        // 1 + ScalarExp.Exp(x), rounded once more: each of it and 1 + Math.Exp(x) is within 1.01 ulp of the exact
        // sum (0.51 ulp of e^x, which is at most an ulp of the sum, then the addition's rounding).
        var random = new Random(54321);
        double worst = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            double x = ((2 * random.NextDouble()) - 1) * 709;
            double expected = 1 + Math.Exp(x);
            double actual = ScalarExp.OnePlusExp<double>(x);
            worst = Math.Max(worst, Math.Abs(actual - expected) / (Math.BitIncrement(expected) - expected));
        }

        Assert.True(worst <= 2.02, $"worst difference {worst} ulp");
        Assert.Equal(2.0, ScalarExp.OnePlusExp<double>(0));
        Assert.True(double.IsNaN(ScalarExp.OnePlusExp<double>(double.NaN)));
    }

    [Fact]
    public void Generic_entry_point_is_the_typed_one()
    {
        Assert.Equal(ScalarExp.Exp(-1.25f), ScalarExp.Exp<float>(-1.25f));
        Assert.Equal(ScalarExp.Exp(-1.25), ScalarExp.Exp<double>(-1.25));
        Assert.Equal(ScalarExp.OnePlusExp(-1.25f), ScalarExp.OnePlusExp<float>(-1.25f));
    }

    // The largest error over the floats from -104 (below which e^x rounds to 0) to 104 (e^x is +inf from 89),
    // every 61st bit pattern of each sign.
    static double WorstOverFloatSweep(Func<float, double> error)
    {
        double worst = 0;
        for (uint bits = 0; bits <= 0x42D0_0000u; bits += 61)
        {
            worst = Math.Max(worst, error(BitConverter.UInt32BitsToSingle(bits)));
            worst = Math.Max(worst, error(BitConverter.UInt32BitsToSingle(bits | 0x8000_0000u)));
        }

        return worst;
    }

    // |ScalarExp(x) - e^x| in ulps of the float nearest e^x (its subnormal spacing below the normal range).
    static double FloatUlpError(float x)
    {
        double exact = Math.Exp(x);
        float actual = ScalarExp.Exp(x);
        float rounded = (float)exact;
        if (float.IsInfinity(rounded) || rounded == 0)
        {
            return actual == rounded ? 0 : double.PositiveInfinity;
        }

        double ulp = Math.Max(Math.ScaleB(1.0, Math.ILogB(rounded) - 23), Math.ScaleB(1.0, -149));
        return Math.Abs(actual - exact) / ulp;
    }

    // |OnePlusExp(x) - (1 + e^x)| in ulps of the float nearest 1 + e^x.
    static double OnePlusExpUlpError(float x)
    {
        double exact = 1 + Math.Exp(x);
        float actual = ScalarExp.OnePlusExp(x);
        float rounded = (float)exact;
        if (float.IsInfinity(rounded))
        {
            return actual == rounded ? 0 : double.PositiveInfinity;
        }

        return Math.Abs(actual - exact) / Math.ScaleB(1.0, Math.ILogB(rounded) - 23);
    }

    static double DoubleUlpError(double x)
    {
        double expected = Math.Exp(x);
        double actual = ScalarExp.Exp(x);
        if (double.IsInfinity(expected) || expected == 0)
        {
            return actual == expected ? 0 : double.PositiveInfinity;
        }

        return Math.Abs(actual - expected) / (Math.BitIncrement(expected) - expected);
    }
}
