using System.Numerics;
using System.Runtime.CompilerServices;

namespace FastBackprop.Kernels;

/// <summary>One lane: the scalar path, and the tail of every vector loop.</summary>
internal readonly struct SimdScalar<T> : ISimd<T, T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static int Count => 1;

    public static T Zero => T.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Splat(T value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Load(ref T source) => source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T value, ref T destination) => destination = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Add(T a, T b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Subtract(T a, T b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Negate(T a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Multiply(T a, T b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Divide(T a, T b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd(T a, T b, T c) => (a * b) + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Max(T a, T b) => T.MaxNative(a, b);

    // Inlined rather than libm's: in the scalar code that works a unit at a time (the tiny networks), a call in
    // the middle of a dependency chain spills every live float (see ScalarExp).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T OnePlusExp(T x) => ScalarExp.OnePlusExp(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SelectWherePositive(T condition, T ifPositive, T otherwise) => condition > T.Zero ? ifPositive : otherwise;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllFinite(T x) => T.IsFinite(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(T x) => x;
}
