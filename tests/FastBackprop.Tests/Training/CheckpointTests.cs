using System;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using FastBackprop.Optimizers;
using FastBackprop.Training;
using Xunit;

namespace FastBackprop.Tests.Training;

/// <summary>
/// Resume: a run checkpointed at epoch k and continued by a fresh network, optimizer and trainer ends bit for bit
/// where an uninterrupted run does; a checkpoint that does not fit is refused with nothing changed.
/// </summary>
public class CheckpointTests
{
    // y = sin(x0) + x1/2 on random points; features and network are fixed by the seeds.
    static Dataset<double> Data(int seed, int n = 60)
    {
        var random = new Random(seed);
        double[] x = new double[2 * n], t = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[2 * i] = (random.NextDouble() * 4) - 2;
            x[(2 * i) + 1] = (random.NextDouble() * 2) - 1;
            t[i] = Math.Sin(x[2 * i]) + (x[(2 * i) + 1] / 2);
        }

        return new Dataset<double>(x, t, 2, 1);
    }

    static Network<double> Net()
    {
        var net = new Network<double>(2, Loss.SquaredError, new LayerSpec(6, Activation.Tanh), new LayerSpec(1, Activation.Identity));
        net.InitializeWeights(5);
        return net;
    }

    static IOptimizer<double> Optimizer(string kind, int parameters) => kind switch
    {
        "sgd-momentum" => new Sgd<double>(parameters, 0.02, momentum: 0.9),
        "adam" => new Adam<double>(parameters, 0.01),
        "rmsprop" => new RmsProp<double>(parameters, 0.005),
        "rprop+" => new Rprop<double>(parameters, RpropVariant.IRpropPlus),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [InlineData("sgd-momentum", 1)]
    [InlineData("sgd-momentum", 8)]
    [InlineData("adam", 1)]
    [InlineData("adam", 16)]
    [InlineData("rmsprop", 7)]
    [InlineData("rprop+", TrainingOptions.FullBatch)]
    public void Resuming_at_epoch_k_gives_the_parameters_of_an_uninterrupted_run(string kind, int batch)
    {
        const int K = 4;
        Dataset<double> data = Data(3), validation = Data(9, 20);
        var options = new TrainingOptions { BatchSize = batch, Seed = 17, MaxEpochs = 2 * K, Threads = 1 };

        Network<double> straight = Net();
        TrainingResult straightResult;
        using (var trainer = new Trainer<double>(straight, Optimizer(kind, straight.ParameterCount), data, validation, options))
        {
            straightResult = trainer.Train();
        }

        Network<double> first = Net();
        TrainingCheckpoint<double> checkpoint;
        using (var trainer = new Trainer<double>(first, Optimizer(kind, first.ParameterCount), data, validation, options with { MaxEpochs = K }))
        {
            trainer.Train();
            checkpoint = trainer.CreateCheckpoint();
        }

        Assert.Equal(K, checkpoint.Epoch);
        Network<double> resumed = Net();
        resumed.InitializeWeights(99);  // whatever the fresh network held is overwritten by the saved parameters
        first.Parameters.CopyTo(resumed.Parameters);
        TrainingResult resumedResult;
        using (var trainer = new Trainer<double>(resumed, Optimizer(kind, resumed.ParameterCount), data, validation, options with { MaxEpochs = K }))
        {
            trainer.Restore(checkpoint);
            resumedResult = trainer.Train();
            Assert.Equal(2 * K, trainer.Epoch);
        }

        Assert.Equal(straight.Parameters.ToArray(), resumed.Parameters.ToArray());
        Assert.Equal(straightResult.FinalTrainingLoss, resumedResult.FinalTrainingLoss);
        Assert.Equal(straightResult.BestEpoch, resumedResult.BestEpoch);
        Assert.Equal(straightResult.BestValidationLoss, resumedResult.BestValidationLoss);
    }

    [Fact]
    public void Early_stopping_after_a_resume_stops_at_the_same_epoch_with_the_same_best_parameters()
    {
        // Validating against the negated targets: the better the fit, the worse the validation, so early stopping
        // fires a few epochs in; the checkpoint is taken after the best epoch and before the stop.
        Dataset<double> data = Data(3);
        var negated = new Dataset<double>(data.Features, Negate(data.Targets), 2, 1);
        var options = new TrainingOptions { BatchSize = 4, Seed = 5, MaxEpochs = 200, Patience = 3, Threads = 1 };

        Network<double> straight = Net();
        TrainingResult straightResult;
        using (var trainer = new Trainer<double>(straight, new Adam<double>(straight.ParameterCount, 0.01), data, negated, options))
        {
            straightResult = trainer.Train();
        }

        Assert.Equal(StopReason.EarlyStopping, straightResult.Reason);
        int k = straightResult.BestEpoch + 1;
        Assert.True(k < straightResult.Epochs, "the checkpoint must fall between the best epoch and the stop");

        Network<double> first = Net();
        TrainingCheckpoint<double> checkpoint;
        using (var trainer = new Trainer<double>(first, new Adam<double>(first.ParameterCount, 0.01), data, negated, options with { MaxEpochs = k }))
        {
            trainer.Train();
            checkpoint = trainer.CreateCheckpoint();
        }

        Assert.Equal(straightResult.BestEpoch, checkpoint.BestEpoch);
        Assert.Equal(first.ParameterCount, checkpoint.BestParameters.Length);

        Network<double> resumed = Net();
        first.Parameters.CopyTo(resumed.Parameters);
        using var resumedTrainer = new Trainer<double>(resumed, new Adam<double>(resumed.ParameterCount, 0.01), data, negated, options);
        resumedTrainer.Restore(checkpoint);
        TrainingResult resumedResult = resumedTrainer.Train();

        Assert.Equal(StopReason.EarlyStopping, resumedResult.Reason);
        Assert.Equal(straightResult.Epochs, k + resumedResult.Epochs);
        Assert.Equal(straightResult.BestEpoch, resumedResult.BestEpoch);
        Assert.Equal(straightResult.BestValidationLoss, resumedResult.BestValidationLoss);
        Assert.Equal(straight.Parameters.ToArray(), resumed.Parameters.ToArray());
    }

    static double[] Negate(ReadOnlySpan<double> values)
    {
        double[] result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = -values[i];
        }

        return result;
    }

    [Fact]
    public void The_checkpoint_holds_copies_of_the_state()
    {
        Network<double> net = Net();
        var adam = new Adam<double>(net.ParameterCount, 0.01);
        using var trainer = new Trainer<double>(net, adam, Data(3), options: new TrainingOptions { BatchSize = 8, MaxEpochs = 2, Threads = 1 });
        trainer.Train();
        TrainingCheckpoint<double> checkpoint = trainer.CreateCheckpoint();

        Assert.Equal(2, checkpoint.Epoch);
        Assert.Equal("Adam`1", checkpoint.OptimizerName);
        Assert.Equal(2 * 8, checkpoint.OptimizerStepCount);  // 60 samples in batches of 8: 8 steps an epoch
        Assert.Equal(0.01, checkpoint.LearningRate);
        Assert.Equal(adam.State.ToArray(), checkpoint.OptimizerState);
        Assert.Equal(ShuffleRandomStateLength, checkpoint.RandomState.Length);
        Assert.Equal(0, checkpoint.BestEpoch);
        Assert.True(double.IsNaN(checkpoint.BestValidationLoss));
        Assert.Empty(checkpoint.BestParameters);

        trainer.RunEpoch();
        Assert.NotEqual(adam.State.ToArray(), checkpoint.OptimizerState);
    }

    const int ShuffleRandomStateLength = 4;

    [Fact]
    public void A_checkpoint_that_does_not_fit_is_refused_and_nothing_changes()
    {
        Network<double> net = Net();
        var adam = new Adam<double>(net.ParameterCount, 0.01);
        using var trainer = new Trainer<double>(net, adam, Data(3), Data(9, 20), new TrainingOptions { BatchSize = 8, MaxEpochs = 3, Threads = 1 });
        trainer.Train();
        TrainingCheckpoint<double> good = trainer.CreateCheckpoint();
        Assert.True(good.BestEpoch > 0);

        TrainingCheckpoint<double>[] bad =
        [
            With(good, optimizerName: "Sgd`1"),
            With(good, optimizerState: new double[good.OptimizerState.Length - 1]),
            With(good, randomState: new ulong[3]),
            With(good, randomState: new ulong[4]),
            With(good, bestParameters: new double[good.BestParameters.Length + 1]),
            With(good, bestParameters: []),
            With(good, learningRate: double.NaN),
            With(good, learningRate: -1),
            With(good, epoch: -1),
            With(good, stepCount: -1),
            With(good, bestEpoch: good.Epoch + 1),
            With(good, bestValidationLoss: double.NaN),
        ];

        // Move the trainer on, so that a restore that half-happened would show.
        trainer.RunEpoch();
        TrainingCheckpoint<double> before = trainer.CreateCheckpoint();
        foreach (TrainingCheckpoint<double> checkpoint in bad)
        {
            ArgumentException e = Assert.Throws<ArgumentException>(() => trainer.Restore(checkpoint));
            Assert.Equal("checkpoint", e.ParamName);
            AssertSame(before, trainer.CreateCheckpoint());
        }

        Assert.Throws<ArgumentNullException>(() => trainer.Restore(null!));

        // Best-epoch bookkeeping needs a validation set.
        Network<double> other = Net();
        using var unvalidated = new Trainer<double>(other, new Adam<double>(other.ParameterCount, 0.01), Data(3), options: new TrainingOptions { Threads = 1 });
        Assert.Throws<ArgumentException>(() => unvalidated.Restore(good));

        trainer.Restore(good);
        AssertSame(good, trainer.CreateCheckpoint());
    }

    static void AssertSame(TrainingCheckpoint<double> expected, TrainingCheckpoint<double> actual)
    {
        Assert.Equal(expected.Epoch, actual.Epoch);
        Assert.Equal(expected.OptimizerName, actual.OptimizerName);
        Assert.Equal(expected.OptimizerStepCount, actual.OptimizerStepCount);
        Assert.Equal(expected.LearningRate, actual.LearningRate);
        Assert.Equal(expected.OptimizerState, actual.OptimizerState);
        Assert.Equal(expected.RandomState, actual.RandomState);
        Assert.Equal(expected.BestValidationLoss, actual.BestValidationLoss);
        Assert.Equal(expected.BestEpoch, actual.BestEpoch);
        Assert.Equal(expected.BestParameters, actual.BestParameters);
    }

    static TrainingCheckpoint<double> With(
        TrainingCheckpoint<double> c,
        string? optimizerName = null,
        double[]? optimizerState = null,
        ulong[]? randomState = null,
        double[]? bestParameters = null,
        double? learningRate = null,
        int? epoch = null,
        long? stepCount = null,
        int? bestEpoch = null,
        double? bestValidationLoss = null) => new()
        {
            Epoch = epoch ?? c.Epoch,
            OptimizerName = optimizerName ?? c.OptimizerName,
            OptimizerStepCount = stepCount ?? c.OptimizerStepCount,
            LearningRate = learningRate ?? c.LearningRate,
            OptimizerState = optimizerState ?? c.OptimizerState,
            RandomState = randomState ?? c.RandomState,
            BestValidationLoss = bestValidationLoss ?? c.BestValidationLoss,
            BestEpoch = bestEpoch ?? c.BestEpoch,
            BestParameters = bestParameters ?? c.BestParameters,
        };
}
