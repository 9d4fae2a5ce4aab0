using System;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Recurrent.FixedPoint;
using Xunit;

namespace FastBackprop.Tests.Recurrent.FixedPoint;

/// <summary>Bad arguments throw an ArgumentException naming the parameter, and leave network and workspace as they were.</summary>
public class FixedPointBadInputTests
{
    [Theory]
    [InlineData(0, 1, 1, Activation.Tanh, Loss.SquaredError, "units")]
    [InlineData(3, 0, 1, Activation.Tanh, Loss.SquaredError, "inputs")]
    [InlineData(3, 1, 0, Activation.Tanh, Loss.SquaredError, "outputs")]
    [InlineData(3, 1, 4, Activation.Tanh, Loss.SquaredError, "outputs")]
    [InlineData(3, 1, 1, Activation.Softmax, Loss.SquaredError, "activation")]
    [InlineData(3, 1, 1, (Activation)42, Loss.SquaredError, "activation")]
    [InlineData(3, 1, 1, Activation.Softmax, Loss.SoftmaxCrossEntropy, "activation")]
    [InlineData(3, 1, 1, Activation.Sigmoid, Loss.SoftmaxCrossEntropy, "loss")]
    [InlineData(3, 1, 1, Activation.Tanh, Loss.SigmoidBinaryCrossEntropy, "loss")]
    [InlineData(3, 1, 1, Activation.Tanh, (Loss)42, "loss")]
    public void Bad_shapes_activations_and_losses_are_rejected(int units, int inputs, int outputs, Activation activation, Loss loss, string parameter)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => new FixedPointNetwork<float>(units, inputs, outputs, activation, loss));
        Assert.Equal(parameter, e.ParamName);
    }

    public static TheoryData<RelaxationOptions, string> BadOptions => new()
    {
        { new RelaxationOptions { Damping = 0 }, "damping" },
        { new RelaxationOptions { Damping = 1.5 }, "damping" },
        { new RelaxationOptions { Damping = double.NaN }, "damping" },
        { new RelaxationOptions { Tolerance = 0 }, "tolerance" },
        { new RelaxationOptions { Tolerance = double.PositiveInfinity }, "tolerance" },
        { new RelaxationOptions { BackwardTolerance = -1 }, "backward tolerance" },
        { new RelaxationOptions { MaxIterations = 0 }, "forward iteration" },
        { new RelaxationOptions { BackwardMaxIterations = 0 }, "backward iteration" },
        { new RelaxationOptions { NeumannTerms = -1 }, "Neumann terms" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_options_are_rejected_and_leave_the_old_ones(RelaxationOptions options, string what)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new FixedPointNetwork<double>(3, 1, 1, Activation.Tanh, Loss.SquaredError, options));
        Assert.Equal("options", e.ParamName);
        Assert.Contains(what, e.Message, StringComparison.Ordinal);

        var net = new FixedPointNetwork<double>(3, 1, 1, Activation.Tanh, Loss.SquaredError);
        RelaxationOptions before = net.Options;
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => net.Options = options).ParamName);
        Assert.Same(before, net.Options);
        Assert.Throws<ArgumentNullException>(() => net.Options = null!);
    }

    [Fact]
    public void Bad_spans_and_workspaces_are_rejected_before_anything_changes()
    {
        var net = new FixedPointNetwork<float>(4, 2, 2, Activation.Sigmoid, Loss.SigmoidBinaryCrossEntropy);
        var other = new FixedPointNetwork<float>(4, 2, 2, Activation.Sigmoid, Loss.SigmoidBinaryCrossEntropy);
        using FixedPointWorkspace<float> ws = net.CreateWorkspace(2);
        using FixedPointWorkspace<float> foreign = other.CreateWorkspace(2);
        float[] parameters = net.Parameters.ToArray();
        ws.Gradients.Fill(7);
        float[] x = [0.1f, 0.2f, 0.3f, 0.4f];
        float[] t = [0, 1, 1, 0];

        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => net.ComputeGradients([0.1f, 0.2f, 0.3f], t, ws)).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => net.ComputeGradients([], [], ws)).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => net.ComputeGradients([1, 2, 3, 4, 5, 6], [0, 1, 1, 0, 0, 1], ws)).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => net.ComputeGradients([0.1f, float.NaN, 0.3f, 0.4f], t, ws)).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => net.ComputeGradients(x, [0, 1, 1], ws)).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => net.ComputeGradients(x, [0, 1, float.PositiveInfinity, 0], ws)).ParamName);
        ArgumentException range = Assert.Throws<ArgumentException>(() => net.ComputeGradients(x, [0, 1, 1.5f, 0], ws));
        Assert.Equal("targets", range.ParamName);
        Assert.Contains("[0, 1]", range.Message, StringComparison.Ordinal);
        Assert.Equal("workspace", Assert.Throws<ArgumentException>(() => net.ComputeGradients(x, t, foreign)).ParamName);
        Assert.Equal("workspace", Assert.Throws<ArgumentNullException>(() => net.ComputeGradients(x, t, null!)).ParamName);
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => net.Predict(x, new float[3], ws)).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => net.Relax([1f], ws)).ParamName);

        Assert.Equal(parameters, net.Parameters.ToArray());
        Assert.All(ws.Gradients.ToArray(), g => Assert.Equal(7f, g));

        Assert.Equal("maxBatch", Assert.Throws<ArgumentOutOfRangeException>(() => net.CreateWorkspace(0)).ParamName);
        Assert.Equal("threads", Assert.Throws<ArgumentOutOfRangeException>(() => net.CreateWorkspace(1, -1)).ParamName);
        Assert.Equal("batch", Assert.Throws<ArgumentOutOfRangeException>(() => ws.State(3)).ParamName);
        Assert.Equal("recurrentScale", Assert.Throws<ArgumentOutOfRangeException>(() => net.InitializeWeights(1, double.NaN)).ParamName);
        Assert.Equal(parameters, net.Parameters.ToArray());
    }

    [Fact]
    public void Only_float_and_double_are_supported() =>
        Assert.Throws<NotSupportedException>(() => new FixedPointNetwork<Half>(2, 1, 1, Activation.Tanh, Loss.SquaredError));
}
