using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels.Elementwise;

/// <summary>
/// RMSprop in PyTorch's default (uncentred) form: g' = g + λ·θ; v ← α·v + (1 − α)·g'²; u = g' / (√v + ε);
/// with momentum b ← μ·b + u, θ ← θ − η·b; without, θ ← θ − η·u.
/// </summary>
internal static class RmsPropUpdate
{
    /// <summary>
    /// One update of every element. <paramref name="buffer"/> empty means no momentum; otherwise it must be as long
    /// as <paramref name="parameters"/>. Overwrites <paramref name="square"/> (v), <paramref name="buffer"/> (b) and
    /// <paramref name="parameters"/>.
    /// </summary>
    public static void Run<T>(ReadOnlySpan<T> gradients, T learningRate, T alpha, T epsilon, T weightDecay, T momentum, Span<T> square, Span<T> buffer, Span<T> parameters)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Check(gradients, square, buffer, parameters);
        ref T g = ref MemoryMarshal.GetReference(gradients);
        ref T s = ref MemoryMarshal.GetReference(square);
        ref T b = ref MemoryMarshal.GetReference(buffer);
        ref T p = ref MemoryMarshal.GetReference(parameters);
        bool hasMomentum = !buffer.IsEmpty;
        int n = parameters.Length;
        int i = 0;
        if (Isa.Use512)
        {
            Run<Vector512<T>, Simd512<T>, T>(ref g, learningRate, alpha, epsilon, weightDecay, momentum, hasMomentum, ref s, ref b, ref p, n, ref i);
        }

        if (Isa.Use256)
        {
            Run<Vector256<T>, Simd256<T>, T>(ref g, learningRate, alpha, epsilon, weightDecay, momentum, hasMomentum, ref s, ref b, ref p, n, ref i);
        }

        if (Isa.Use128)
        {
            Run<Vector128<T>, Simd128<T>, T>(ref g, learningRate, alpha, epsilon, weightDecay, momentum, hasMomentum, ref s, ref b, ref p, n, ref i);
        }

        Run<T, SimdScalar<T>, T>(ref g, learningRate, alpha, epsilon, weightDecay, momentum, hasMomentum, ref s, ref b, ref p, n, ref i);
    }

    /// <summary>As <see cref="Run{T}"/> with one vector width and the scalar tail: lets tests reach every path on any machine.</summary>
    internal static void RunWith<TVec, TSimd, T>(ReadOnlySpan<T> gradients, T learningRate, T alpha, T epsilon, T weightDecay, T momentum, Span<T> square, Span<T> buffer, Span<T> parameters)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Check(gradients, square, buffer, parameters);
        ref T g = ref MemoryMarshal.GetReference(gradients);
        ref T s = ref MemoryMarshal.GetReference(square);
        ref T b = ref MemoryMarshal.GetReference(buffer);
        ref T p = ref MemoryMarshal.GetReference(parameters);
        bool hasMomentum = !buffer.IsEmpty;
        int i = 0;
        Run<TVec, TSimd, T>(ref g, learningRate, alpha, epsilon, weightDecay, momentum, hasMomentum, ref s, ref b, ref p, parameters.Length, ref i);
        Run<T, SimdScalar<T>, T>(ref g, learningRate, alpha, epsilon, weightDecay, momentum, hasMomentum, ref s, ref b, ref p, parameters.Length, ref i);
    }

    static void Check<T>(ReadOnlySpan<T> gradients, Span<T> square, Span<T> buffer, Span<T> parameters)
    {
        if (gradients.Length != parameters.Length)
        {
            Internal.ThrowHelper.LengthMismatch(nameof(gradients), $"{parameters.Length} elements (one per parameter)", gradients.Length);
        }

        if (square.Length != parameters.Length)
        {
            Internal.ThrowHelper.LengthMismatch(nameof(square), $"{parameters.Length} elements (one per parameter)", square.Length);
        }

        if (!buffer.IsEmpty && buffer.Length != parameters.Length)
        {
            Internal.ThrowHelper.LengthMismatch(nameof(buffer), $"{parameters.Length} elements (one per parameter), or none", buffer.Length);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Run<TVec, TSimd, T>(ref T g, T learningRate, T alpha, T epsilon, T weightDecay, T momentum, bool hasMomentum, ref T s, ref T b, ref T p, int n, ref int i)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        TVec minusRate = TSimd.Splat(-learningRate);
        TVec a = TSimd.Splat(alpha), oneMinusAlpha = TSimd.Splat(T.One - alpha);
        TVec eps = TSimd.Splat(epsilon), lambda = TSimd.Splat(weightDecay), mu = TSimd.Splat(momentum);
        int step = TSimd.Count;
        for (; i <= n - step; i += step)
        {
            ref T pi = ref Unsafe.Add(ref p, i);
            ref T si = ref Unsafe.Add(ref s, i);
            TVec theta = TSimd.Load(ref pi);
            TVec grad = TSimd.MultiplyAdd(lambda, theta, TSimd.Load(ref Unsafe.Add(ref g, i)));
            TVec square = TSimd.MultiplyAdd(a, TSimd.Load(ref si), TSimd.Multiply(TSimd.Multiply(oneMinusAlpha, grad), grad));
            TSimd.Store(square, ref si);
            TVec direction = TSimd.Divide(grad, TSimd.Add(SimdMath.Sqrt<TVec, T>(square), eps));
            if (hasMomentum)
            {
                ref T bi = ref Unsafe.Add(ref b, i);
                direction = TSimd.MultiplyAdd(mu, TSimd.Load(ref bi), direction);
                TSimd.Store(direction, ref bi);
            }

            TSimd.Store(TSimd.MultiplyAdd(minusRate, direction, theta), ref pi);
        }
    }
}
