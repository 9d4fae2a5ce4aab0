using System;
using System.Numerics;

namespace FastBackprop.Kernels.Softmax;

/// <summary>Row-wise softmax and the pieces of its backward pass.</summary>
internal static class Softmax
{
    /// <summary>
    /// y[r, :] = softmax(z[r, :]) for each of <paramref name="rows"/> rows of width <paramref name="width"/>,
    /// computed as e^(z - max) / Σ e^(z - max), so no exponential overflows.
    /// </summary>
    public static void Rows<T>(ReadOnlySpan<T> z, Span<T> y, int rows, int width)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> zr = z.Slice(r * width, width);
            Span<T> yr = y.Slice(r * width, width);
            T max = Max(zr);
            T sum = T.Zero;
            for (int j = 0; j < width; j++)
            {
                T e = T.Exp(zr[j] - max);
                yr[j] = e;
                sum += e;
            }

            T inverse = T.One / sum;
            for (int j = 0; j < width; j++)
            {
                yr[j] *= inverse;
            }
        }
    }

    /// <summary>log Σ_j e^(z[j]) for one row, without overflow.</summary>
    public static T LogSumExp<T>(ReadOnlySpan<T> z)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T max = Max(z);
        T sum = T.Zero;
        for (int j = 0; j < z.Length; j++)
        {
            sum += T.Exp(z[j] - max);
        }

        return max + T.Log(sum);
    }

    /// <summary>
    /// The backward pass of softmax for an arbitrary upstream gradient g: dz[r, j] = y[r, j] (g[r, j] - Σ_k g[r, k] y[r, k]),
    /// the product of softmax's Jacobian diag(y) - y yᵀ with g. Overwrites <paramref name="g"/> with dz.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> y, Span<T> g, int rows, int width)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> yr = y.Slice(r * width, width);
            Span<T> gr = g.Slice(r * width, width);
            T dot = T.Zero;
            for (int j = 0; j < width; j++)
            {
                dot += gr[j] * yr[j];
            }

            for (int j = 0; j < width; j++)
            {
                gr[j] = yr[j] * (gr[j] - dot);
            }
        }
    }

    static T Max<T>(ReadOnlySpan<T> z)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T max = z[0];
        for (int j = 1; j < z.Length; j++)
        {
            max = T.Max(max, z[j]);
        }

        return max;
    }
}
