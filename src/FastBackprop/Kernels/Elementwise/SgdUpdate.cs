using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels.Elementwise;

/// <summary>
/// Stochastic gradient descent with L2 weight decay and (optionally Nesterov) momentum, in PyTorch's form:
/// g' = g + λ·θ; v ← μ·v + g'; θ ← θ − η·d with d = v, or d = g' + μ·v for Nesterov, or d = g' without momentum.
/// </summary>
internal static class SgdUpdate
{
    /// <summary>
    /// One update of every element. <paramref name="velocity"/> empty means no momentum (d = g'); otherwise it must
    /// be as long as <paramref name="parameters"/>. Overwrites <paramref name="velocity"/> and <paramref name="parameters"/>.
    /// </summary>
    public static void Run<T>(ReadOnlySpan<T> gradients, T learningRate, T momentum, T weightDecay, bool nesterov, Span<T> velocity, Span<T> parameters)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Check(gradients, velocity, parameters);
        ref T g = ref MemoryMarshal.GetReference(gradients);
        ref T v = ref MemoryMarshal.GetReference(velocity);
        ref T p = ref MemoryMarshal.GetReference(parameters);
        bool hasMomentum = !velocity.IsEmpty;
        int n = parameters.Length;
        int i = 0;
        if (Isa.Use512)
        {
            Run<Vector512<T>, Simd512<T>, T>(ref g, learningRate, momentum, weightDecay, nesterov, hasMomentum, ref v, ref p, n, ref i);
        }

        if (Isa.Use256)
        {
            Run<Vector256<T>, Simd256<T>, T>(ref g, learningRate, momentum, weightDecay, nesterov, hasMomentum, ref v, ref p, n, ref i);
        }

        if (Isa.Use128)
        {
            Run<Vector128<T>, Simd128<T>, T>(ref g, learningRate, momentum, weightDecay, nesterov, hasMomentum, ref v, ref p, n, ref i);
        }

        Run<T, SimdScalar<T>, T>(ref g, learningRate, momentum, weightDecay, nesterov, hasMomentum, ref v, ref p, n, ref i);
    }

    /// <summary>As <see cref="Run{T}"/> with one vector width and the scalar tail: lets tests reach every path on any machine.</summary>
    internal static void RunWith<TVec, TSimd, T>(ReadOnlySpan<T> gradients, T learningRate, T momentum, T weightDecay, bool nesterov, Span<T> velocity, Span<T> parameters)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Check(gradients, velocity, parameters);
        ref T g = ref MemoryMarshal.GetReference(gradients);
        ref T v = ref MemoryMarshal.GetReference(velocity);
        ref T p = ref MemoryMarshal.GetReference(parameters);
        bool hasMomentum = !velocity.IsEmpty;
        int i = 0;
        Run<TVec, TSimd, T>(ref g, learningRate, momentum, weightDecay, nesterov, hasMomentum, ref v, ref p, parameters.Length, ref i);
        Run<T, SimdScalar<T>, T>(ref g, learningRate, momentum, weightDecay, nesterov, hasMomentum, ref v, ref p, parameters.Length, ref i);
    }

    static void Check<T>(ReadOnlySpan<T> gradients, Span<T> velocity, Span<T> parameters)
    {
        if (gradients.Length != parameters.Length)
        {
            Internal.ThrowHelper.LengthMismatch(nameof(gradients), $"{parameters.Length} elements (one per parameter)", gradients.Length);
        }

        if (!velocity.IsEmpty && velocity.Length != parameters.Length)
        {
            Internal.ThrowHelper.LengthMismatch(nameof(velocity), $"{parameters.Length} elements (one per parameter), or none", velocity.Length);
        }
    }

    // One vector a step: the loop streams three arrays in and two out, so it is bound by memory, not by the two or
    // three multiply-adds; the mode flags are loop-invariant and the branches on them predict perfectly.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Run<TVec, TSimd, T>(ref T g, T learningRate, T momentum, T weightDecay, bool nesterov, bool hasMomentum, ref T v, ref T p, int n, ref int i)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        TVec minusRate = TSimd.Splat(-learningRate);
        TVec mu = TSimd.Splat(momentum);
        TVec lambda = TSimd.Splat(weightDecay);
        int step = TSimd.Count;
        for (; i <= n - step; i += step)
        {
            ref T pi = ref Unsafe.Add(ref p, i);
            TVec theta = TSimd.Load(ref pi);

            // λ = 0 leaves g exact: 0·θ + g = g for finite θ.
            TVec grad = TSimd.MultiplyAdd(lambda, theta, TSimd.Load(ref Unsafe.Add(ref g, i)));
            TVec direction = grad;
            if (hasMomentum)
            {
                ref T vi = ref Unsafe.Add(ref v, i);
                TVec velocity = TSimd.MultiplyAdd(mu, TSimd.Load(ref vi), grad);
                TSimd.Store(velocity, ref vi);
                direction = nesterov ? TSimd.MultiplyAdd(mu, velocity, grad) : velocity;
            }

            TSimd.Store(TSimd.MultiplyAdd(minusRate, direction, theta), ref pi);
        }
    }
}
