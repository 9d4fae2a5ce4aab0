using System;
using System.Numerics;

namespace FastBackprop.Tests.Optimizers;

/// <summary>Random vectors for the optimizer tests, and comparison against double references.</summary>
internal static class OptimizerTestData
{
    /// <summary>Relative tolerance (scaled by 1 + |expected|) for a few steps of an update in <typeparamref name="T"/>.</summary>
    public static double Tolerance<T>() => typeof(T) == typeof(float) ? 2e-5 : 1e-12;

    /// <summary>n values uniform in [lo, hi), each exactly 0 with probability <paramref name="zeros"/>.</summary>
    public static T[] Draw<T>(Random random, int n, double lo, double hi, double zeros = 0)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var values = new T[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = random.NextDouble() < zeros ? T.Zero : T.CreateTruncating(lo + ((hi - lo) * random.NextDouble()));
        }

        return values;
    }

    /// <summary>n values drawn from −1, 0 and +1.</summary>
    public static T[] Signs<T>(Random random, int n)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var values = new T[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = T.CreateTruncating(random.Next(3) - 1);
        }

        return values;
    }

    /// <summary>A scalar hyper-parameter rounded to <typeparamref name="T"/>, as the code under test sees it.</summary>
    public static T Scalar<T>(double value)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.CreateTruncating(value);

    public static double D<T>(T value)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => double.CreateTruncating(value);

    public static double[] D<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = double.CreateTruncating(values[i]);
        }

        return result;
    }

    /// <summary>Throws (so FsCheck reports the case) when an element is off by more than tolerance · (1 + |expected|).</summary>
    public static void AssertClose<T>(ReadOnlySpan<double> expected, ReadOnlySpan<T> actual, double tolerance, string what)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (expected.Length != actual.Length)
        {
            throw new InvalidOperationException($"{what}: expected {expected.Length} elements, got {actual.Length}");
        }

        for (int i = 0; i < expected.Length; i++)
        {
            double got = double.CreateTruncating(actual[i]);
            if (got != expected[i] && !(Math.Abs(got - expected[i]) <= tolerance * (1 + Math.Abs(expected[i]))))
            {
                throw new InvalidOperationException($"{what}, element {i} of {expected.Length}: expected {expected[i]:R}, got {got:R}");
            }
        }
    }
}
