using System;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using Xunit;

namespace FastBackprop.Tests.Networks;

/// <summary>
/// Bad input gets an ArgumentException that says what was expected and what came, and nothing is modified:
/// neither the parameters nor the gradients of an earlier step.
/// </summary>
public class BadInputTests
{
    readonly Network<float> _net = new(3, Loss.SoftmaxCrossEntropy, new LayerSpec(4, Activation.Sigmoid), new LayerSpec(2, Activation.Softmax));
    readonly Workspace<float> _ws;
    readonly float[] _x = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f];
    readonly float[] _t = [1, 0, 0, 1];

    public BadInputTests()
    {
        _ws = _net.CreateWorkspace(2);
        _net.ComputeGradients(_x, _t, _ws);
    }

    [Fact]
    public void Inputs_that_are_not_whole_samples() =>
        Rejected(() => _net.TrainStep(_x.AsSpan(0, 5), _t, _ws, 0.1f), "inputs", "samples of 3 inputs", "5");

    [Fact]
    public void Empty_inputs() =>
        Rejected(() => _net.TrainStep(ReadOnlySpan<float>.Empty, _t, _ws, 0.1f), "inputs", "at least 1", "0");

    [Fact]
    public void Targets_of_the_wrong_length() =>
        Rejected(() => _net.TrainStep(_x, _t.AsSpan(0, 3), _ws, 0.1f), "targets", "2 x 2 = 4 targets", "3");

    [Fact]
    public void Batch_larger_than_the_workspace()
    {
        float[] x = new float[9];
        float[] t = [1, 0, 1, 0, 1, 0];
        Rejected(() => _net.TrainStep(x, t, _ws, 0.1f), "inputs", "at most 2 samples", "3");
    }

    [Fact]
    public void Workspace_of_another_network()
    {
        var other = new Network<float>(3, Loss.SoftmaxCrossEntropy, new LayerSpec(4, Activation.Sigmoid), new LayerSpec(2, Activation.Softmax));
        Rejected(() => _net.TrainStep(_x, _t, other.CreateWorkspace(2), 0.1f), "workspace", "this network", "another network");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Non_finite_inputs(float bad)
    {
        float[] x = (float[])_x.Clone();
        x[4] = bad;
        Rejected(() => _net.TrainStep(x, _t, _ws, 0.1f), "inputs", "finite", "row 1, column 1");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Non_finite_targets(float bad)
    {
        float[] t = (float[])_t.Clone();
        t[3] = bad;
        Rejected(() => _net.TrainStep(_x, t, _ws, 0.1f), "targets", "finite", "row 1, column 1");
    }

    [Fact]
    public void Cross_entropy_targets_outside_0_1()
    {
        float[] t = [1.5f, 0, 0, 1];
        Rejected(() => _net.TrainStep(_x, t, _ws, 0.1f), "targets", "[0, 1]", "1.5");
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Learning_rate_that_is_not_positive_and_finite(float rate)
    {
        Rejected(() => _net.TrainStep(_x, _t, _ws, rate), "learningRate", "positive, finite", rate.ToString(System.Globalization.CultureInfo.CurrentCulture));
        Rejected(() => _net.ApplyGradients(_ws, rate), "learningRate", "positive, finite", rate.ToString(System.Globalization.CultureInfo.CurrentCulture));
    }

    [Fact]
    public void Outputs_and_input_gradient_spans_of_the_wrong_length()
    {
        Rejected(() => _net.Predict(_x, new float[3], _ws), "outputs", "2 x 2 = 4 outputs", "3");
        Rejected(() => _net.ComputeGradients(_x, _t, _ws, new float[5]), "inputGradient", "2 x 3 = 6", "5");
    }

    [Fact]
    public void Bad_architectures_are_refused_with_reasons()
    {
        Assert.Contains("at least 1 input", Assert.Throws<ArgumentOutOfRangeException>(() => new Network<float>(0, Loss.SquaredError, new LayerSpec(1, Activation.Identity))).Message, StringComparison.Ordinal);
        Assert.Contains("at least one layer", Assert.Throws<ArgumentException>(() => new Network<float>(2, Loss.SquaredError)).Message, StringComparison.Ordinal);
        Assert.Contains("at least 1 unit in layer 1", Assert.Throws<ArgumentException>(() => new Network<float>(2, Loss.SquaredError, new LayerSpec(3, Activation.Tanh), new LayerSpec(0, Activation.Identity))).Message, StringComparison.Ordinal);
        Assert.Contains("only for the output layer", Assert.Throws<ArgumentException>(() => new Network<float>(2, Loss.SquaredError, new LayerSpec(3, Activation.Softmax), new LayerSpec(1, Activation.Identity))).Message, StringComparison.Ordinal);
        Assert.Contains("expects a Softmax output layer, but the output layer uses Sigmoid", Assert.Throws<ArgumentException>(() => new Network<float>(2, Loss.SoftmaxCrossEntropy, new LayerSpec(3, Activation.Sigmoid))).Message, StringComparison.Ordinal);
        Assert.Contains("expects a Sigmoid output layer", Assert.Throws<ArgumentException>(() => new Network<float>(2, Loss.SigmoidBinaryCrossEntropy, new LayerSpec(3, Activation.Tanh))).Message, StringComparison.Ordinal);
        Assert.Contains("Half is not supported", Assert.Throws<NotSupportedException>(() => new Network<Half>(2, Loss.SquaredError, new LayerSpec(1, Activation.Identity))).Message, StringComparison.Ordinal);
        Assert.Contains("maximum batch size of at least 1", Assert.Throws<ArgumentOutOfRangeException>(() => _net.CreateWorkspace(0)).Message, StringComparison.Ordinal);
    }

    void Rejected(Action call, string parameter, string expected, string actual)
    {
        float[] parameters = _net.Parameters.ToArray();
        float[] gradients = _ws.Gradients.ToArray();
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains(actual, e.Message, StringComparison.Ordinal);
        Assert.Equal(parameters, _net.Parameters.ToArray());
        Assert.Equal(gradients, _ws.Gradients.ToArray());
    }
}
