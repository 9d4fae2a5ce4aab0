using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels;

/// <summary>
/// Square root and minimum for every width of <see cref="ISimd{TVec, T}"/>, for the optimizer kernels. They live
/// beside the interface rather than in it so that adding them leaves the existing widths untouched.
/// </summary>
/// <remarks>
/// Each method tests <c>typeof(TVec)</c> against the four vector types. The tests compare types known when the
/// generic method is specialised, so the JIT keeps exactly one branch and the call compiles to one instruction
/// (<c>vsqrtps</c>, <c>vminpd</c>, ...), as <see cref="Simd512{T}.OnePlusExp"/> does for its element type.
/// </remarks>
internal static class SimdMath
{
    /// <summary>√x per lane (IEEE correctly rounded on every width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Sqrt<TVec, T>(TVec x)
        where TVec : struct
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(TVec) == typeof(Vector512<T>))
        {
            return Unsafe.BitCast<Vector512<T>, TVec>(Vector512.Sqrt(Unsafe.BitCast<TVec, Vector512<T>>(x)));
        }

        if (typeof(TVec) == typeof(Vector256<T>))
        {
            return Unsafe.BitCast<Vector256<T>, TVec>(Vector256.Sqrt(Unsafe.BitCast<TVec, Vector256<T>>(x)));
        }

        if (typeof(TVec) == typeof(Vector128<T>))
        {
            return Unsafe.BitCast<Vector128<T>, TVec>(Vector128.Sqrt(Unsafe.BitCast<TVec, Vector128<T>>(x)));
        }

        if (typeof(TVec) == typeof(T))
        {
            return Unsafe.BitCast<T, TVec>(T.Sqrt(Unsafe.BitCast<TVec, T>(x)));
        }

        throw Internal.ThrowHelper.UnsupportedElementType<TVec>();
    }

    /// <summary>min(a, b) per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Min<TVec, T>(TVec a, TVec b)
        where TVec : struct
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(TVec) == typeof(Vector512<T>))
        {
            return Unsafe.BitCast<Vector512<T>, TVec>(Vector512.Min(Unsafe.BitCast<TVec, Vector512<T>>(a), Unsafe.BitCast<TVec, Vector512<T>>(b)));
        }

        if (typeof(TVec) == typeof(Vector256<T>))
        {
            return Unsafe.BitCast<Vector256<T>, TVec>(Vector256.Min(Unsafe.BitCast<TVec, Vector256<T>>(a), Unsafe.BitCast<TVec, Vector256<T>>(b)));
        }

        if (typeof(TVec) == typeof(Vector128<T>))
        {
            return Unsafe.BitCast<Vector128<T>, TVec>(Vector128.Min(Unsafe.BitCast<TVec, Vector128<T>>(a), Unsafe.BitCast<TVec, Vector128<T>>(b)));
        }

        if (typeof(TVec) == typeof(T))
        {
            return Unsafe.BitCast<T, TVec>(T.MinNative(Unsafe.BitCast<TVec, T>(a), Unsafe.BitCast<TVec, T>(b)));
        }

        throw Internal.ThrowHelper.UnsupportedElementType<TVec>();
    }
}
