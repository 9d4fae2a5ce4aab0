using System.Linq;
using FastBackprop.Cli.Plotting;
using Xunit;

namespace FastBackprop.Tests.Cli;

public class AxisScaleTests
{
    // Heckbert's nice numbers, worked by hand: the range 2.3 is niced upwards to 5, 5 / (6 - 1) = 1 rounds to the
    // step 1, and floor(0 / 1) .. ceil(2.3 / 1) gives the ticks 0, 1, 2, 3.
    [Fact]
    public void Ticks_are_round_numbers_covering_the_data()
    {
        AxisScale scale = AxisScale.Create(0, 2.3, targetTicks: 6);
        Assert.Equal(new[] { 0.0, 1, 2, 3 }, scale.Ticks().ToArray());
    }

    // Losses 0.0386 .. 0.311: range 0.2724 -> nice 0.5; 0.5 / 5 = 0.1 -> step 0.1; floor(0.0386/0.1) = 0, ceil(3.11) = 4.
    [Fact]
    public void Decimal_ranges_get_decimal_ticks_and_labels()
    {
        AxisScale scale = AxisScale.Create(0.0386, 0.311, targetTicks: 6);
        Assert.Equal(new[] { 0.0, 0.1, 0.2, 0.3, 0.4 }, scale.Ticks().ToArray());
        Assert.Equal("0.3", scale.Format(0.3));
    }

    // Epochs 1..8 with 8 ticks: range 7 -> nice 10; 10 / 7 = 1.43 rounds to 1: ticks 1..8.
    [Fact]
    public void Integer_axes_step_by_whole_numbers()
    {
        AxisScale scale = AxisScale.Create(1, 8, targetTicks: 8, integerSteps: true);
        Assert.Equal(new[] { 1.0, 2, 3, 4, 5, 6, 7, 8 }, scale.Ticks().ToArray());
        Assert.Equal("5", scale.Format(5));
        AxisScale one = AxisScale.Create(1, 1, targetTicks: 8, integerSteps: true);
        Assert.True(one.Min < 1 && one.Max > 1 && one.Step >= 1);
    }

    [Fact]
    public void Values_map_linearly_onto_pixels()
    {
        AxisScale scale = AxisScale.Create(0, 10, targetTicks: 6); // ticks 0, 2, ..., 10
        Assert.Equal(100.0, scale.Map(0, 100, 300), 12);
        Assert.Equal(300.0, scale.Map(10, 100, 300), 12);
        Assert.Equal(150.0, scale.Map(2.5, 100, 300), 12);
        Assert.Equal(275.0, scale.Map(2.5, 300, 200), 12); // a y axis runs downwards: a quarter of the way from 300 to 200
    }
}
