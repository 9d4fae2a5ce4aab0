using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels.Reductions;

/// <summary>Finds NaN and infinities, vectorised, for input validation.</summary>
internal static class Finite
{
    /// <summary>The index of the first element that is NaN or infinite, or -1 when all are finite.</summary>
    /// <remarks>
    /// Inlined into the callers, so that a short span (a tiny network's sample) is scanned in place: the vector
    /// cascade's set-up, and even the call, would cost more than the scan.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int IndexOfNonFinite<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (values.Length >= 16)
        {
            return IndexOfNonFiniteLong(values);
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    static int IndexOfNonFiniteLong<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T v = ref MemoryMarshal.GetReference(values);
        int n = values.Length;
        int i = 0;
        bool clean = true;
        if (Isa.Use512)
        {
            clean = AllFinite<Vector512<T>, Simd512<T>, T>(ref v, n, ref i);
        }

        if (clean && Isa.Use256)
        {
            clean = AllFinite<Vector256<T>, Simd256<T>, T>(ref v, n, ref i);
        }

        if (clean && Isa.Use128)
        {
            AllFinite<Vector128<T>, Simd128<T>, T>(ref v, n, ref i);
        }

        // From the first vector that held a non-finite value (or the tail), find the element itself.
        for (; i < n; i++)
        {
            if (!T.IsFinite(Unsafe.Add(ref v, i)))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>As <see cref="IndexOfNonFinite{T}"/> with one vector width and the scalar tail: lets tests reach every path on any machine.</summary>
    internal static int IndexOfNonFiniteWith<TVec, TSimd, T>(ReadOnlySpan<T> values)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T v = ref MemoryMarshal.GetReference(values);
        int i = 0;
        AllFinite<TVec, TSimd, T>(ref v, values.Length, ref i);
        for (; i < values.Length; i++)
        {
            if (!T.IsFinite(Unsafe.Add(ref v, i)))
            {
                return i;
            }
        }

        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool AllFinite<TVec, TSimd, T>(ref T v, int n, ref int i)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int step = TSimd.Count;
        for (; i <= n - step; i += step)
        {
            if (!TSimd.AllFinite(TSimd.Load(ref Unsafe.Add(ref v, i))))
            {
                return false;
            }
        }

        return true;
    }
}
