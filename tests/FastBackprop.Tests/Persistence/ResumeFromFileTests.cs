using System;
using System.IO;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using FastBackprop.Optimizers;
using FastBackprop.Persistence;
using FastBackprop.Training;
using Xunit;

namespace FastBackprop.Tests.Persistence;

/// <summary>
/// Resume through a file: k epochs, save with the trainer's checkpoint, load into a fresh network, optimizer and
/// trainer, restore, k more epochs: the parameters are bit for bit those of 2k epochs run straight through.
/// </summary>
public sealed class ResumeFromFileTests : IDisposable
{
    const int K = 6;

    readonly string _directory = Directory.CreateTempSubdirectory("fbp-resume-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Adam_minibatches_shuffled_resume_bit_for_bit_float() => Check<float>(net => new Adam<float>(net.ParameterCount, 0.01));

    [Fact]
    public void Sgd_momentum_online_shuffled_resume_bit_for_bit_double() => Check<double>(net => new Sgd<double>(net.ParameterCount, 0.1, momentum: 0.9), batchSize: 1);

    void Check<T>(Func<Network<T>, IOptimizer<T>> optimizer, int batchSize = 4)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        Dataset<T> data = Data<T>();
        var options = new TrainingOptions { BatchSize = batchSize, Shuffle = true, Seed = 17, MaxEpochs = 2 * K, Threads = 1 };

        Network<T> straight = NewNetwork<T>();
        using (var trainer = new Trainer<T>(straight, optimizer(straight), data, options: options))
        {
            for (int e = 0; e < 2 * K; e++)
            {
                trainer.RunEpoch();
            }
        }

        Network<T> first = NewNetwork<T>();
        string path = Path.Combine(_directory, "run.fbp");
        using (var trainer = new Trainer<T>(first, optimizer(first), data, options: options))
        {
            for (int e = 0; e < K; e++)
            {
                trainer.RunEpoch();
            }

            ModelFile.Save(path, first, trainer.CreateCheckpoint());
        }

        Network<T> resumed = ModelFile.Load<T>(path, out TrainingCheckpoint<T>? checkpoint);
        Assert.NotNull(checkpoint);
        Assert.Equal(K, checkpoint.Epoch);
        using (var trainer = new Trainer<T>(resumed, optimizer(resumed), data, options: options))
        {
            trainer.Restore(checkpoint);
            for (int e = 0; e < K; e++)
            {
                trainer.RunEpoch();
            }
        }

        Assert.False(straight.Parameters.SequenceEqual(NewNetwork<T>().Parameters), "Training did not change the parameters.");
        ModelFileTests.AssertSame(straight, resumed);
    }

    static Network<T> NewNetwork<T>()
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var net = new Network<T>(3, Loss.SquaredError, new LayerSpec(5, Activation.Tanh), new LayerSpec(2, Activation.Sigmoid));
        net.InitializeWeights(seed: 4);
        return net;
    }

    static Dataset<T> Data<T>()
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(8);
        var x = new T[13 * 3];
        var y = new T[13 * 2];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = T.CreateChecked((random.NextDouble() * 2) - 1);
        }

        for (int i = 0; i < y.Length; i++)
        {
            y[i] = T.CreateChecked(random.NextDouble());
        }

        return new Dataset<T>(x, y, 3, 2);
    }
}
