using BenchmarkDotNet.Attributes;
using FastBackprop.Networks;
using FastBackprop.Optimizers;
using FastBackprop.Training;

namespace FastBackprop.Benchmarks;

/// <summary>
/// One training epoch of W3 (784-128-10, sigmoid hidden, softmax + cross-entropy, SGD η 0.01, mini-batches of 64)
/// over 8,000 random samples through <see cref="Trainer{T}.RunEpoch"/>: the seeded shuffle, 125 gathered batches
/// and their updates, then the epoch's measuring pass (one forward over the 8,000 samples for loss, accuracy, MSE,
/// MAE and bit fails), on 1 and 2 threads.
/// Run: dotnet run -c Release --project bench/FastBackprop.Benchmarks -- --filter '*TrainEpoch*'
/// </summary>
public class TrainEpochBench
{
    const int SampleCount = 8_000;

    Trainer<float> _trainer = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Samples one invocation (one epoch) processes, read by the samples/s column.</summary>
    public int Batch => SampleCount;

    [GlobalSetup]
    public void Setup()
    {
        Network<float> net = Workloads.Network(Workload.W3);
        (float[] inputs, float[] targets) = Workloads.Data(net, SampleCount);
        var data = new Dataset<float>(inputs, targets, net.InputCount, net.OutputCount);
        var optimizer = new Sgd<float>(net.ParameterCount, Workloads.LearningRate(Workload.W3));
        _trainer = new Trainer<float>(net, optimizer, data, options: new TrainingOptions { BatchSize = Workloads.Batch(Workload.W3), Seed = 1, Threads = Threads });

        // Kernel scratch and the thread team start on first need: pay for them here, so that neither a measured
        // iteration nor the allocation count (a Dry job has no warm-up) sees them.
        _trainer.RunEpoch();
    }

    /// <summary>Stops the trainer's worker threads, so that they do not run on into the next case.</summary>
    [GlobalCleanup]
    public void Cleanup() => _trainer.Dispose();

    [Benchmark]
    public double Epoch() => _trainer.RunEpoch().TrainingLoss;
}
