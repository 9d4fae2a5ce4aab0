using System;
using FastBackprop.Training;
using Xunit;

namespace FastBackprop.Tests.Training;

/// <summary>A dataset refuses inconsistent or non-finite data, naming where the bad value is.</summary>
public class DatasetTests
{
    [Fact]
    public void A_nan_feature_is_named_by_row_and_column()
    {
        double[] x = [0, 0, 1, 1, 2, double.NaN];
        var e = Assert.Throws<ArgumentException>(() => new Dataset<double>(x, [0, 1, 0], 2, 1));
        Assert.Contains("row 2, column 1", e.Message);
        Assert.Equal("features", e.ParamName);
    }

    [Fact]
    public void An_infinite_target_is_named_by_row_and_column()
    {
        float[] t = [0, 1, 1, float.PositiveInfinity];
        var e = Assert.Throws<ArgumentException>(() => new Dataset<float>([1, 2], t, 1, 2));
        Assert.Contains("row 1, column 1", e.Message);
        Assert.Equal("targets", e.ParamName);
    }

    [Fact]
    public void Inconsistent_lengths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new Dataset<double>([1, 2, 3], [0], 2, 1));
        Assert.Throws<ArgumentException>(() => new Dataset<double>([1, 2, 3, 4], [0], 2, 1));
        Assert.Throws<ArgumentException>(() => new Dataset<double>([], [], 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset<double>([1], [1], 0, 1));
    }

    [Fact]
    public void Class_labels_become_one_hot_rows()
    {
        Dataset<double> d = Dataset<double>.FromClassLabels([1, 2, 3], 1, [2, 0, 1], 3);
        Assert.Equal(3, d.SampleCount);
        Assert.Equal(3, d.OutputCount);
        Assert.Equal([0, 0, 1, 1, 0, 0, 0, 1, 0], d.Targets.ToArray());
        Assert.Equal([2.0], d.FeatureRow(1).ToArray());
        var e = Assert.Throws<ArgumentException>(() => Dataset<double>.FromClassLabels([1, 2], 1, [0, 3], 3));
        Assert.Contains("labels[1] (row 1) is 3", e.Message);
    }
    [Fact]
    public void Jagged_rows_are_copied_and_a_ragged_row_is_named()
    {
        double[][] x = [[1, 2], [3, 4], [5, 6]];
        double[][] t = [[0], [1], [0]];
        var d = new Dataset<double>(x, t);
        Assert.Equal(3, d.SampleCount);
        Assert.Equal(2, d.InputCount);
        Assert.Equal(1, d.OutputCount);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], d.Features.ToArray());

        var ragged = Assert.Throws<ArgumentException>(() => new Dataset<double>([[1, 2], [3, 4], [5]], t));
        Assert.Equal("features", ragged.ParamName);
        Assert.Contains("row 2 has 1 columns, expected 2", ragged.Message);
        var raggedTarget = Assert.Throws<ArgumentException>(() => new Dataset<double>(x, [[0], [1, 1], [0]]));
        Assert.Contains("row 1 has 2 columns, expected 1", raggedTarget.Message);
        Assert.Throws<ArgumentException>(() => new Dataset<double>(x, [[0], [1]]));
        Assert.Throws<ArgumentNullException>(() => new Dataset<double>([[1, 2], null!, [5, 6]], t));
        var nan = Assert.Throws<ArgumentException>(() => new Dataset<double>([[1, 2], [3, double.PositiveInfinity], [5, 6]], t));
        Assert.Contains("row 1, column 1", nan.Message);
    }
}
