using BenchmarkDotNet.Attributes;
using FastBackprop.Networks;

namespace FastBackprop.Benchmarks;

/// <summary>
/// One training step (forward, backward, SGD update) of each named workload, or for W5 one inference call,
/// with the workspace's products on 1 and 2 threads (small products stay on the calling thread either way).
/// Run: dotnet run -c Release --project bench/FastBackprop.Benchmarks -- --filter '*TrainStep*'
/// </summary>
public class TrainStepBench
{
    Network<float> _net = null!;
    Workspace<float> _workspace = null!;
    float[] _inputs = null!;
    float[] _targets = null!;
    float[] _outputs = null!;
    float _learningRate;

    [ParamsAllValues(Priority = -1)]
    public Workload Workload { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Samples one invocation processes, read by the samples/s column.</summary>
    public int Batch => Workloads.Batch(Workload);

    [GlobalSetup]
    public void Setup()
    {
        _net = Workloads.Network(Workload);
        _workspace = _net.CreateWorkspace(Batch, Threads);
        (_inputs, _targets) = Workloads.Data(_net, Batch);
        _outputs = new float[Batch * _net.OutputCount];
        _learningRate = Workloads.LearningRate(Workload);

        // Kernel scratch grows on first need: pay for it here, so that neither a measured iteration nor the
        // allocation count (a Dry job has no warm-up) sees it.
        Step();
    }

    /// <summary>Stops the workspace's worker threads, so that they do not run on into the next case.</summary>
    [GlobalCleanup]
    public void Cleanup() => _workspace.Dispose();

    [Benchmark]
    public float Step()
    {
        if (Workload == Workload.W5)
        {
            _net.Predict(_inputs, _outputs, _workspace);
            return _outputs[0];
        }

        return _net.TrainStep(_inputs, _targets, _workspace, _learningRate);
    }
}
