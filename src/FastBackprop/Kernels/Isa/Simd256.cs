using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels;

/// <summary>256-bit vectors of float or double (<see cref="Vector256{T}"/>).</summary>
internal readonly struct Simd256<T> : ISimd<Vector256<T>, T>
    where T : unmanaged
{
    public static int Count => Vector256<T>.Count;

    public static Vector256<T> Zero => Vector256<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Splat(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(ref T source) => Vector256.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, ref T destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Subtract(Vector256<T> a, Vector256<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Negate(Vector256<T> a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Divide(Vector256<T> a, Vector256<T> b) => a / b;

    // MultiplyAddEstimate rather than FusedMultiplyAdd: without hardware FMA the latter is emulated about
    // 20x slower, while the estimate falls back to a multiply and an add.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector256.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }

        return (a * b) + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Max(Vector256<T> a, Vector256<T> b) => Vector256.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> OnePlusExp(Vector256<T> x)
    {
        if (typeof(T) == typeof(float))
        {
            return (Vector256.Exp(x.AsSingle()) + Vector256<float>.One).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return (Vector256.Exp(x.AsDouble()) + Vector256<double>.One).As<double, T>();
        }

        throw Internal.ThrowHelper.UnsupportedElementType<T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SelectWherePositive(Vector256<T> condition, Vector256<T> ifPositive, Vector256<T> otherwise) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(condition, Vector256<T>.Zero), ifPositive, otherwise);

    // x - x is 0 for finite x and NaN for NaN or infinity; NaN == 0 is false.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllFinite(Vector256<T> x) => Vector256.EqualsAll(x - x, Vector256<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> x) => Vector256.Sum(x);
}
