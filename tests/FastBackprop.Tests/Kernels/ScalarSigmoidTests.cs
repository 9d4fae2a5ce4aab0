using System;
using FastBackprop.Kernels;
using FastBackprop.Kernels.Elementwise;
using Xunit;

namespace FastBackprop.Tests.Kernels;

/// <summary>
/// The scalar float sigmoid: a table of cubics over [-16, 18], the exponential formula outside it. Both against
/// 1 / (1 + e^-z) in double, in ulps of the exact value (an exhaustive sweep of the table's 2.2 billion floats, run
/// once by hand, found 1.774 ulp at worst; these tests sweep every 401st float, and every row's edges), and the
/// seams between them.
/// </summary>
public class ScalarSigmoidTests
{
    // Exhaustive sweeps found 1.774 ulp with hardware FMA and 1.788 without (each multiply-add then rounds twice).
    const double TableBound = 1.79;

    [Fact]
    public void Table_is_within_its_bound_over_its_range()
    {
        double worst = 0;
        float at = 0;
        for (uint bits = 0; bits <= BitConverter.SingleToUInt32Bits(18f); bits += 401)
        {
            Measure(BitConverter.UInt32BitsToSingle(bits), ref worst, ref at);
            if (bits <= BitConverter.SingleToUInt32Bits(16f))
            {
                Measure(-BitConverter.UInt32BitsToSingle(bits), ref worst, ref at);
            }
        }

        Assert.True(worst <= TableBound, $"worst error {worst} ulp at z = {at:R}");

        static void Measure(float z, ref double worst, ref float at)
        {
            Assert.True(ScalarSigmoid.Covers(z), $"{z:R} is in [-16, 18]");
            double error = UlpError(z, ScalarSigmoid.Tabulated(z));
            if (error > worst)
            {
                worst = error;
                at = z;
            }
        }
    }

    [Fact]
    public void Every_row_is_right_at_its_centre_and_both_ends()
    {
        // The row boundaries, where the rounded index changes, are where a wrong row or offset would show first.
        for (int k = -256; k <= 288; k++)
        {
            float centre = k / 16f;
            foreach (float z in new[] { centre, centre - (1f / 32), centre + (1f / 32), MathF.BitDecrement(centre - (1f / 32)), MathF.BitIncrement(centre + (1f / 32)) })
            {
                if (ScalarSigmoid.Covers(z))
                {
                    double error = UlpError(z, ScalarSigmoid.Tabulated(z));
                    Assert.True(error <= TableBound, $"σ({z:R}): {error} ulp");
                }
            }
        }
    }

    [Fact]
    public void Exponential_formula_is_within_one_and_a_half_ulps_outside_the_table()
    {
        // Below -87.3 the sigmoid is subnormal, and below -88.7 the formula gives 0 for it (checked apart below).
        double worst = 0;
        for (uint bits = BitConverter.SingleToUInt32Bits(16f); bits <= BitConverter.SingleToUInt32Bits(104f); bits += 401)
        {
            float z = BitConverter.UInt32BitsToSingle(bits);
            if (!ScalarSigmoid.Covers(z))
            {
                worst = Math.Max(worst, UlpError(z, Forward(z)));
            }

            if (-z >= -87f && !ScalarSigmoid.Covers(-z))
            {
                worst = Math.Max(worst, UlpError(-z, Forward(-z)));
            }
        }

        Assert.True(worst <= 1.5, $"worst error {worst} ulp");
    }

    [Theory]
    [InlineData(-16f, true)]
    [InlineData(18f, true)]
    [InlineData(0f, true)]
    [InlineData(-1e-30f, true)]
    [InlineData(float.NaN, false)]
    [InlineData(float.PositiveInfinity, false)]
    [InlineData(float.NegativeInfinity, false)]
    public void Covers_the_closed_range_and_nothing_else(float z, bool expected)
    {
        Assert.Equal(expected, ScalarSigmoid.Covers(z));
        Assert.False(ScalarSigmoid.Covers(MathF.BitDecrement(-16f)));
        Assert.False(ScalarSigmoid.Covers(MathF.BitIncrement(18f)));
    }

