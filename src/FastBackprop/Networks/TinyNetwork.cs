using System;
using System.Numerics;
using FastBackprop.Layers;
using FastBackprop.Losses;

namespace FastBackprop.Networks;

/// <summary>
/// Batch-1 forward and training steps for networks whose layers are all tiny (the seeds' 2-2-2 network, XOR,
/// small control nets). At these sizes a step is a few dozen multiply-adds, and the vector kernels' set-up (span
/// slicing, shape checks, a cascade of widths per call) would cost many times the arithmetic; plain scalar loops
/// over the same buffers do the same mathematics without it. Only hidden softmax is impossible, so every network
/// the library accepts qualifies when its layers are small enough.
/// </summary>
internal static class TinyNetwork
{
    /// <summary>Networks whose every layer has at most this many weights take the tiny path at batch 1.</summary>
    public const int MaxLayerWeights = 64;

    public static bool Qualifies<T>(ReadOnlySpan<DenseLayer<T>> layers)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        foreach (DenseLayer<T> layer in layers)
        {
            if (layer.WeightCount > MaxLayerWeights)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One sample forward; the outputs are left in the workspace's last layer outputs (and logits).</summary>
    public static ReadOnlySpan<T> Forward<T>(ReadOnlySpan<DenseLayer<T>> layers, ReadOnlySpan<T> parameters, ReadOnlySpan<T> input, Workspace<T> workspace)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> x = input;
        int last = layers.Length - 1;
        Span<T> y = default;
        for (int l = 0; l <= last; l++)
        {
            DenseLayer<T> layer = layers[l];
            int units = layer.Units;
            ReadOnlySpan<T> w = parameters.Slice(layer.WeightOffset, layer.WeightCount);
            ReadOnlySpan<T> b = parameters.Slice(layer.BiasOffset, units);
            y = workspace.Outputs(l, 1);
            Span<T> z = l == last ? workspace.Logits(1) : y;
            for (int j = 0; j < units; j++)
            {
                T s = b[j];
                for (int i = 0; i < x.Length; i++)
                {
                    s += x[i] * w[(i * units) + j];
                }

                z[j] = s;
            }

            if (layer.Activation == Activation.Softmax)
            {
                Kernels.Softmax.Softmax.Rows<T>(z, y, 1, units);
            }
            else
            {
                for (int j = 0; j < units; j++)
                {
                    y[j] = ScalarActivation.Forward(layer.Activation, z[j]);
                }
            }

            x = y;
        }

        return y;
    }

    /// <summary>
    /// One sample's SGD step: forward, loss, and from the output layer down, the delta of the layer below
    /// (from the weights before their update), then W -= η·x·δ and b -= η·δ. Returns the loss.
    /// </summary>
    public static T TrainStep<T>(
        ReadOnlySpan<DenseLayer<T>> layers, Loss loss, Span<T> parameters,
        ReadOnlySpan<T> input, ReadOnlySpan<T> target, T learningRate, Workspace<T> workspace)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> output = Forward(layers, parameters, input, workspace);
        int last = layers.Length - 1;
        DenseLayer<T> top = layers[last];
        Span<T> delta = workspace.Deltas(last, 1);
        T value = LossFunction.Evaluate(loss, top.Activation, workspace.Logits(1), output, target, 1, top.Units, delta);

        for (int l = last; l >= 0; l--)
        {
            DenseLayer<T> layer = layers[l];
            int units = layer.Units;
            Span<T> w = parameters.Slice(layer.WeightOffset, layer.WeightCount);
            Span<T> b = parameters.Slice(layer.BiasOffset, units);
            ReadOnlySpan<T> x = l == 0 ? input : workspace.Outputs(l - 1, 1);
            if (l > 0)
            {
                // The seeds' hidden delta δ_i = (Σ_j δ_j w_ij) · f'(net_i), before w changes.
                Activation below = layers[l - 1].Activation;
                Span<T> dx = workspace.Deltas(l - 1, 1);
                for (int i = 0; i < x.Length; i++)
                {
                    T s = T.Zero;
                    for (int j = 0; j < units; j++)
                    {
                        s += delta[j] * w[(i * units) + j];
                    }

                    dx[i] = ScalarActivation.Backward(below, x[i], s);
                }
            }

            for (int i = 0; i < x.Length; i++)
            {
                T xi = x[i];
                for (int j = 0; j < units; j++)
                {
                    w[(i * units) + j] -= learningRate * (xi * delta[j]);
                }
            }

            for (int j = 0; j < units; j++)
            {
                b[j] -= learningRate * delta[j];
            }

            if (l > 0)
            {
                delta = workspace.Deltas(l - 1, 1);
            }
        }

        return value;
    }
}
