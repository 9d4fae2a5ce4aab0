using System;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using Xunit;

namespace FastBackprop.Tests.Networks;

/// <summary>
/// The seeds' 2-2-2 network steps one sample through a path of its own (<c>TinyNetwork.TwoTwoTwo</c>), whose
/// checks are one combined test (the four sample values as one vector, the learning rate as one comparison of its
/// bits): it must refuse what the general step refuses, with the general step's exception (the first failing check,
/// in the same order), and change nothing.
/// </summary>
public class TwoTwoTwoBadInputTests
{
    readonly Network<float> _net = Seeds<float>();
    readonly Workspace<float> _ws;
    readonly float[] _x = [0.05f, 0.10f];
    readonly float[] _t = [0.01f, 0.99f];

    public TwoTwoTwoBadInputTests()
    {
        _ws = _net.CreateWorkspace(2);
        _net.TrainStep(_x, _t, _ws, 0.5f);
    }

    [Fact]
    public void Null_workspace() =>
        Assert.Equal("workspace", Assert.Throws<ArgumentNullException>(() => _net.TrainStep(_x, _t, null!, 0.5f)).ParamName);

    [Fact]
    public void Workspace_of_another_network_of_the_same_shape()
    {
        Network<float> twin = Seeds<float>();
        Rejected(() => _net.TrainStep(_x, _t, twin.CreateWorkspace(1), 0.5f), "workspace", "this network", "another network");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void Targets_of_the_wrong_length(int length) =>
        Rejected(() => _net.TrainStep(_x, new float[length], _ws, 0.5f), "targets", "1 x 2 = 2 targets", length.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("inputs", 0, float.NaN)]
    [InlineData("inputs", 1, float.PositiveInfinity)]
    [InlineData("inputs", 1, float.NegativeInfinity)]
    [InlineData("targets", 0, float.NaN)]
    [InlineData("targets", 1, float.PositiveInfinity)]
    [InlineData("targets", 0, float.NegativeInfinity)]
    public void Non_finite_sample_values(string argument, int column, float bad)
    {
        float[] x = [.. _x], t = [.. _t];
        (argument == "inputs" ? x : t)[column] = bad;
        Rejected(() => _net.TrainStep(x, t, _ws, 0.5f), argument, "finite", $"row 0, column {column}");
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-0.5f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Learning_rate_that_is_not_positive_and_finite(float rate) =>
        Rejected(() => _net.TrainStep(_x, _t, _ws, rate), "learningRate", "positive, finite", rate.ToString(System.Globalization.CultureInfo.CurrentCulture));

    [Fact]
    public void Learning_rate_of_negative_zero() =>
        Rejected(() => _net.TrainStep(_x, _t, _ws, -0f), "learningRate", "positive, finite", "-0");

    // The combined test reads the sample as one vector of four floats or doubles: each position must count.
    [Theory]
    [InlineData("inputs", 0)]
    [InlineData("inputs", 1)]
    [InlineData("targets", 0)]
    [InlineData("targets", 1)]
    public void Non_finite_values_are_refused_in_every_position_in_float_and_double(string argument, int column)
    {
        RefusedInEveryPosition<float>(argument, column);
        RefusedInEveryPosition<double>(argument, column);
    }

    [Fact]
    public void Learning_rates_that_are_not_positive_and_finite_are_refused_in_float_and_double()
    {
        LearningRatesRefused<float>();
        LearningRatesRefused<double>();
    }

    static void RefusedInEveryPosition<T>(string argument, int column)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        Network<T> net = Seeds<T>();
        Workspace<T> ws = net.CreateWorkspace(1);
        T half = T.CreateChecked(0.5);
        T[] before = net.Parameters.ToArray();
        foreach (T bad in new[] { T.NaN, T.PositiveInfinity, T.NegativeInfinity })
        {
            T[] x = [half, half], t = [half, half];
            (argument == "inputs" ? x : t)[column] = bad;
            ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => net.TrainStep(x, t, ws, half));
            Assert.Equal(argument, e.ParamName);
            Assert.Contains($"row 0, column {column}", e.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, net.Parameters.ToArray());
    }

    static void LearningRatesRefused<T>()
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        Network<T> net = Seeds<T>();
        Workspace<T> ws = net.CreateWorkspace(1);
        T half = T.CreateChecked(0.5);
        T[] before = net.Parameters.ToArray();
        // T.NaN has its sign bit set; a NaN without it, and one with a payload, come just above +∞'s bits.
        T positiveNaN = typeof(T) == typeof(float) ? T.CreateTruncating(BitConverter.UInt32BitsToSingle(0x7FC00000)) : T.CreateTruncating(BitConverter.UInt64BitsToDouble(0x7FF8000000000000));
        T payloadNaN = typeof(T) == typeof(float) ? T.CreateTruncating(BitConverter.UInt32BitsToSingle(0x7F800001)) : T.CreateTruncating(BitConverter.UInt64BitsToDouble(0x7FF0000000000001));
        foreach (T rate in new[] { T.Zero, T.NegativeZero, -T.Epsilon, -half, T.NaN, positiveNaN, payloadNaN, T.PositiveInfinity, T.NegativeInfinity })
        {
            Assert.Equal("learningRate", Assert.ThrowsAny<ArgumentException>(() => net.TrainStep([half, half], [half, half], ws, rate)).ParamName);
        }

        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void The_first_failing_check_is_the_one_reported()
    {
        // The workspace first, then inputs, targets and the learning rate, as the general step checks them.
        Assert.Equal("workspace", Assert.Throws<ArgumentNullException>(() => _net.TrainStep([float.NaN, 0f], new float[3], null!, -1f)).ParamName);
        Network<float> twin = Seeds<float>();
        Rejected(() => _net.TrainStep([float.NaN, 0f], new float[3], twin.CreateWorkspace(1), -1f), "workspace", "this network", "another network");
        Rejected(() => _net.TrainStep([float.NaN, 0f], new float[3], _ws, -1f), "inputs", "finite", "row 0, column 0");
        Rejected(() => _net.TrainStep(_x, [float.NaN, 0f], _ws, -1f), "targets", "finite", "row 0, column 0");
        Rejected(() => _net.TrainStep(_x, new float[3], _ws, float.NaN), "targets", "1 x 2 = 2 targets", "3");
    }

    [Fact]
    public void A_busy_workspace()
    {
        float[] parameters = _net.Parameters.ToArray();
        _ws.Acquire();
        Assert.Contains("another call is running", Assert.Throws<InvalidOperationException>(() => _net.TrainStep(_x, _t, _ws, 0.5f)).Message, StringComparison.Ordinal);

        // The refused call left the other call's claim in place: a second one is refused too.
        Assert.Throws<InvalidOperationException>(() => _net.TrainStep(_x, _t, _ws, 0.5f));
        _ws.Release();
        Assert.Equal(parameters, _net.Parameters.ToArray());

        // The refused call released nothing it had not taken: the workspace still serves the next step.
        _net.TrainStep(_x, _t, _ws, 0.5f);
        Assert.NotEqual(parameters, _net.Parameters.ToArray());
    }

    // Values at the edges of what the checks let through (signed zeros, the smallest subnormal, the largest finite
    // value, the smallest positive learning rate) must pass the combined test as they pass the general checks: a
    // stricter test would throw UnreachableException from a valid step.
    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("smallest subnormal")]
    [InlineData("largest finite")]
    public void Values_at_the_edges_of_finite_are_accepted(string edge)
    {
        Accepted(Edge<float>(edge));
        Accepted(Edge<double>(edge));
    }

