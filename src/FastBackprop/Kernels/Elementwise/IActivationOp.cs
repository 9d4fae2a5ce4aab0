using System.Numerics;

namespace FastBackprop.Kernels.Elementwise;

/// <summary>
/// An activation function as a pair of vector operations, written once for every width through
/// <see cref="ISimd{TVec, T}"/>. Backward works from the layer's output y = f(z), so a layer needs to keep only
/// its outputs: every activation here has a derivative expressible through y.
/// </summary>
internal interface IActivationOp<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>y = f(z).</summary>
    static abstract TVec Forward<TVec, TSimd>(TVec z)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>;

    /// <summary>dz = dy · f'(z), with f'(z) computed from y = f(z).</summary>
    static abstract TVec Backward<TVec, TSimd>(TVec y, TVec dy)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>;
}
