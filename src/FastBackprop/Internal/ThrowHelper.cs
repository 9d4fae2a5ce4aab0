using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace FastBackprop.Internal;

/// <summary>
/// Builds and throws the library's exceptions. Kept out of line so that the checks in hot methods stay one
/// compare and a jump, and so that no message is formatted unless something is actually wrong.
/// </summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Argument(string paramName, string message) => throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ArgumentOutOfRange(string paramName, object? actual, string message) =>
        throw new ArgumentOutOfRangeException(paramName, actual, message);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void LengthMismatch(string paramName, string expected, int actual) =>
        throw new ArgumentException($"Expected {expected}, but the span has {actual} elements.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void NotFinite(string paramName, int index, double value, int rowLength) =>
        throw new ArgumentException(
            $"Expected finite values, but element {index} (row {index / rowLength}, column {index % rowLength}) is {value}.",
            paramName);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static NotSupportedException UnsupportedElementType<T>() =>
        new($"FastBackprop computes in float or double; {typeof(T).Name} is not supported.");
}
