using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels;

/// <summary>128-bit vectors of float or double (<see cref="Vector128{T}"/>).</summary>
internal readonly struct Simd128<T> : ISimd<Vector128<T>, T>
    where T : unmanaged
{
    public static int Count => Vector128<T>.Count;

    public static Vector128<T> Zero => Vector128<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Splat(T value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(ref T source) => Vector128.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<T> value, ref T destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Subtract(Vector128<T> a, Vector128<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Negate(Vector128<T> a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Multiply(Vector128<T> a, Vector128<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Divide(Vector128<T> a, Vector128<T> b) => a / b;

    // MultiplyAddEstimate rather than FusedMultiplyAdd: without hardware FMA the latter is emulated about
    // 20x slower, while the estimate falls back to a multiply and an add.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector128.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector128.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }

        return (a * b) + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Max(Vector128<T> a, Vector128<T> b) => Vector128.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> OnePlusExp(Vector128<T> x)
    {
        if (typeof(T) == typeof(float))
        {
            return (Vector128.Exp(x.AsSingle()) + Vector128<float>.One).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return (Vector128.Exp(x.AsDouble()) + Vector128<double>.One).As<double, T>();
        }

        throw Internal.ThrowHelper.UnsupportedElementType<T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SelectWherePositive(Vector128<T> condition, Vector128<T> ifPositive, Vector128<T> otherwise) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(condition, Vector128<T>.Zero), ifPositive, otherwise);

    // x - x is 0 for finite x and NaN for NaN or infinity; NaN == 0 is false.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllFinite(Vector128<T> x) => Vector128.EqualsAll(x - x, Vector128<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector128<T> x) => Vector128.Sum(x);
}
