using System;
using System.Globalization;

namespace FastBackprop.Benchmarks;

/// <summary>
/// One GEMM shape C[M, N] = A[M, K]·B[K, N]. A single shape parameter, rather than separate M, N and K
/// parameters, keeps BenchmarkDotNet from running the cross product of the sizes.
/// </summary>
public sealed class GemmShape : IComparable<GemmShape>, IComparable
{
    public GemmShape(int m, int n, int k)
    {
        M = m;
        N = n;
        K = k;
    }

    public int M { get; }

    public int N { get; }

    public int K { get; }

    /// <summary>Floating-point operations of one product: a multiply and an add per (i, j, p).</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>The shapes G of DESIGN.md: W3's layer (64, 128, 784), its square-batch variant, W4's layers, and a square.</summary>
    public static GemmShape[] G { get; } =
    [
        new(64, 128, 784),
        new(128, 128, 784),
        new(256, 1024, 1024),
        new(1024, 1024, 1024),
    ];

    // BenchmarkDotNet orders parameter values through the non-generic IComparable, and would otherwise sort
    // the shapes as strings ("1024x…" before "64x…"); order by work instead.
    public int CompareTo(GemmShape? other)
    {
        if (other is null)
        {
            return 1;
        }

        int byWork = Flops.CompareTo(other.Flops);
        return byWork != 0 ? byWork : (M, N, K).CompareTo((other.M, other.N, other.K));
    }

    public int CompareTo(object? obj) => CompareTo(obj as GemmShape);

    /// <summary>"MxNxK": what the Shape column of the reports shows.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{M}x{N}x{K}");
}
