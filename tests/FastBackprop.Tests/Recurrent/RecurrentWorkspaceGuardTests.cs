using System;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Recurrent.FixedPoint;
using FastBackprop.Recurrent.Sequence;
using Xunit;

namespace FastBackprop.Tests.Recurrent;

/// <summary>
/// A recurrent workspace serves one call at a time, as Network's does: while another call runs in it (held here
/// through the internal Acquire, as a second thread would hold it), every call is refused before it writes
/// anything, and the workspace works again once that call ends.
/// </summary>
public class RecurrentWorkspaceGuardTests
{
    [Theory]
    [InlineData(CellType.Elman)]
    [InlineData(CellType.Lstm)]
    public void A_sequence_workspace_in_use_refuses_every_call_and_changes_nothing(CellType cell)
    {
        var net = new SequenceNetwork<float>(3, cell, 5, new LayerSpec(2, Activation.Identity), Loss.SquaredError, SequenceOutput.EveryStep);
        net.InitializeWeights(7);
        using SequenceWorkspace<float> ws = net.CreateWorkspace(maxBatch: 2, maxSequenceLength: 4, threads: 1);
        float[] x = new float[2 * 4 * 3];
        float[] t = new float[2 * 4 * 2];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (i % 5) * 0.1f;
        }

        float[] y = new float[t.Length];
        net.ComputeGradients(x, t, 4, ws);
        float[] parameters = net.Parameters.ToArray();
        float[] gradients = ws.Gradients.ToArray();

        ws.Acquire();
        string message = Assert.Throws<InvalidOperationException>(() => net.TrainStep(x, t, 4, ws, 0.1f)).Message;
        Assert.Contains("another call is running", message, StringComparison.Ordinal);
        Assert.Contains("SequenceNetwork.CreateWorkspace", message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => net.ComputeGradients(x, t, 4, ws));
        Assert.Throws<InvalidOperationException>(() => net.Evaluate(x, t, 4, ws));
        Assert.Throws<InvalidOperationException>(() => net.Predict(x, 4, y, ws));
        Assert.Throws<InvalidOperationException>(() => net.Forward(x, 4, ws).Length);
        ws.Release();

        Assert.Equal(parameters, net.Parameters.ToArray());
        Assert.Equal(gradients, ws.Gradients.ToArray());
        Assert.All(y, v => Assert.Equal(0f, v));
        net.TrainStep(x, t, 4, ws, 0.1f);
        Assert.NotEqual(parameters, net.Parameters.ToArray());
    }

    [Fact]
    public void A_fixed_point_workspace_in_use_refuses_every_call_and_changes_nothing()
    {
        var net = new FixedPointNetwork<double>(units: 6, inputs: 3, outputs: 2, Activation.Tanh, Loss.SquaredError, new RelaxationOptions { Damping = 0.8 });
        using FixedPointWorkspace<double> ws = net.CreateWorkspace(maxBatch: 2, threads: 1);
        double[] x = [0.1, -0.2, 0.3, 0.0, 0.4, -0.1];
        double[] t = [0.2, 0.1, -0.3, 0.0];
        double[] y = new double[4];
        Assert.True(net.ComputeGradients(x, t, ws).Converged);
        double[] gradients = ws.Gradients.ToArray();
        double[] state = ws.State(2).ToArray();

        ws.Acquire();
        string message = Assert.Throws<InvalidOperationException>(() => net.ComputeGradients(x, t, ws)).Message;
        Assert.Contains("another call is running", message, StringComparison.Ordinal);
        Assert.Contains("FixedPointNetwork.CreateWorkspace", message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => net.Relax(x, ws));
        Assert.Throws<InvalidOperationException>(() => net.Predict(x, y, ws));
        ws.Release();

        Assert.Equal(gradients, ws.Gradients.ToArray());
        Assert.Equal(state, ws.State(2).ToArray());
        Assert.All(y, v => Assert.Equal(0.0, v));
        Assert.True(net.Predict(x, y, ws).Converged);
    }
}
