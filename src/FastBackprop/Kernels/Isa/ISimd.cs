namespace FastBackprop.Kernels;

/// <summary>
/// The operations a kernel needs from one vector width, so that each kernel is written once and closed over
/// <see cref="Simd512{T}"/>, <see cref="Simd256{T}"/>, <see cref="Simd128{T}"/> or <see cref="SimdScalar{T}"/>.
/// The implementations are structs with static members: the JIT specialises every kernel per width and inlines
/// the operations, so a kernel compiles to the same code as one written for that width by hand.
/// </summary>
/// <typeparam name="TVec">The vector type (or <typeparamref name="T"/> itself for the scalar width).</typeparam>
/// <typeparam name="T">float or double.</typeparam>
internal interface ISimd<TVec, T>
    where TVec : struct
    where T : unmanaged
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    static abstract TVec Zero { get; }

    static abstract TVec Splat(T value);

    static abstract TVec Load(ref T source);

    static abstract void Store(TVec value, ref T destination);

    static abstract TVec Add(TVec a, TVec b);

    static abstract TVec Subtract(TVec a, TVec b);

    /// <summary>-a: a sign flip (one xor), where 0 - a would be a full subtraction's latency.</summary>
    static abstract TVec Negate(TVec a);

    static abstract TVec Multiply(TVec a, TVec b);

    static abstract TVec Divide(TVec a, TVec b);

    /// <summary>a·b + c: one fused instruction where the hardware has FMA, a multiply and an add where it has not.</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);

    static abstract TVec Max(TVec a, TVec b);

    /// <summary>
    /// 1 + e^x: the denominator of the sigmoid and of tanh, the only places an exponential is needed. One operation
    /// rather than Exp so that the scalar width can fold the 1 into its exponential's last multiply-add.
    /// </summary>
    static abstract TVec OnePlusExp(TVec x);

    /// <summary>Per lane: <paramref name="condition"/> &gt; 0 ? <paramref name="ifPositive"/> : <paramref name="otherwise"/>.</summary>
    static abstract TVec SelectWherePositive(TVec condition, TVec ifPositive, TVec otherwise);

    /// <summary>True when every lane is finite (neither NaN nor infinite).</summary>
    static abstract bool AllFinite(TVec x);

    /// <summary>The sum of the lanes.</summary>
    static abstract T Sum(TVec x);
}
