using System;
using System.Numerics;
using FastBackprop.Kernels.Gemm;
using FastBackprop.Kernels.Reductions;

namespace FastBackprop.Layers;

/// <summary>
/// A fully connected layer: z = x·W + b, y = f(z), with W of shape [inputs, units] (row i holds the weights
/// leaving input i) and b of length units. The layer owns no memory: parameters, gradients and activations are
/// slices of the network's and the workspace's flat buffers, located by the offsets kept here.
/// </summary>
internal sealed class DenseLayer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public DenseLayer(int inputs, LayerSpec spec, int parameterOffset)
    {
        Inputs = inputs;
        Units = spec.Units;
        Activation = spec.Activation;
        WeightOffset = parameterOffset;
        BiasOffset = parameterOffset + (inputs * spec.Units);
    }

    public int Inputs { get; }

    public int Units { get; }

    public Activation Activation { get; }

    /// <summary>Where W[0, 0] is in the flat parameter (and gradient) vector.</summary>
    public int WeightOffset { get; }

    /// <summary>Where b[0] is in the flat parameter (and gradient) vector; W's inputs·units elements come before it.</summary>
    public int BiasOffset { get; }

    public int ParameterCount => (Inputs * Units) + Units;

    public int WeightCount => Inputs * Units;

    /// <summary>
    /// z = x·W + b into <paramref name="z"/>, then y = f(z) into <paramref name="y"/>. When <paramref name="y"/> is
    /// the same memory as <paramref name="z"/> (hidden layers) the activation is fused with the bias in one pass;
    /// the output layer keeps z apart because the cross-entropy losses are evaluated from it.
    /// </summary>
    /// <param name="x">[batch, Inputs].</param>
    /// <param name="batch">Rows of x.</param>
    /// <param name="parameters">The network's flat parameter vector.</param>
    /// <param name="z">[batch, Units], overwritten.</param>
    /// <param name="y">[batch, Units], overwritten; may be <paramref name="z"/> itself.</param>
    public void Forward(ReadOnlySpan<T> x, int batch, ReadOnlySpan<T> parameters, Span<T> z, Span<T> y)
    {
        ReadOnlySpan<T> w = parameters.Slice(WeightOffset, WeightCount);
        ReadOnlySpan<T> b = parameters.Slice(BiasOffset, Units);
        int n = batch * Units;
        Gemm.MultiplyNN(batch, Units, Inputs, x, Inputs, w, Units, z, Units, accumulate: false);
        if (z.Overlaps(y) && Activation != Activation.Softmax)
        {
            ActivationKernels.AddBiasActivate(Activation, z.Slice(0, n), b, batch);
        }
        else
        {
            ActivationKernels.AddBiasActivate(Activation.Identity, z.Slice(0, n), b, batch);
            ActivationKernels.Activate(Activation, z.Slice(0, n), y.Slice(0, n), batch, Units);
        }
    }

    /// <summary>
    /// From the layer's delta dC/dz, the gradients dC/dW = xᵀ·delta and dC/db = column sums of delta
    /// (both overwritten in <paramref name="gradients"/>), and, when <paramref name="dx"/> is not empty,
    /// dC/dx = delta·Wᵀ (overwritten; not multiplied by the previous layer's derivative).
    /// </summary>
    /// <param name="x">[batch, Inputs], the input the forward pass saw.</param>
    /// <param name="delta">[batch, Units], dC/dz.</param>
    /// <param name="batch">Rows of x and delta.</param>
    /// <param name="parameters">The network's flat parameter vector.</param>
    /// <param name="gradients">The flat gradient vector, laid out as the parameters.</param>
    /// <param name="dx">[batch, Inputs], or empty to skip the input gradient.</param>
    /// <param name="scratch">At least Inputs·Units elements, for the transposed weights.</param>
    public void Backward(
        ReadOnlySpan<T> x, ReadOnlySpan<T> delta, int batch, ReadOnlySpan<T> parameters,
        Span<T> gradients, Span<T> dx, Span<T> scratch)
    {
        Gemm.MultiplyTN(Inputs, Units, batch, x, Inputs, delta, Units, gradients.Slice(WeightOffset, WeightCount), Units, accumulate: false);
        ColumnSums.Run(delta, batch, gradients.Slice(BiasOffset, Units));
        if (!dx.IsEmpty)
        {
            ReadOnlySpan<T> w = parameters.Slice(WeightOffset, WeightCount);
            Gemm.MultiplyNT(batch, Inputs, Units, delta, Units, w, Units, dx, Inputs, accumulate: false, scratch);
        }
    }
}
