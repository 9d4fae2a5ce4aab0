using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using FastBackprop.Kernels;
using FastBackprop.Kernels.Elementwise;

namespace FastBackprop.Layers;

/// <summary>One element of an activation's backward pass, for code that works a unit at a time (the tiny path's forward takes the activation as a type argument instead).</summary>
internal static class ScalarActivation
{
    /// <summary>dy · f'(z), with the derivative read off y = f(z), for every activation but softmax.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Backward<T>(Activation activation, T y, T dy)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => activation switch
        {
            Activation.Identity => dy,
            Activation.Sigmoid => SigmoidOp<T>.Backward<T, SimdScalar<T>>(y, dy),
            Activation.Tanh => TanhOp<T>.Backward<T, SimdScalar<T>>(y, dy),
            Activation.Relu => ReluOp<T>.Backward<T, SimdScalar<T>>(y, dy),
            Activation.LeakyRelu => LeakyReluOp<T>.Backward<T, SimdScalar<T>>(y, dy),
            _ => NoElementwise<T>(activation),
        };

    // Out of line: a throw with a formatted message, inlined into a caller's loop, gives every iteration a string
    // handler on the stack to zero.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static T NoElementwise<T>(Activation activation) =>
        throw new InvalidOperationException($"{activation} has no elementwise form.");
}
