using System;
using System.Numerics;
using FastBackprop.Networks;
using FastBackprop.Tests.TestUtilities;
using Xunit;

namespace FastBackprop.Tests.Networks;

/// <summary>
/// Seed 001's worked example: a 2-2-2 sigmoid network, squared error, η = 0.5. The expected values are the
/// example's own (DESIGN.md), printed there to nine decimals.
/// </summary>
public class WorkedExampleTests
{
    const double OutH1 = 0.593269992, OutH2 = 0.596884378;
    const double OutO1 = 0.751365070, OutO2 = 0.772928465;
    const double ETotal = 0.298371109;

    // ∂E/∂w1 … ∂E/∂w8
    static readonly double[] s_gradients =
        [0.000438568, 0.000877135, 0.000497713, 0.000995425, 0.082167041, 0.082667628, -0.022602540, -0.022740242];

    // w1 … w8 after one update
    static readonly double[] s_updated =
        [0.149780716, 0.199561432, 0.249751144, 0.299502287, 0.358916480, 0.408666186, 0.511301270, 0.561370121];

    [Fact]
    public void Double_matches_the_worked_example_to_1e9() => Check<double>(1e-9);

    [Fact]
    public void Float_matches_the_worked_example_to_1e6() => Check<float>(1e-6);

    static void Check<T>(double tolerance)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Network<T> net = WorkedExample.Create<T>();
        Workspace<T> ws = net.CreateWorkspace(1);
        T[] x = WorkedExample.Cast<T>(WorkedExample.Inputs);
        T[] t = WorkedExample.Cast<T>(WorkedExample.Targets);

        ReadOnlySpan<T> o = net.Forward(x, ws);
        Assert.Equal(OutO1, double.CreateChecked(o[0]), tolerance);
        Assert.Equal(OutO2, double.CreateChecked(o[1]), tolerance);
        Span<T> hidden = ws.Outputs(0, 1);
        Assert.Equal(OutH1, double.CreateChecked(hidden[0]), tolerance);
        Assert.Equal(OutH2, double.CreateChecked(hidden[1]), tolerance);

        T loss = net.ComputeGradients(x, t, ws);
        Assert.Equal(ETotal, double.CreateChecked(loss), tolerance);
        double[] gradients = WorkedExample.ExampleOrder<T>(ws.WeightGradients(0), ws.WeightGradients(1));
        for (int i = 0; i < 8; i++)
        {
            Assert.True(Math.Abs(s_gradients[i] - gradients[i]) <= tolerance, $"dE/dw{i + 1}: expected {s_gradients[i]}, got {gradients[i]}");
        }

        net.ApplyGradients(ws, T.CreateChecked(WorkedExample.LearningRate));
        double[] weights = WorkedExample.ExampleOrder<T>(net.Weights(0), net.Weights(1));
        for (int i = 0; i < 8; i++)
        {
            Assert.True(Math.Abs(s_updated[i] - weights[i]) <= tolerance, $"w{i + 1} after the update: expected {s_updated[i]}, got {weights[i]}");
        }
    }

    [Fact]
    public void TrainStep_is_ComputeGradients_then_ApplyGradients()
    {
        Network<double> a = WorkedExample.Create<double>();
        Network<double> b = WorkedExample.Create<double>();
        Workspace<double> wa = a.CreateWorkspace(1);
        Workspace<double> wb = b.CreateWorkspace(1);

        double lossA = a.TrainStep(WorkedExample.Inputs, WorkedExample.Targets, wa, WorkedExample.LearningRate);
        double lossB = b.ComputeGradients(WorkedExample.Inputs, WorkedExample.Targets, wb);
        b.ApplyGradients(wb, WorkedExample.LearningRate);

        Assert.Equal(lossB, lossA);
        Assert.Equal(b.Parameters.ToArray(), a.Parameters.ToArray());
    }

    [Fact]
    public void Training_on_the_example_drives_the_error_down()
    {
        // Gradient descent on one sample that the network can fit must take the error close to 0.
        Network<double> net = WorkedExample.Create<double>();
        Workspace<double> ws = net.CreateWorkspace(1);
        double first = net.TrainStep(WorkedExample.Inputs, WorkedExample.Targets, ws, 0.5);
        double last = first;
        for (int i = 1; i < 10_000; i++)
        {
            last = net.TrainStep(WorkedExample.Inputs, WorkedExample.Targets, ws, 0.5);
        }

        Assert.Equal(ETotal, first, 1e-9);
        Assert.InRange(last, 0, 1e-4);
    }
}
