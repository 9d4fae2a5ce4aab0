using System;
using System.Numerics;
using FastBackprop.Layers;

namespace FastBackprop.Losses;

/// <summary>The value of each <see cref="Loss"/> and its gradient with respect to the output layer's pre-activations.</summary>
internal static class LossFunction
{
    /// <summary>
    /// The mean loss over <paramref name="rows"/> samples, and, when <paramref name="delta"/> is not empty, the
    /// output layer's delta dC/dz (overwritten).
    /// </summary>
    /// <param name="loss">The loss.</param>
    /// <param name="activation">The output layer's activation.</param>
    /// <param name="z">[rows, width] the output pre-activations (logits).</param>
    /// <param name="y">[rows, width] the outputs f(z).</param>
    /// <param name="targets">[rows, width].</param>
    /// <param name="rows">Samples in the batch.</param>
    /// <param name="width">Outputs per sample.</param>
    /// <param name="delta">[rows, width] or empty.</param>
    public static T Evaluate<T>(
        Loss loss, Activation activation,
        ReadOnlySpan<T> z, ReadOnlySpan<T> y, ReadOnlySpan<T> targets, int rows, int width, Span<T> delta)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = rows * width;
        T inverseRows = T.One / T.CreateChecked(rows);
        T sum = loss switch
        {
            Loss.SquaredError => SquaredError(y.Slice(0, n), targets.Slice(0, n)),
            Loss.SoftmaxCrossEntropy => SoftmaxCrossEntropy(z, targets, rows, width),
            Loss.SigmoidBinaryCrossEntropy => SigmoidBinaryCrossEntropy(z.Slice(0, n), targets.Slice(0, n)),
            _ => throw new InvalidOperationException($"Unknown loss {loss}."),
        };

        if (!delta.IsEmpty)
        {
            // Every loss here starts from (y - t) / rows: for the squared error it is dC/dy, and for the two
            // fused cross-entropies it is already dC/dz, because the activation's derivative cancels.
            Span<T> d = delta.Slice(0, n);
            for (int i = 0; i < n; i++)
            {
                d[i] = (y[i] - targets[i]) * inverseRows;
            }

            if (loss == Loss.SquaredError)
            {
                ActivationKernels.Backward(activation, y, d, rows, width);
            }
        }

        return sum * inverseRows;
    }

    // Σ ½ (t - y)²
    static T SquaredError<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> t)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        for (int i = 0; i < y.Length; i++)
        {
            T e = t[i] - y[i];
            sum += e * e;
        }

        return sum / (T.One + T.One);
    }

    // Σ_rows -Σ_j t_j log softmax(z)_j, with log softmax(z)_j = z_j - logsumexp(z).
    static T SoftmaxCrossEntropy<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> t, int rows, int width)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> zr = z.Slice(r * width, width);
            ReadOnlySpan<T> tr = t.Slice(r * width, width);
            T logSumExp = Kernels.Softmax.Softmax.LogSumExp(zr);
            for (int j = 0; j < width; j++)
            {
                if (tr[j] != T.Zero)
                {
                    sum -= tr[j] * (zr[j] - logSumExp);
                }
            }
        }

        return sum;
    }

    // Σ -[t log σ(z) + (1 - t) log(1 - σ(z))] = Σ max(z, 0) - t z + log(1 + e^-|z|), which neither overflows
    // nor takes the log of 0.
    static T SigmoidBinaryCrossEntropy<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> t)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        for (int i = 0; i < z.Length; i++)
        {
            T zi = z[i];
            sum += T.Max(zi, T.Zero) - (t[i] * zi) + T.LogP1(T.Exp(-T.Abs(zi)));
        }

        return sum;
    }
}
