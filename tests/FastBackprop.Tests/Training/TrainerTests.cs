using System;
using System.Collections.Generic;
using System.Threading;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using FastBackprop.Optimizers;
using FastBackprop.Training;
using Xunit;

namespace FastBackprop.Tests.Training;

/// <summary>
/// The trainer's contract: each stopping rule fires when it should and only then, early stopping restores the best
/// parameters, a seed fixes the trajectory bit for bit, and an epoch allocates nothing.
/// </summary>
public class TrainerTests
{
    static readonly double[] s_xorFeatures = [0, 0, 0, 1, 1, 0, 1, 1];
    static readonly double[] s_xorTargets = [0, 1, 1, 0];

    static Network<double> XorNet()
    {
        var net = new Network<double>(2, Loss.SquaredError, new LayerSpec(2, Activation.Sigmoid), new LayerSpec(1, Activation.Sigmoid));
        net.InitializeWeights(0);
        return net;
    }

    static Dataset<double> Xor() => new(s_xorFeatures, s_xorTargets, 2, 1);

    // Full-batch iRPROP- without shuffling: the cheapest deterministic way to XOR (see OptimizerBehaviourTests).
    static TrainingOptions FullBatch(int maxEpochs = 1000) =>
        new() { BatchSize = TrainingOptions.FullBatch, Shuffle = false, MaxEpochs = maxEpochs, Threads = 1 };

    sealed class Recorder(Action<EpochReport>? onReport = null) : IProgress<EpochReport>
    {
        public List<EpochReport> Reports { get; } = [];

        public void Report(EpochReport value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }

    [Fact]
    public void Xor_trains_to_all_four_correct_and_says_so()
    {
        Network<double> net = XorNet();
        using var trainer = new Trainer<double>(net, new Rprop<double>(net.ParameterCount), Xor(), options: FullBatch() with { StopWhenAllCorrect = true });
        var recorder = new Recorder();
        TrainingResult result = trainer.Train(recorder);

        Assert.Equal(StopReason.AllClassifiedCorrectly, result.Reason);
        Assert.True(result.Epochs < 1000);
        Assert.Equal(1.0, recorder.Reports[^1].TrainingAccuracy);
        Assert.All(recorder.Reports.GetRange(0, recorder.Reports.Count - 1), r => Assert.True(r.TrainingAccuracy < 1.0));
        double[] y = new double[4];
        using Workspace<double> ws = net.CreateWorkspace(4, 1);
        net.Predict(s_xorFeatures, y, ws);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(s_xorTargets[i] >= 0.5, y[i] >= 0.5);
        }
    }

