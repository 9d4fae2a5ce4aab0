using System.Numerics;
using System.Runtime.CompilerServices;

namespace FastBackprop.Kernels.Elementwise;

/// <summary>y = z; f'(z) = 1.</summary>
internal readonly struct IdentityOp<T> : IActivationOp<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Forward<TVec, TSimd>(TVec z)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T> => z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Backward<TVec, TSimd>(TVec y, TVec dy)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T> => dy;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ScalarFastCovers(T z) => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ForwardScalarFast(T z) => Forward<T, SimdScalar<T>>(z);
}

/// <summary>
/// y = 1 / (1 + e^-z); f'(z) = y (1 - y). Saturates to exactly 0 or 1 without NaN: e^-z overflows to +inf, and 1/inf
/// is 0. One float at a time (the scalar path) it comes from <see cref="ScalarSigmoid"/>'s table over [-16, 18].
/// </summary>
internal readonly struct SigmoidOp<T> : IActivationOp<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Forward<TVec, TSimd>(TVec z)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
    {
        // One float is the scalar path, whose latency the 2-2-2 step waits on: a table of cubics there.
        if (typeof(TVec) == typeof(float))
        {
            float x = Unsafe.BitCast<TVec, float>(z);
            return Unsafe.BitCast<float, TVec>(ScalarSigmoid.Covers(x) ? ScalarSigmoid.Tabulated(x) : ScalarSigmoid.Exponential(x));
        }

        // -z rather than 0 - z: the same exponential (e^-0 = e^0), one xor instead of a subtraction on the chain.
        return TSimd.Divide(TSimd.Splat(T.One), TSimd.OnePlusExp(TSimd.Negate(z)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Backward<TVec, TSimd>(TVec y, TVec dy)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T> =>
        TSimd.Multiply(dy, TSimd.Multiply(y, TSimd.Subtract(TSimd.Splat(T.One), y)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ScalarFastCovers(T z) => typeof(T) != typeof(float) || ScalarSigmoid.Covers(Unsafe.BitCast<T, float>(z));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ForwardScalarFast(T z) =>
        typeof(T) == typeof(float) ? Unsafe.BitCast<float, T>(ScalarSigmoid.Tabulated(Unsafe.BitCast<T, float>(z))) : Forward<T, SimdScalar<T>>(z);
}

/// <summary>y = tanh z, computed as 2 / (1 + e^-2z) - 1 (one exponential, saturates to ±1 without NaN); f'(z) = 1 - y².</summary>
internal readonly struct TanhOp<T> : IActivationOp<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Forward<TVec, TSimd>(TVec z)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
    {
        TVec minusTwo = TSimd.Splat(-(T.One + T.One));
        TVec two = TSimd.Splat(T.One + T.One);
        return TSimd.Subtract(TSimd.Divide(two, TSimd.OnePlusExp(TSimd.Multiply(minusTwo, z))), TSimd.Splat(T.One));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Backward<TVec, TSimd>(TVec y, TVec dy)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T> =>
        TSimd.Multiply(dy, TSimd.Subtract(TSimd.Splat(T.One), TSimd.Multiply(y, y)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ScalarFastCovers(T z) => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ForwardScalarFast(T z) => Forward<T, SimdScalar<T>>(z);
}

/// <summary>y = max(z, 0); f'(z) = 1 where y &gt; 0, else 0 (the subgradient 0 at z = 0, as PyTorch uses).</summary>
internal readonly struct ReluOp<T> : IActivationOp<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Forward<TVec, TSimd>(TVec z)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T> => TSimd.Max(z, TSimd.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Backward<TVec, TSimd>(TVec y, TVec dy)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T> => TSimd.SelectWherePositive(y, dy, TSimd.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ScalarFastCovers(T z) => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ForwardScalarFast(T z) => Forward<T, SimdScalar<T>>(z);
}

/// <summary>
/// y = z for z &gt; 0, else <see cref="LeakyReluSlope.Value"/> · z; f'(z) = 1 where y &gt; 0, else the slope.
/// Because the slope is positive, y has the sign of z, so the derivative is read off y.
/// </summary>
internal readonly struct LeakyReluOp<T> : IActivationOp<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    internal static readonly T Slope = T.CreateChecked(LeakyReluSlope.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Forward<TVec, TSimd>(TVec z)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T> => TSimd.SelectWherePositive(z, z, TSimd.Multiply(z, TSimd.Splat(Slope)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Backward<TVec, TSimd>(TVec y, TVec dy)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T> => TSimd.SelectWherePositive(y, dy, TSimd.Multiply(dy, TSimd.Splat(Slope)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ScalarFastCovers(T z) => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ForwardScalarFast(T z) => Forward<T, SimdScalar<T>>(z);
}