    static T Edge<T>(string edge)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> => edge switch
        {
            "0" => T.Zero,
            "-0" => T.NegativeZero,
            "smallest subnormal" => T.Epsilon,
            _ => typeof(T) == typeof(float) ? T.CreateChecked(float.MaxValue) : T.CreateChecked(double.MaxValue),
        };

    static void Accepted<T>(T edge)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        Network<T> net = Seeds<T>();
        Workspace<T> ws = net.CreateWorkspace(1);
        T half = T.CreateChecked(0.5);
        net.TrainStep([edge, half], [half, half], ws, half);
        net.TrainStep([half, half], [edge, half], ws, half);
        net.TrainStep([half, half], [half, half], ws, T.Epsilon);
        net.TrainStep([half, half], [half, half], ws, typeof(T) == typeof(float) ? T.CreateChecked(float.MaxValue) : T.CreateChecked(double.MaxValue));
    }

    // The seeds' shape: 2 inputs, 2 sigmoid hidden units, 2 sigmoid outputs, squared error.
    static Network<T> Seeds<T>()
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> =>
        new(2, Loss.SquaredError, new LayerSpec(2, Activation.Sigmoid), new LayerSpec(2, Activation.Sigmoid));

    void Rejected(Action call, string parameter, string expected, string actual)
    {
        float[] parameters = _net.Parameters.ToArray();
        float[] hidden = _ws.Outputs(0, 1).ToArray(), outputs = _ws.Outputs(1, 1).ToArray(), logits = _ws.Logits(1).ToArray();
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains(actual, e.Message, StringComparison.Ordinal);
        Assert.Equal(parameters, _net.Parameters.ToArray());
        Assert.Equal(hidden, _ws.Outputs(0, 1).ToArray());
        Assert.Equal(outputs, _ws.Outputs(1, 1).ToArray());
        Assert.Equal(logits, _ws.Logits(1).ToArray());

        // The refusal left the workspace idle: the next step runs.
        _net.TrainStep(_x, _t, _ws, 0.5f);
    }
}
