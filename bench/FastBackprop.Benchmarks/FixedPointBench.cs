using System;
using BenchmarkDotNet.Attributes;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Recurrent.FixedPoint;

namespace FastBackprop.Benchmarks;

/// <summary>
/// A fixed-point (Almeida-Pineda) network of 256 tanh units, 64 inputs, 16 read out, float32, recurrent weights of
/// spectral norm about 0.5, d = 1, tolerance 1e-5 in both phases: one forward relaxation (Relax), and one forward
/// plus backward relaxation with the gradient products (Gradients), at batch 1 (GEMVs) and 32.
/// Run: dotnet run -c Release --project bench/FastBackprop.Benchmarks -- --filter '*FixedPointBench*'
/// </summary>
public class FixedPointBench
{
    const int Units = 256;
    const int Inputs = 64;
    const int Outputs = 16;

    FixedPointNetwork<float> _net = null!;
    FixedPointWorkspace<float> _workspace = null!;
    float[] _inputs = null!;
    float[] _targets = null!;

    [Params(1, 32)]
    public int Batch { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _net = new FixedPointNetwork<float>(Units, Inputs, Outputs, Activation.Tanh, Loss.SquaredError);
        _net.InitializeWeights(seed: 1, recurrentScale: 0.5);
        _workspace = _net.CreateWorkspace(Batch, Threads);
        var random = new Random(2);
        _inputs = new float[Batch * Inputs];
        _targets = new float[Batch * Outputs];
        for (int i = 0; i < _inputs.Length; i++)
        {
            _inputs[i] = (float)((2 * random.NextDouble()) - 1);
        }

        for (int i = 0; i < _targets.Length; i++)
        {
            _targets[i] = (float)((2 * random.NextDouble()) - 1);
        }

        // Scratch grows on first need: pay for it here. Say how many iterations a call runs, so that times can be
        // read per iteration; a benchmark that stopped converging would measure something else, so refuse it.
        FixedPointResult<float> result = _net.ComputeGradients(_inputs, _targets, _workspace);
        if (!result.Converged)
        {
            throw new InvalidOperationException($"The benchmark network did not converge: {result}");
        }

        Console.WriteLine($"// FixedPointBench batch {Batch}: forward {result.Forward}; backward {result.Backward}");
    }

    [GlobalCleanup]
    public void Cleanup() => _workspace.Dispose();

    [Benchmark]
    public int Relax() => _net.Relax(_inputs, _workspace).Iterations;

    [Benchmark]
    public float Gradients() => _net.ComputeGradients(_inputs, _targets, _workspace).Loss;
}
