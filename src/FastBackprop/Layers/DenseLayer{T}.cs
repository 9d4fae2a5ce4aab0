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
    /// <param name="gemm">The products' scratch and threads.</param>
    public void Forward(ReadOnlySpan<T> x, int batch, ReadOnlySpan<T> parameters, Span<T> z, Span<T> y, GemmWorkspace<T> gemm)
    {
        ReadOnlySpan<T> w = parameters.Slice(WeightOffset, WeightCount);
        ReadOnlySpan<T> b = parameters.Slice(BiasOffset, Units);
        int n = batch * Units;
        Gemm.MultiplyNN(batch, Units, Inputs, T.One, x, Inputs, w, Units, accumulate: false, z, Units, gemm);
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
    /// dC/dx = delta·Wᵀ into <paramref name="dx"/> (overwritten; not yet multiplied by the previous layer's
    /// derivative). Must run before <see cref="UpdateWeights"/> changes W.
    /// </summary>
    /// <param name="delta">[batch, Units], dC/dz.</param>
    /// <param name="batch">Rows of delta.</param>
    /// <param name="parameters">The network's flat parameter vector.</param>
    /// <param name="dx">[batch, Inputs].</param>
    /// <param name="gemm">The products' scratch and threads.</param>
    public void InputGradient(ReadOnlySpan<T> delta, int batch, ReadOnlySpan<T> parameters, Span<T> dx, GemmWorkspace<T> gemm)
    {
        ReadOnlySpan<T> w = parameters.Slice(WeightOffset, WeightCount);
        Gemm.MultiplyNT(batch, Inputs, Units, T.One, delta, Units, w, Units, accumulate: false, dx, Inputs, gemm);
    }

    /// <summary>
    /// The seeds' dC/dw = x·δ and dC/db = δ, summed over the batch: dC/dW = xᵀ·delta and dC/db = column sums of
    /// delta, both overwritten in <paramref name="gradients"/>.
    /// </summary>
    /// <param name="x">[batch, Inputs], the input the forward pass saw.</param>
    /// <param name="delta">[batch, Units], dC/dz.</param>
    /// <param name="batch">Rows of x and delta.</param>
    /// <param name="gradients">The flat gradient vector, laid out as the parameters.</param>
    /// <param name="gemm">The products' scratch and threads.</param>
    public void ParameterGradients(ReadOnlySpan<T> x, ReadOnlySpan<T> delta, int batch, Span<T> gradients, GemmWorkspace<T> gemm)
    {
        Gemm.MultiplyTN(Inputs, Units, batch, T.One, x, Inputs, delta, Units, accumulate: false, gradients.Slice(WeightOffset, WeightCount), Units, gemm);
        ColumnSums.Run(delta, batch, gradients.Slice(BiasOffset, Units));
    }

    /// <summary>
    /// Plain SGD fused into the weight-gradient product: W += (-η)·xᵀ·delta accumulated straight into the
    /// weights, so the gradient is never stored and read back; b -= η·Σ delta through the bias slots of
    /// <paramref name="gradients"/>.
    /// </summary>
    /// <param name="x">[batch, Inputs], the input the forward pass saw.</param>
    /// <param name="delta">[batch, Units], dC/dz.</param>
    /// <param name="batch">Rows of x and delta.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="parameters">The network's flat parameter vector, updated in place.</param>
    /// <param name="gradients">Receives dC/db; its weight slots are left alone.</param>
    /// <param name="gemm">The products' scratch and threads.</param>
    public void UpdateWeights(ReadOnlySpan<T> x, ReadOnlySpan<T> delta, int batch, T learningRate, Span<T> parameters, Span<T> gradients, GemmWorkspace<T> gemm)
    {
        Gemm.MultiplyTN(Inputs, Units, batch, -learningRate, x, Inputs, delta, Units, accumulate: true, parameters.Slice(WeightOffset, WeightCount), Units, gemm);
        Span<T> db = gradients.Slice(BiasOffset, Units);
        ColumnSums.Run(delta, batch, db);
        Kernels.Elementwise.Axpy.Run(-learningRate, db, parameters.Slice(BiasOffset, Units));
    }
}