    // Covers is |z - 1| <= 17, which must agree with the two comparisons it stands for on every float: a sweep of
    // the bit patterns, and every float within 2^16 steps of each end of the range, both signs of them.
    [Fact]
    public void Covers_agrees_with_two_comparisons()
    {
        for (ulong bits = 0; bits <= uint.MaxValue; bits += 4099)
        {
            Agrees(BitConverter.UInt32BitsToSingle((uint)bits));
        }

        foreach (float end in new[] { -16f, 18f, 16f, -18f, 32f, -32f })
        {
            uint centre = BitConverter.SingleToUInt32Bits(end);
            for (uint step = 0; step <= 1 << 16; step++)
            {
                Agrees(BitConverter.UInt32BitsToSingle(centre + step));
                Agrees(BitConverter.UInt32BitsToSingle(centre - step));
            }
        }

        static void Agrees(float z) => Assert.True(ScalarSigmoid.Covers(z) == (z >= -16f && z <= 18f), $"{z:R}");
    }

    [Theory]
    [InlineData(float.NegativeInfinity, 0f)]
    [InlineData(-1000f, 0f)]
    [InlineData(-89f, 0f)]
    [InlineData(1000f, 1f)]
    [InlineData(float.PositiveInfinity, 1f)]
    [InlineData(0f, 0.5f)]
    public void Scalar_forward_saturates_without_NaN(float z, float expected) => Assert.Equal(expected, Forward(z));

    [Fact]
    public void Scalar_forward_keeps_NaN() => Assert.True(float.IsNaN(Forward(float.NaN)));

    [Fact]
    public void Scalar_forward_is_the_table_inside_and_the_formula_outside()
    {
        var random = new Random(3);
        for (int i = 0; i < 100_000; i++)
        {
            float z = (float)((random.NextDouble() * 80) - 40);
            float expected = ScalarSigmoid.Covers(z) ? ScalarSigmoid.Tabulated(z) : ScalarSigmoid.Exponential(z);
            Assert.Equal(expected, Forward(z));
        }
    }

    [Fact]
    public void Fast_scalar_forms_equal_the_scalar_forward_where_they_cover()
    {
        var random = new Random(4);
        for (int i = 0; i < 10_000; i++)
        {
            double z = (random.NextDouble() * 80) - 40;
            FastFormAgrees<IdentityOp<float>, float>((float)z);
            FastFormAgrees<SigmoidOp<float>, float>((float)z);
            FastFormAgrees<TanhOp<float>, float>((float)z);
            FastFormAgrees<ReluOp<float>, float>((float)z);
            FastFormAgrees<LeakyReluOp<float>, float>((float)z);
            FastFormAgrees<IdentityOp<double>, double>(z);
            FastFormAgrees<SigmoidOp<double>, double>(z);
            FastFormAgrees<TanhOp<double>, double>(z);
            FastFormAgrees<ReluOp<double>, double>(z);
            FastFormAgrees<LeakyReluOp<double>, double>(z);
        }

        // Only the float sigmoid has a range; every other form covers every z.
        Assert.False(SigmoidOp<float>.ScalarFastCovers(20f));
        Assert.True(SigmoidOp<double>.ScalarFastCovers(20.0));
        Assert.True(TanhOp<float>.ScalarFastCovers(float.NaN));
    }

    static void FastFormAgrees<TOp, T>(T z)
        where TOp : IActivationOp<T>
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        if (TOp.ScalarFastCovers(z))
        {
            Assert.Equal(TOp.Forward<T, SimdScalar<T>>(z), TOp.ForwardScalarFast(z));
        }
    }

    static float Forward(float z) => SigmoidOp<float>.Forward<float, SimdScalar<float>>(z);

    // |actual - σ(z)| in ulps of σ(z): the spacing of the floats in σ(z)'s binade (so 2^-24 just below 1).
    static double UlpError(float z, float actual)
    {
        double exact = 1 / (1 + Math.Exp(-(double)z));
        double ulp = Math.ScaleB(1.0, Math.ILogB(exact) - 23);
        return Math.Abs(actual - exact) / ulp;
    }
}
