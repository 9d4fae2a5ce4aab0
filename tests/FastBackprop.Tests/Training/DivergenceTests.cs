using System;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using FastBackprop.Optimizers;
using FastBackprop.Training;
using Xunit;

namespace FastBackprop.Tests.Training;

/// <summary>
/// When the loss or a parameter becomes NaN or infinite, training stops with StopReason.Diverged and the network
/// holds the last good parameters (those the diverging epoch began with); or, by option, the learning rate is
/// halved and the epoch run again from there.
/// </summary>
public class DivergenceTests
{
    // 1-D linear regression t = 2x + 1 by online SGD on a single identity unit: stable for η·(x² + 1) < 2, and
    // geometrically divergent above it, so the learning rate alone decides whether and how fast it blows up.
    static Dataset<float> Line()
    {
        float[] x = new float[16], t = new float[16];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = -1 + (2f * i / (x.Length - 1));
            t[i] = (2 * x[i]) + 1;
        }

        return new Dataset<float>(x, t, 1, 1);
    }

    static Network<float> Unit()
    {
        var net = new Network<float>(1, Loss.SquaredError, new LayerSpec(1, Activation.Identity));
        net.Parameters[0] = 0.5f;
        net.Parameters[1] = -0.25f;
        return net;
    }

    [Theory]
    [InlineData(2.2)]   // grows slowly: several good epochs before the loss overflows
    [InlineData(50.0)]  // overflows within the first epoch
    public void Divergence_stops_training_with_the_parameters_the_diverging_epoch_began_with(double rate)
    {
        Network<float> net = Unit();
        var options = new TrainingOptions { MaxEpochs = 10_000, Seed = 3 };
        using var trainer = new Trainer<float>(net, new Sgd<float>(net.ParameterCount, rate), Line(), options: options);
        TrainingResult result = trainer.Train();

        Assert.Equal(StopReason.Diverged, result.Reason);
        Assert.True(result.Epochs < 10_000);
        foreach (float p in net.Parameters)
        {
            Assert.True(float.IsFinite(p));
        }

        // An independent run of exactly the completed epochs ends where the diverged run was put back.
        Network<float> reference = Unit();
        using var replay = new Trainer<float>(reference, new Sgd<float>(reference.ParameterCount, rate), Line(), options: options);
        for (int e = 0; e < result.Epochs; e++)
        {
            replay.RunEpoch();
        }

        Assert.Equal(reference.Parameters.ToArray(), net.Parameters.ToArray());
        Assert.Equal(result.Epochs, trainer.Epoch);

        // The epoch after them really diverges: RunEpoch refuses it and puts the parameters back.
        Assert.Throws<InvalidOperationException>(() => replay.RunEpoch());
        Assert.Equal(net.Parameters.ToArray(), reference.Parameters.ToArray());
    }

    [Fact]
    public void Slow_divergence_passes_some_good_epochs_first() =>
        Assert.InRange(Train(2.2, DivergencePolicy.Stop).Result.Epochs, 2, 9_999);

    [Fact]
    public void Halving_the_learning_rate_recovers_and_converges()
    {
        (TrainingResult result, double rate) = Train(50.0, DivergencePolicy.HalveLearningRate, target: 1e-6);
        Assert.Equal(StopReason.TargetLossReached, result.Reason);
        Assert.True(result.FinalTrainingLoss <= 1e-6);

        // Stable only below 2 / max(x² + 1) = 1: from 50, six halvings (50 / 64 ≈ 0.78) are the fewest that
        // get there, and each halving happens only after a real divergence, so the rate is exactly 50 / 2^m.
        double halvings = Math.Log2(50.0 / rate);
        Assert.Equal(Math.Round(halvings), halvings, 12);
        Assert.InRange(halvings, 6, 10);
    }

    [Fact]
    public void Retries_run_out_into_a_divergence_stop()
    {
        (TrainingResult result, double rate) = Train(1e6, DivergencePolicy.HalveLearningRate, retries: 3);
        Assert.Equal(StopReason.Diverged, result.Reason);
        Assert.Equal(1e6 / 8, rate, 6);
    }

    [Fact]
    public void Halving_reaches_rprop_whose_step_sizes_are_its_own_state()
    {
        // Rprop's learning rate is only Δ₀; its running step sizes live in its state. With Δ = 1e20 the first
        // full-batch step overflows the loss; halving the learning rate alone would replay that step on every retry.
        // Halving the step sizes with it lets the run recover and converge.
        static Rprop<float> Huge(int n) => new(n, initialStep: 1e20, maxStep: 1e20);
        var fullBatch = new TrainingOptions { BatchSize = TrainingOptions.FullBatch, Shuffle = false, MaxEpochs = 2_000, TargetLoss = 1e-6 };

        Network<float> stopped = Unit();
        using (var trainer = new Trainer<float>(stopped, Huge(stopped.ParameterCount), Line(), options: fullBatch))
        {
            TrainingResult first = trainer.Train();
            Assert.Equal(StopReason.Diverged, first.Reason);
            Assert.Equal(0, first.Epochs);
        }

        Network<float> net = Unit();
        Rprop<float> rprop = Huge(net.ParameterCount);
        using var halving = new Trainer<float>(
            net, rprop, Line(), options: fullBatch with { OnDivergence = DivergencePolicy.HalveLearningRate, MaxDivergenceRetries = 200 });
        TrainingResult result = halving.Train();
        Assert.Equal(StopReason.TargetLossReached, result.Reason);
        Assert.Equal(2f, net.Parameters[0], 2e-3f);
        Assert.Equal(1f, net.Parameters[1], 2e-3f);
    }

    [Fact]
    public void Divergence_options_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { MaxDivergenceRetries = -1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { OnDivergence = (DivergencePolicy)7 }.Validate());
    }

    static (TrainingResult Result, double Rate) Train(double rate, DivergencePolicy policy, double? target = null, int retries = 10)
    {
        Network<float> net = Unit();
        var optimizer = new Sgd<float>(net.ParameterCount, rate);
        var options = new TrainingOptions { MaxEpochs = 10_000, Seed = 3, OnDivergence = policy, MaxDivergenceRetries = retries, TargetLoss = target };
        using var trainer = new Trainer<float>(net, optimizer, Line(), options: options);
        TrainingResult result = trainer.Train();
        return (result, optimizer.LearningRate);
    }
}
