using System;
using System.Numerics;
using FastBackprop.Kernels.Elementwise;

namespace FastBackprop.Layers;

/// <summary>Maps an <see cref="Activation"/> to its kernel: the one place an enum becomes a generic operator.</summary>
internal static class ActivationKernels
{
    /// <summary>values[r, :] = f(values[r, :] + bias) in place, for every activation but softmax.</summary>
    public static void AddBiasActivate<T>(Activation activation, Span<T> values, ReadOnlySpan<T> bias, int rows)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        switch (activation)
        {
            case Activation.Identity: Elementwise.AddBiasActivate<IdentityOp<T>, T>(values, bias, rows); break;
            case Activation.Sigmoid: Elementwise.AddBiasActivate<SigmoidOp<T>, T>(values, bias, rows); break;
            case Activation.Tanh: Elementwise.AddBiasActivate<TanhOp<T>, T>(values, bias, rows); break;
            case Activation.Relu: Elementwise.AddBiasActivate<ReluOp<T>, T>(values, bias, rows); break;
            case Activation.LeakyRelu: Elementwise.AddBiasActivate<LeakyReluOp<T>, T>(values, bias, rows); break;
            default: throw new InvalidOperationException($"{activation} has no elementwise forward kernel.");
        }
    }

    /// <summary>y = f(z) out of place, softmax included (row-wise over <paramref name="width"/> units).</summary>
    public static void Activate<T>(Activation activation, ReadOnlySpan<T> z, Span<T> y, int rows, int width)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        switch (activation)
        {
            case Activation.Identity: z.CopyTo(y); break;
            case Activation.Sigmoid: Kernels.Elementwise.Activate.Run<SigmoidOp<T>, T>(z, y); break;
            case Activation.Tanh: Kernels.Elementwise.Activate.Run<TanhOp<T>, T>(z, y); break;
            case Activation.Relu: Kernels.Elementwise.Activate.Run<ReluOp<T>, T>(z, y); break;
            case Activation.LeakyRelu: Kernels.Elementwise.Activate.Run<LeakyReluOp<T>, T>(z, y); break;
            case Activation.Softmax: Kernels.Softmax.Softmax.Rows(z, y, rows, width); break;
            default: throw new InvalidOperationException($"Unknown activation {activation}.");
        }
    }

    /// <summary>dy ← dy · f'(z), from the outputs y = f(z); for softmax the Jacobian-vector product, row-wise.</summary>
    public static void Backward<T>(Activation activation, ReadOnlySpan<T> y, Span<T> dy, int rows, int width)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        switch (activation)
        {
            case Activation.Identity: break;
            case Activation.Sigmoid: Elementwise.MultiplyByDerivative<SigmoidOp<T>, T>(y, dy); break;
            case Activation.Tanh: Elementwise.MultiplyByDerivative<TanhOp<T>, T>(y, dy); break;
            case Activation.Relu: Elementwise.MultiplyByDerivative<ReluOp<T>, T>(y, dy); break;
            case Activation.LeakyRelu: Elementwise.MultiplyByDerivative<LeakyReluOp<T>, T>(y, dy); break;
            case Activation.Softmax: Kernels.Softmax.Softmax.Backward(y, dy, rows, width); break;
            default: throw new InvalidOperationException($"Unknown activation {activation}.");
        }
    }
}
