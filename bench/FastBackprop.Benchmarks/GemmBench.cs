using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using FastBackprop.Kernels.Gemm;

namespace FastBackprop.Benchmarks;

/// <summary>
/// One product of the library's GEMM over the shapes G of DESIGN.md, in each of the three forms a dense layer
/// uses, on 1 and 2 threads. Float32, alpha = 1, C overwritten (accumulate: false). Read the GFLOP/s column
/// against <see cref="PeakBench"/> from the same run.
/// Run: dotnet run -c Release --project bench/FastBackprop.Benchmarks -- --filter '*GemmBench*'
/// </summary>
public class GemmBench
{
    float[] _a = null!;
    float[] _b = null!;
    float[] _c = null!;
    GemmWorkspace<float> _workspace = null!;
    int _m;
    int _n;
    int _k;

    public static IEnumerable<GemmShape> Shapes => GemmShape.G;

    [ParamsSource(nameof(Shapes), Priority = -2)]
    public GemmShape Shape { get; set; } = GemmShape.G[0];

    [ParamsAllValues(Priority = -1)]
    public GemmForm Form { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_m, _n, _k) = (Shape.M, Shape.N, Shape.K);

        // A is [M, K] (NN, NT) or [K, M] (TN) and B is [K, N] (NN, TN) or [N, K] (NT): the same element counts.
        var random = new Random(7);
        _a = RandomMatrix(random, _m * _k);
        _b = RandomMatrix(random, _k * _n);
        _c = new float[_m * _n];
        _workspace = new GemmWorkspace<float>(Threads);

        // The workspace grows its scratch on first need (NT's transpose): pay for it here, so that neither a
        // measured iteration nor the allocation count sees it.
        Multiply();
    }

    [GlobalCleanup]
    public void Cleanup() => _workspace.Dispose();

    [Benchmark]
    public void Multiply()
    {
        switch (Form)
        {
            case GemmForm.NN:
                Gemm.MultiplyNN(_m, _n, _k, 1f, _a, lda: _k, _b, ldb: _n, accumulate: false, _c, ldc: _n, _workspace);
                break;
            case GemmForm.TN:
                Gemm.MultiplyTN(_m, _n, _k, 1f, _a, lda: _m, _b, ldb: _n, accumulate: false, _c, ldc: _n, _workspace);
                break;
            case GemmForm.NT:
                Gemm.MultiplyNT(_m, _n, _k, 1f, _a, lda: _k, _b, ldb: _k, accumulate: false, _c, ldc: _n, _workspace);
                break;
            default:
                throw new InvalidOperationException($"Unknown form {Form}.");
        }
    }

    /// <summary>Uniform in [-1, 1): products of this size stay well inside float's range.</summary>
    static float[] RandomMatrix(Random random, int length)
    {
        float[] values = new float[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (random.NextSingle() * 2) - 1;
        }

        return values;
    }
}
