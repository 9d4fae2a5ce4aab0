using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using Xunit;

namespace FastBackprop.Tests.Networks;

/// <summary>Seed 001's one-weight toy: y = W·x on inputs 0, 1, 2 with targets 0, 2, 4, starting at W = 3.</summary>
public class ToyTests
{
    [Fact]
    public void W_moves_from_3_to_2()
    {
        // One identity unit. The library gives every unit a bias; it starts at 0 and, since y = 2x fits the
        // data exactly, the unique minimum is W = 2, b = 0.
        var net = new Network<double>(1, Loss.SquaredError, new LayerSpec(1, Activation.Identity));
        net.Weights(0)[0] = 3;
        net.Biases(0)[0] = 0;
        Workspace<double> ws = net.CreateWorkspace(3);
        double[] x = [0, 1, 2];
        double[] t = [0, 2, 4];

        // E(W = 3) = (0 + 1 + 4) / 2 / 3, the seed's table of squared errors halved and averaged.
        Assert.Equal(5.0 / 6.0, net.Evaluate(x, t, ws), 1e-15);

        double previous = net.Weights(0)[0];
        for (int step = 0; step < 500; step++)
        {
            net.TrainStep(x, t, ws, 0.3);
            double w = net.Weights(0)[0];
            Assert.True(w <= previous + 1e-12, $"step {step}: W rose from {previous} to {w}");
            previous = w;
        }

        Assert.Equal(2.0, net.Weights(0)[0], 1e-9);
        Assert.Equal(0.0, net.Biases(0)[0], 1e-9);
        Assert.Equal(0.0, net.Evaluate(x, t, ws), 1e-15);
    }
}
