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

    /// <summary>
    /// Whether <see cref="ForwardScalarFast"/> covers z. A latency-bound scalar caller (the 2-2-2 step) tests its
    /// sums first and hands any outside the range to code that can afford the general path.
    /// </summary>
    static abstract bool ScalarFastCovers(T z);

    /// <summary>
    /// y = f(z) for one element that <see cref="ScalarFastCovers"/> accepts, equal to
    /// <c>Forward&lt;T, SimdScalar&lt;T&gt;&gt;(z)</c> bit for bit, with no out-of-line path: even untaken, a slow
    /// path's code makes the JIT keep the caller's floats on the stack.
    /// </summary>
    static abstract T ForwardScalarFast(T z);

    /// <summary>dz = dy · f'(z), with f'(z) computed from y = f(z).</summary>
    static abstract TVec Backward<TVec, TSimd>(TVec y, TVec dy)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>;
}
