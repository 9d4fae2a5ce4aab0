using System;
using System.Numerics;
using Xunit;

namespace FastBackprop.Tests.TestUtilities;

/// <summary>A random product with padded leading dimensions and a NaN canary after C.</summary>
internal sealed class GemmCase<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    const int Canary = 17;

    public required T[] A { get; init; }
    public required T[] B { get; init; }
    public required T[] C { get; init; }
    public required double[] Expected { get; init; }
    public required int Lda { get; init; }
    public required int Ldb { get; init; }
    public required int Ldc { get; init; }
    public required int M { get; init; }
    public required int N { get; init; }
    public required double[] Magnitude { get; init; }
    public required int K { get; init; }
    public required T[] Original { get; init; }
    public required T Alpha { get; init; }

    public int CLength => C.Length - Canary;

    public static GemmCase<T> Create(Random random, int m, int n, int k, bool transposedA, bool accumulate, bool integers, bool transposedB = false)
    {
        // Leading dimensions larger than the logical width catch a kernel that ignores them.
        int lda = (transposedA ? m : k) + 3, ldb = (transposedB ? k : n) + 2, ldc = n + 1;
        int aRows = transposedA ? k : m, bRows = transposedB ? n : k;
        T[] a = Fill(random, Math.Max(1, aRows * lda), integers);
        T[] b = Fill(random, Math.Max(1, bRows * ldb), integers);
        T[] c = Fill(random, (m * ldc) + Canary, integers);
        c.AsSpan(m * ldc).Fill(T.NaN);
        // alpha = 1 most of the time (the forward and gradient products), else -2 or a fraction, as in
        // W += (-η)·XᵀΔ; -2 keeps integer problems exact.
        double alpha = random.Next(3) switch { 0 => 1, 1 => -2, _ => integers ? 1 : -0.37 };
        double[] expected = new double[m * n];
        double[] magnitude = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0, mag = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = double.CreateChecked(transposedA ? a[(p * lda) + i] : a[(i * lda) + p]);
                    double bv = double.CreateChecked(transposedB ? b[(j * ldb) + p] : b[(p * ldb) + j]);
                    s += av * bv;
                    mag += Math.Abs(av * bv);
                }

                double c0 = accumulate ? double.CreateChecked(c[(i * ldc) + j]) : 0;
                expected[(i * n) + j] = c0 + (alpha * s);
                magnitude[(i * n) + j] = Math.Abs(c0) + (Math.Abs(alpha) * mag);
            }
        }

        return new GemmCase<T> { A = a, B = b, C = c, Expected = expected, Magnitude = magnitude, Lda = lda, Ldb = ldb, Ldc = ldc, M = m, N = n, K = k, Original = (T[])c.Clone(), Alpha = T.CreateChecked(alpha) };
    }

    public void Verify(bool exact, string what)
    {
        double eps = typeof(T) == typeof(float) ? 1.2e-7 : 2.3e-16;
        for (int i = 0; i < M; i++)
        {
            for (int j = 0; j < N; j++)
            {
                double got = double.CreateChecked(C[(i * Ldc) + j]);
                double want = Expected[(i * N) + j];
                double tolerance = exact ? 0 : 2 * (K + 2) * eps * Magnitude[(i * N) + j];
                Assert.True(Math.Abs(got - want) <= tolerance, $"{what}: C[{i},{j}] = {got}, expected {want} (tolerance {tolerance})");
            }

            // The padding columns between rows of C belong to nobody: they must keep their values.
            for (int j = N; j < Ldc && (i * Ldc) + j < CLength; j++)
            {
                Assert.True(Original[(i * Ldc) + j].Equals(C[(i * Ldc) + j]), $"{what}: wrote into the padding of C at row {i}, column {j}");
            }
        }

        for (int i = CLength; i < C.Length; i++)
        {
            Assert.True(T.IsNaN(C[i]), $"{what}: wrote past the end of C at {i - CLength}");
        }
    }

    static T[] Fill(Random random, int length, bool integers)
    {
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = integers ? T.CreateChecked(random.Next(-8, 9)) : T.CreateChecked((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
