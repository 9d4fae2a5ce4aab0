using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
/// <remarks>
/// The loops walk raw references into the parameter vector and the workspace's arena: every index is bounded by
/// the layer shapes the network and the workspace were built from, and the caller has checked the sample's
/// length, so the spans' bounds checks would only add work to a step that is mostly a dependency chain of
/// exponentials. The arithmetic (order of sums, products and activations) is the general path's, term for term,
/// which <c>TinyNetworkTests</c> checks.
/// </remarks>
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
    public static ReadOnlySpan<T> Forward<T>(DenseLayer<T>[] layers, T[] parameters, ReadOnlySpan<T> input, Workspace<T> workspace)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        RunForward(layers, parameters, ref MemoryMarshal.GetReference(input), workspace);
        return workspace.Outputs(layers.Length - 1, 1);
    }

    /// <summary>
    /// One sample's SGD step: forward, loss, and from the output layer down, the delta of the layer below
    /// (from the weights before their update), then W -= η·x·δ and b -= η·δ. Returns the loss.
    /// </summary>
    public static T TrainStep<T>(
        DenseLayer<T>[] layers, Loss loss, T[] parameters,
        ReadOnlySpan<T> input, ReadOnlySpan<T> target, T learningRate, Workspace<T> workspace)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T x0 = ref MemoryMarshal.GetReference(input);
        RunForward(layers, parameters, ref x0, workspace);

        int last = layers.Length - 1;
        DenseLayer<T> top = layers[last];
        T value = loss == Loss.SquaredError
            ? SquaredErrorDelta(top, ref workspace.OutputsRef(last), ref MemoryMarshal.GetReference(target), ref workspace.DeltasRef(last))
            : LossFunction.Evaluate(loss, top.Activation, workspace.Logits(1), workspace.Outputs(last, 1), target, 1, top.Units, workspace.Deltas(last, 1));

        ref T p = ref MemoryMarshal.GetArrayDataReference(parameters);
        for (int l = last; l >= 0; l--)
        {
            DenseLayer<T> layer = layers[l];
            int inputs = layer.Inputs;
            int units = layer.Units;
            ref T w = ref Unsafe.Add(ref p, layer.WeightOffset);
            ref T b = ref Unsafe.Add(ref p, layer.BiasOffset);
            ref T delta = ref workspace.DeltasRef(l);
            ref T x = ref l == 0 ? ref x0 : ref workspace.OutputsRef(l - 1);
            if (l > 0)
            {
                // The seeds' hidden delta δ_i = (Σ_j δ_j w_ij) · f'(net_i), before w changes.
                BackwardDelta(layers[l - 1].Activation, ref w, ref delta, ref x, ref workspace.DeltasRef(l - 1), inputs, units);
            }

            for (int i = 0; i < inputs; i++)
            {
                T xi = Unsafe.Add(ref x, i);
                ref T row = ref Unsafe.Add(ref w, i * units);
                for (int j = 0; j < units; j++)
                {
                    Unsafe.Add(ref row, j) -= learningRate * (xi * Unsafe.Add(ref delta, j));
                }
            }

            for (int j = 0; j < units; j++)
            {
                Unsafe.Add(ref b, j) -= learningRate * Unsafe.Add(ref delta, j);
            }
        }

        return value;
    }

    static void RunForward<T>(DenseLayer<T>[] layers, T[] parameters, ref T input, Workspace<T> workspace)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T p = ref MemoryMarshal.GetArrayDataReference(parameters);
        ref T x = ref input;
        int last = layers.Length - 1;
        for (int l = 0; l <= last; l++)
        {
            DenseLayer<T> layer = layers[l];
            int inputs = layer.Inputs;
            int units = layer.Units;
            ref T w = ref Unsafe.Add(ref p, layer.WeightOffset);
            ref T b = ref Unsafe.Add(ref p, layer.BiasOffset);
            ref T y = ref workspace.OutputsRef(l);
            ref T z = ref l == last ? ref workspace.LogitsRef() : ref y;
            for (int j = 0; j < units; j++)
            {
                T s = Unsafe.Add(ref b, j);
                for (int i = 0; i < inputs; i++)
                {
                    s += Unsafe.Add(ref x, i) * Unsafe.Add(ref w, (i * units) + j);
                }

                Unsafe.Add(ref z, j) = s;
            }

            Activate(layer.Activation, ref z, ref y, units);
            x = ref y;
        }
    }

    // y = f(z) for a layer's units; the switch is taken once per layer, not once per unit.
    static void Activate<T>(Activation activation, ref T z, ref T y, int units)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        switch (activation)
        {
            case Activation.Softmax:
                Kernels.Softmax.Softmax.Rows<T>(MemoryMarshal.CreateReadOnlySpan(ref z, units), MemoryMarshal.CreateSpan(ref y, units), 1, units);
                break;
            default:
                for (int j = 0; j < units; j++)
                {
                    Unsafe.Add(ref y, j) = ScalarActivation.Forward(activation, Unsafe.Add(ref z, j));
                }

                break;
        }
    }

    // δ_below[i] = f'(x_i) · Σ_j δ_j w_ij, from the outputs x of the layer below.
    static void BackwardDelta<T>(Activation below, ref T w, ref T delta, ref T x, ref T deltaBelow, int inputs, int units)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < inputs; i++)
        {
            ref T row = ref Unsafe.Add(ref w, i * units);
            T s = T.Zero;
            for (int j = 0; j < units; j++)
            {
                s += Unsafe.Add(ref delta, j) * Unsafe.Add(ref row, j);
            }

            Unsafe.Add(ref deltaBelow, i) = ScalarActivation.Backward(below, Unsafe.Add(ref x, i), s);
        }
    }

    // The squared error ½ Σ (t - y)² of one sample and its delta dC/dz = (y - t) · f'(z), as LossFunction computes
    // them for a batch of one (whose 1/rows factor is exactly 1).
    static T SquaredErrorDelta<T>(DenseLayer<T> top, ref T y, ref T t, ref T delta)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int units = top.Units;
        Activation activation = top.Activation;
        T sum = T.Zero;
        for (int j = 0; j < units; j++)
        {
            T yj = Unsafe.Add(ref y, j);
            T e = Unsafe.Add(ref t, j) - yj;
            sum += e * e;
            T d = yj - Unsafe.Add(ref t, j);
            Unsafe.Add(ref delta, j) = activation == Activation.Softmax ? d : ScalarActivation.Backward(activation, yj, d);
        }

        if (activation == Activation.Softmax)
        {
            // Squared error on a softmax output: the row's Jacobian-vector product, as the general path does.
            Kernels.Softmax.Softmax.Backward<T>(MemoryMarshal.CreateReadOnlySpan(ref y, units), MemoryMarshal.CreateSpan(ref delta, units), 1, units);
        }

        return sum / (T.One + T.One);
    }
}
