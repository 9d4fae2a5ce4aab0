using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using FastBackprop.Internal;
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
    float[] _aArray = null!;
    float[] _bArray = null!;
    float[] _cArray = null!;
    int _aStart;
    int _bStart;
    int _cStart;
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
        // On 64-byte boundaries, as the network's parameters and a large workspace's buffers are: a row that starts
        // on a cache line is read with whole-line loads (NT's dot-product tiles copy an operand that does not).
        _aArray = RandomMatrix(random, _m * _k, out _aStart);
        _bArray = RandomMatrix(random, _k * _n, out _bStart);
        _cArray = AlignedArray.Allocate<float>(_m * _n, out _cStart);
        _workspace = new GemmWorkspace<float>(Threads);

        // The workspace grows its scratch on first need (NT's transpose): pay for it here, so that neither a
        // measured iteration nor the allocation count sees it.
        Multiply();
    }

    [GlobalCleanup]
    public void Cleanup() => _workspace.Dispose();

    Span<float> A => _aArray.AsSpan(_aStart, _m * _k);

    Span<float> B => _bArray.AsSpan(_bStart, _k * _n);

    Span<float> C => _cArray.AsSpan(_cStart, _m * _n);

    [Benchmark]
    public void Multiply()
    {
        switch (Form)
        {
            case GemmForm.NN:
                Gemm.MultiplyNN(_m, _n, _k, 1f, A, lda: _k, B, ldb: _n, accumulate: false, C, ldc: _n, _workspace);
                break;
            case GemmForm.TN:
                Gemm.MultiplyTN(_m, _n, _k, 1f, A, lda: _m, B, ldb: _n, accumulate: false, C, ldc: _n, _workspace);
                break;
            case GemmForm.NT:
                Gemm.MultiplyNT(_m, _n, _k, 1f, A, lda: _k, B, ldb: _k, accumulate: false, C, ldc: _n, _workspace);
                break;
            default:
                throw new InvalidOperationException($"Unknown form {Form}.");
        }
    }

    /// <summary>Uniform in [-1, 1): products of this size stay well inside float's range.</summary>
    static float[] RandomMatrix(Random random, int length, out int start)
    {
        float[] values = AlignedArray.Allocate<float>(length, out start);
        for (int i = start; i < start + length; i++)
        {
            values[i] = (random.NextSingle() * 2) - 1;
        }

        return values;
    }
}
