using BenchmarkDotNet.Attributes;
using FastBackprop.Networks;

namespace FastBackprop.Benchmarks;

/// <summary>
/// One training step (forward, backward, SGD update) of each named workload, or for W5 one inference call.
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

    [ParamsAllValues]
    public Workload Workload { get; set; }

    /// <summary>Samples one invocation processes, read by the samples/s column.</summary>
    public int Batch => Workloads.Batch(Workload);

    [GlobalSetup]
    public void Setup()
    {
        _net = Workloads.Network(Workload);
        _workspace = _net.CreateWorkspace(Batch);
        (_inputs, _targets) = Workloads.Data(_net, Batch);
        _outputs = new float[Batch * _net.OutputCount];
        _learningRate = Workloads.LearningRate(Workload);
    }

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
