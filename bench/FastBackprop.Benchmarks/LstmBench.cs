using System;
using BenchmarkDotNet.Attributes;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Recurrent.Sequence;

namespace FastBackprop.Benchmarks;

/// <summary>
/// One LSTM training step in float: forward over batch 32 × 64 steps of 32 features, hidden 128, a dense
/// 128 → 10 output at every step (squared error), full BPTT backward, and the SGD update, on 1 thread.
/// Run: dotnet run -c Release --project bench/FastBackprop.Benchmarks -- --filter '*LstmBench*'
/// </summary>
public class LstmBench
{
    const int Inputs = 32, Hidden = 128, Outputs = 10, Length = 64;

    SequenceNetwork<float> _net = null!;
    SequenceWorkspace<float> _workspace = null!;
    float[] _inputs = null!;
    float[] _targets = null!;

    /// <summary>Sequences per step, read by the samples/s column.</summary>
    public int Batch => 32;

    [GlobalSetup]
    public void Setup()
    {
        _net = new SequenceNetwork<float>(Inputs, CellType.Lstm, Hidden, new LayerSpec(Outputs, Activation.Identity), Loss.SquaredError, SequenceOutput.EveryStep);
        _net.InitializeWeights(1);
        _workspace = _net.CreateWorkspace(Batch, Length, threads: 1);
        var random = new Random(1);
        _inputs = new float[Batch * Length * Inputs];
        _targets = new float[Batch * Length * Outputs];
        for (int i = 0; i < _inputs.Length; i++)
        {
            _inputs[i] = (float)((2 * random.NextDouble()) - 1);
        }

        for (int i = 0; i < _targets.Length; i++)
        {
            _targets[i] = (float)random.NextDouble();
        }

        // Kernel scratch grows on first need: pay for it here, not in a measured iteration.
        Step();
    }

    [GlobalCleanup]
    public void Cleanup() => _workspace.Dispose();

    [Benchmark]
    public float Step() => _net.TrainStep(_inputs, _targets, Length, _workspace, 1e-3f);
}
