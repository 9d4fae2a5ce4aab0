using System;
using System.Reflection;
using FastBackprop.Kernels.Gemm;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using FastBackprop.Optimizers;
using FastBackprop.Tests.Optimizers;
using FastBackprop.Training;
using Xunit;

namespace FastBackprop.Tests.Training;

/// <summary>
/// The trainer end to end: XOR to all four correct with every optimizer, a smooth regression to an MSE target, and a
/// trajectory that is bit for bit the same on one thread and on two.
/// </summary>
public class TrainerConvergenceTests
{
    static readonly double[] s_xorFeatures = [0, 0, 0, 1, 1, 0, 1, 1];
    static readonly double[] s_xorTargets = [0, 1, 1, 0];

    // The optimizer settings of OptimizerBehaviourTests (its XorOptimizer), driven here by the trainer: mini-batches
    // of 2 in a seeded shuffled order for the gradient rules, the full batch for Rprop, which is made for it.
    public static TheoryData<string, int, int> XorCases => new()
    {
        { "Sgd", 2, 6_000 },
        { "SgdMomentum", 2, 1_500 },
        { "SgdNesterov", 2, 1_500 },
        { "Adam", 2, 800 },
        { "AdamW", 2, 800 },
        { "RmsProp", 2, 1_000 },
        { "RmsPropMomentum", 2, 500 },
        { "IRpropMinus", TrainingOptions.FullBatch, 100 },
        { "IRpropPlus", TrainingOptions.FullBatch, 100 },
    };

    [Theory]
    [MemberData(nameof(XorCases))]
    public void Xor_trains_to_all_four_correct_with_each_optimizer(string optimizer, int batch, int maxEpochs)
    {
        var net = new Network<double>(2, Loss.SquaredError, new LayerSpec(2, Activation.Sigmoid), new LayerSpec(1, Activation.Sigmoid));
        net.InitializeWeights(0);
        var options = new TrainingOptions { BatchSize = batch, Seed = 1, MaxEpochs = maxEpochs, StopWhenAllCorrect = true, Threads = 1 };
        using var trainer = new Trainer<double>(net, OptimizerBehaviourTests.XorOptimizer(optimizer, net.ParameterCount), new Dataset<double>(s_xorFeatures, s_xorTargets, 2, 1), options: options);
        TrainingResult result = trainer.Train();

        Assert.True(result.Reason == StopReason.AllClassifiedCorrectly, $"{optimizer}: stopped by {result.Reason} after {result.Epochs} epochs");

        // Checked apart from the trainer's own accuracy: each output on the target's side of 0.5.
        double[] y = new double[4];
        using Workspace<double> ws = net.CreateWorkspace(4, 1);
        net.Predict(s_xorFeatures, y, ws);
        for (int i = 0; i < 4; i++)
        {
            Assert.True((y[i] >= 0.5) == (s_xorTargets[i] >= 0.5), $"{optimizer}: output {i} is {y[i]}");
        }
    }

    [Fact]
    public void Sine_regression_reaches_an_mse_target()
    {
        // y = sin(x) on 64 points of [-π, π], a 1-16-1 tanh network, Adam in mini-batches of 8. The MSE is then
        // checked independently on 101 points between the training points.
        const int n = 64;
        double[] x = new double[n], t = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = -Math.PI + (2 * Math.PI * i / (n - 1));
            t[i] = Math.Sin(x[i]);
        }

        var net = new Network<double>(1, Loss.SquaredError, new LayerSpec(16, Activation.Tanh), new LayerSpec(1, Activation.Identity));
        net.InitializeWeights(3);
        const double Target = 1e-3;
        var options = new TrainingOptions { BatchSize = 8, Seed = 2, MaxEpochs = 1_000, TargetLoss = Target / 2, Threads = 1 };
        using var trainer = new Trainer<double>(net, new Adam<double>(net.ParameterCount, 0.05), new Dataset<double>(x, t, 1, 1), options: options);
        TrainingResult result = trainer.Train();

        // The squared-error loss of one output is half the MSE.
        Assert.Equal(StopReason.TargetLossReached, result.Reason);
        Assert.True(result.LastReport.TrainingMse <= Target, $"MSE {result.LastReport.TrainingMse}");
        Assert.Equal(2 * result.LastReport.TrainingLoss, result.LastReport.TrainingMse, 12);

        const int m = 101;
        double[] probe = new double[m], y = new double[m];
        for (int i = 0; i < m; i++)
        {
            probe[i] = -Math.PI + (2 * Math.PI * (i + 0.5) / m);
        }

        using Workspace<double> ws = net.CreateWorkspace(m, 1);
        net.Predict(probe, y, ws);
        double squares = 0;
        for (int i = 0; i < m; i++)
        {
            squares += (y[i] - Math.Sin(probe[i])) * (y[i] - Math.Sin(probe[i]));
        }

        Assert.True(squares / m <= 2 * Target, $"MSE between the training points {squares / m}");
    }

    [Fact]
    public void Training_is_bit_identical_on_one_and_two_threads()
    {
        // 160-128-10 in batches of 64: the first layer's products (64 x 128 x 160) are above the size at which a
        // product is shared, so with 2 threads the team really runs them (asserted below).
        (float[] one, bool oneShared) = TrainWide(threads: 1);
        (float[] two, bool twoShared) = TrainWide(threads: 2);
        Assert.False(oneShared);
        Assert.True(twoShared, "no product was shared with a second thread; the test proves nothing");
        Assert.True(one.AsSpan().SequenceEqual(two), "2 threads differ from 1");
    }

    static (float[] Parameters, bool Shared) TrainWide(int threads)
    {
        const int Inputs = 160, Classes = 10, Samples = 192;
        Assert.True(64L * 128 * Inputs >= GemmBlocking.ParallelMinVolume);
        var random = new Random(12);
        float[] x = new float[Samples * Inputs];
        int[] labels = new int[Samples];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextSingle();
        }

        for (int i = 0; i < Samples; i++)
        {
            labels[i] = random.Next(Classes);
        }

        var net = new Network<float>(Inputs, Loss.SoftmaxCrossEntropy, new LayerSpec(128, Activation.Sigmoid), new LayerSpec(Classes, Activation.Softmax));
        net.InitializeWeights(9);
        var options = new TrainingOptions { BatchSize = 64, Seed = 5, MaxEpochs = 2, Threads = threads };
        using var trainer = new Trainer<float>(
            net, new Sgd<float>(net.ParameterCount, 0.1, momentum: 0.9), Dataset<float>.FromClassLabels(x, Inputs, labels, Classes), options: options);
        trainer.Train();
        return (net.Parameters.ToArray(), TeamStarted(trainer));
    }

    // Whether the trainer's training workspace started a thread team, which it does on the first shared product only.
    static bool TeamStarted(Trainer<float> trainer)
    {
        const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
        FieldInfo workspaceField = typeof(Trainer<float>).GetField("_trainWorkspace", Private)
            ?? throw new InvalidOperationException("Trainer<T>._trainWorkspace is gone; update this test.");
        var workspace = (Workspace<float>)workspaceField.GetValue(trainer)!;
        FieldInfo teamField = typeof(GemmWorkspace<float>).GetField("_team", Private)
            ?? throw new InvalidOperationException("GemmWorkspace<T>._team is gone; update this test.");
        return teamField.GetValue(workspace.Gemm) is not null;
    }
}