    [Fact]
    public void Max_epochs_fires_exactly_at_the_limit()
    {
        Network<double> net = XorNet();
        using var trainer = new Trainer<double>(net, new Sgd<double>(net.ParameterCount, 0.5), Xor(), options: FullBatch(7));
        var recorder = new Recorder();
        TrainingResult result = trainer.Train(recorder);

        Assert.Equal(StopReason.MaxEpochs, result.Reason);
        Assert.Equal(7, result.Epochs);
        Assert.Equal(7, recorder.Reports.Count);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], recorder.Reports.ConvertAll(r => r.Epoch));
        Assert.Equal(recorder.Reports[^1].TrainingLoss, result.FinalTrainingLoss);
    }

    [Fact]
    public void Target_loss_fires_when_reached_and_not_before()
    {
        // A free run records the loss sequence; a second, identical run with a target from that sequence must stop
        // at the first epoch at or under it, having reported the same losses until then.
        Network<double> free = XorNet();
        var all = new Recorder();
        using (var trainer = new Trainer<double>(free, new Sgd<double>(free.ParameterCount, 2.0), Xor(), options: FullBatch(40)))
        {
            trainer.Train(all);
        }

        double target = all.Reports[19].TrainingLoss;
        int expected = all.Reports.FindIndex(r => r.TrainingLoss <= target) + 1;

        Network<double> net = XorNet();
        var recorder = new Recorder();
        using var stopping = new Trainer<double>(net, new Sgd<double>(net.ParameterCount, 2.0), Xor(), options: FullBatch(40) with { TargetLoss = target });
        TrainingResult result = stopping.Train(recorder);

        Assert.Equal(StopReason.TargetLossReached, result.Reason);
        Assert.Equal(expected, result.Epochs);
        Assert.True(result.FinalTrainingLoss <= target);
        for (int i = 0; i < recorder.Reports.Count; i++)
        {
            Assert.Equal(all.Reports[i].TrainingLoss, recorder.Reports[i].TrainingLoss);
            if (i < recorder.Reports.Count - 1)
            {
                Assert.True(recorder.Reports[i].TrainingLoss > target, $"epoch {i + 1} was already under the target");
            }
        }
    }

    [Fact]
    public void Bit_fail_limit_fires_at_the_first_epoch_at_or_under_it_and_not_before()
    {
        // A free run records the bit-fail counts (iRPROP- takes XOR from 4 bit fails to 0); a second, identical run
        // with a limit in between must stop at the first epoch at or under it, having reported the same counts.
        Network<double> free = XorNet();
        var all = new Recorder();
        using (var trainer = new Trainer<double>(free, new Rprop<double>(free.ParameterCount), Xor(), options: FullBatch(60)))
        {
            trainer.Train(all);
        }

        Assert.Equal(4, all.Reports[0].TrainingBitFails);
        const int Limit = 1;
        int expected = all.Reports.FindIndex(r => r.TrainingBitFails <= Limit) + 1;
        Assert.InRange(expected, 2, 59);

        Network<double> net = XorNet();
        var recorder = new Recorder();
        using var stopping = new Trainer<double>(net, new Rprop<double>(net.ParameterCount), Xor(), options: FullBatch(60) with { BitFailLimit = Limit });
        TrainingResult result = stopping.Train(recorder);

        Assert.Equal(StopReason.BitFailLimitReached, result.Reason);
        Assert.Equal(expected, result.Epochs);
        Assert.Equal(recorder.Reports[^1], result.LastReport);
        for (int i = 0; i < recorder.Reports.Count; i++)
        {
            Assert.Equal(all.Reports[i].TrainingBitFails, recorder.Reports[i].TrainingBitFails);
            if (i < recorder.Reports.Count - 1)
            {
                Assert.True(recorder.Reports[i].TrainingBitFails > Limit, $"epoch {i + 1} was already at or under the limit");
            }
        }

        // The count is FANN's: outputs at least 0.35 away from their targets, checked here by an independent pass.
        double[] y = new double[4];
        using Workspace<double> ws = net.CreateWorkspace(4, 1);
        net.Predict(s_xorFeatures, y, ws);
        int fails = 0;
        for (int i = 0; i < 4; i++)
        {
            fails += Math.Abs(y[i] - s_xorTargets[i]) >= 0.35 ? 1 : 0;
        }

        Assert.Equal(result.LastReport.TrainingBitFails, fails);
    }

    [Fact]
    public void Without_a_bit_fail_limit_no_bit_fail_count_stops_training()
    {
        // The same run reaches 0 bit fails well within 60 epochs, and runs on to the epoch limit.
        Network<double> net = XorNet();
        var recorder = new Recorder();
        using var trainer = new Trainer<double>(net, new Rprop<double>(net.ParameterCount), Xor(), options: FullBatch(60));
        TrainingResult result = trainer.Train(recorder);

        Assert.Equal(StopReason.MaxEpochs, result.Reason);
        Assert.Equal(60, result.Epochs);
        Assert.Contains(recorder.Reports, r => r.TrainingBitFails == 0);
    }

    [Fact]
    public void Early_stopping_restores_the_parameters_of_the_best_epoch()
    {
        // Validating against the opposite of XOR: the better the net learns, the worse it validates, so the
        // validation loss soon stops improving.
        Network<double> net = XorNet();
        var inverted = new Dataset<double>(s_xorFeatures, [1, 0, 0, 1], 2, 1);
        var snapshots = new List<double[]>();
        var recorder = new Recorder(_ => snapshots.Add(net.Parameters.ToArray()));
        using var trainer = new Trainer<double>(
            net, new Sgd<double>(net.ParameterCount, 2.0), Xor(), inverted, FullBatch(500) with { Patience = 5 });
        TrainingResult result = trainer.Train(recorder);

        Assert.Equal(StopReason.EarlyStopping, result.Reason);
        Assert.Equal(result.BestEpoch + 5, result.Epochs);
        double best = double.PositiveInfinity;
        int bestEpoch = 0;
        foreach (EpochReport r in recorder.Reports)
        {
            if (r.ValidationLoss < best)
            {
                (best, bestEpoch) = (r.ValidationLoss, r.Epoch);
            }
        }

        Assert.Equal(bestEpoch, result.BestEpoch);
        Assert.Equal(best, result.BestValidationLoss);
        Assert.True(net.Parameters.SequenceEqual(snapshots[bestEpoch - 1]), "the best epoch's parameters were not restored");
        Assert.False(net.Parameters.SequenceEqual(snapshots[^1]), "the last epoch was the best; the test proves nothing");
    }

    [Fact]
    public void Cancellation_stops_between_epochs()
    {
        Network<double> net = XorNet();
        using var cts = new CancellationTokenSource();
        var recorder = new Recorder(r =>
        {
            if (r.Epoch == 3)
            {
                cts.Cancel();
            }
        });
        using var trainer = new Trainer<double>(net, new Sgd<double>(net.ParameterCount, 0.5), Xor(), options: FullBatch(100));
        TrainingResult result = trainer.Train(recorder, cts.Token);

        Assert.Equal(StopReason.Cancelled, result.Reason);
        Assert.Equal(3, result.Epochs);
        Assert.Equal(3, recorder.Reports.Count);
    }

    [Fact]
    public void A_cancelled_token_stops_before_any_update()
    {
        Network<double> net = XorNet();
        double[] before = net.Parameters.ToArray();
        using var trainer = new Trainer<double>(net, new Sgd<double>(net.ParameterCount, 0.5), Xor(), options: new TrainingOptions { Threads = 1 });
        TrainingResult result = trainer.Train(null, new CancellationToken(canceled: true));

        Assert.Equal(StopReason.Cancelled, result.Reason);
        Assert.Equal(0, result.Epochs);
        Assert.True(net.Parameters.SequenceEqual(before));
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_parameters_and_another_seed_does_not()
    {
        double[] a = TrainShuffled(42), b = TrainShuffled(42), c = TrainShuffled(43);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    static double[] TrainShuffled(int seed)
    {
        (Dataset<double> data, Network<double> net) = Regression();
        using var trainer = new Trainer<double>(
            net, new Sgd<double>(net.ParameterCount, 0.05, momentum: 0.9), data,
            options: new TrainingOptions { BatchSize = 1, Seed = seed, MaxEpochs = 5, Threads = 1 });
        trainer.Train();
        return net.Parameters.ToArray();
    }

    [Fact]
    public void An_epoch_after_the_first_allocates_nothing()
    {
        (Dataset<double> data, Network<double> net) = Regression();
        (Dataset<double> validation, _) = Regression(7);
        using var trainer = new Trainer<double>(
            net, new Adam<double>(net.ParameterCount, 0.01), data, validation,
            new TrainingOptions { BatchSize = 8, Seed = 1, Threads = 1, Schedule = new CosineSchedule(0.01, 0.001, 500), MaxGradientNorm = 1 });
        trainer.RunEpoch();

        long before = GC.GetAllocatedBytesForCurrentThread();
        EpochReport report = trainer.RunEpoch();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(2, report.Epoch);
        Assert.False(double.IsNaN(report.ValidationLoss));
        Assert.True(report.TrainingMse > 0 && report.TrainingMae > 0 && report.ValidationMse > 0 && report.ValidationMae > 0);
        Assert.InRange(report.TrainingBitFails, 0, 100);
        Assert.InRange(report.ValidationBitFails, 0, 100);
        Assert.True(report.SamplesPerSecond > 0);
    }

    [Fact]
    public void A_train_call_allocates_nothing_beyond_what_its_progress_does()
    {
        // The stopping rules with a threshold armed, none reachable in 4 epochs (the all-correct rule is left out: a
        // regression's outputs may all sit on their targets' side of 0.5 early), and a progress that keeps nothing:
        // the whole call, reports and result included, allocates nothing once the trainer has run.
        (Dataset<double> data, Network<double> net) = Regression();
        (Dataset<double> validation, _) = Regression(7);
        var options = new TrainingOptions
        {
            BatchSize = 8,
            Seed = 1,
            Threads = 1,
            MaxEpochs = 4,
            TargetLoss = 1e-12,
            BitFailLimit = 0,
            BitFailThreshold = 1e-9,
            Patience = 1_000,
            TimeBudget = TimeSpan.FromHours(1),
        };
        using var trainer = new Trainer<double>(net, new Sgd<double>(net.ParameterCount, 0.01, momentum: 0.9), data, validation, options);
        var counter = new Counter();
        using var cts = new CancellationTokenSource();
        trainer.Train(counter, cts.Token);

        long before = GC.GetAllocatedBytesForCurrentThread();
        TrainingResult result = trainer.Train(counter, cts.Token);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(StopReason.MaxEpochs, result.Reason);
        Assert.Equal(8, counter.Count);
        Assert.Equal(0, allocated);
    }

    sealed class Counter : IProgress<EpochReport>
    {
        public int Count { get; private set; }

        public void Report(EpochReport value) => Count++;
    }

    // y = sin(x0) + x1/2 on 100 random points: small, smooth, and a fixed network to fit it.
    static (Dataset<double> Data, Network<double> Net) Regression(int dataSeed = 3)
    {
        var random = new Random(dataSeed);
        const int n = 100;
        double[] x = new double[2 * n], t = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[2 * i] = (random.NextDouble() * 4) - 2;
            x[(2 * i) + 1] = (random.NextDouble() * 2) - 1;
            t[i] = Math.Sin(x[2 * i]) + (x[(2 * i) + 1] / 2);
        }

        var net = new Network<double>(2, Loss.SquaredError, new LayerSpec(8, Activation.Tanh), new LayerSpec(1, Activation.Identity));
        net.InitializeWeights(11);
        return (new Dataset<double>(x, t, 2, 1), net);
    }

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        Network<double> net = XorNet();
        var opt = new Sgd<double>(net.ParameterCount, 0.5);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer<double>(net, opt, Xor(), options: new TrainingOptions { BatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer<double>(net, opt, Xor(), options: new TrainingOptions { MaxEpochs = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer<double>(net, opt, Xor(), options: new TrainingOptions { TargetLoss = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer<double>(net, opt, Xor(), options: new TrainingOptions { Patience = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer<double>(net, opt, Xor(), options: new TrainingOptions { TimeBudget = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new Trainer<double>(net, opt, new Dataset<double>([1, 2, 3], [0], 3, 1)));
    }
}
