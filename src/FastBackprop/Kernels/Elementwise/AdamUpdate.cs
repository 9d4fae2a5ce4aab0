using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels.Elementwise;

/// <summary>
/// Step t of Adam (Kingma and Ba 2015) with PyTorch's placement of ε, and both kinds of weight decay:
/// θ ← θ·(1 − η·λ_w) (decoupled, AdamW); g' = g + λ·θ (coupled L2, Adam's weight_decay);
/// m ← β₁·m + (1 − β₁)·g'; v ← β₂·v + (1 − β₂)·g'²; θ ← θ − η·m̂ / (√v̂ + ε), m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ).
/// </summary>
internal static class AdamUpdate
{
    /// <summary>
    /// One update of every element at step <paramref name="t"/> (1 for the first). Overwrites the moments
    /// <paramref name="m"/>, <paramref name="v"/> and <paramref name="parameters"/>, which must all be as long as
    /// <paramref name="gradients"/>.
    /// </summary>
    public static void Run<T>(ReadOnlySpan<T> gradients, T learningRate, T beta1, T beta2, T epsilon, T l2, T decoupledDecay, long t, Span<T> m, Span<T> v, Span<T> parameters)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Check(gradients, m, v, parameters);
        Coefficients<T> c = new(learningRate, beta1, beta2, epsilon, l2, decoupledDecay, t);
        ref T g = ref MemoryMarshal.GetReference(gradients);
        ref T mr = ref MemoryMarshal.GetReference(m);
        ref T vr = ref MemoryMarshal.GetReference(v);
        ref T p = ref MemoryMarshal.GetReference(parameters);
        int n = parameters.Length;
        int i = 0;
        if (Isa.Use512)
        {
            Run<Vector512<T>, Simd512<T>, T>(ref g, c, ref mr, ref vr, ref p, n, ref i);
        }

        if (Isa.Use256)
        {
            Run<Vector256<T>, Simd256<T>, T>(ref g, c, ref mr, ref vr, ref p, n, ref i);
        }

        if (Isa.Use128)
        {
            Run<Vector128<T>, Simd128<T>, T>(ref g, c, ref mr, ref vr, ref p, n, ref i);
        }

        Run<T, SimdScalar<T>, T>(ref g, c, ref mr, ref vr, ref p, n, ref i);
    }

    /// <summary>As <see cref="Run{T}"/> with one vector width and the scalar tail: lets tests reach every path on any machine.</summary>
    internal static void RunWith<TVec, TSimd, T>(ReadOnlySpan<T> gradients, T learningRate, T beta1, T beta2, T epsilon, T l2, T decoupledDecay, long t, Span<T> m, Span<T> v, Span<T> parameters)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Check(gradients, m, v, parameters);
        Coefficients<T> c = new(learningRate, beta1, beta2, epsilon, l2, decoupledDecay, t);
        ref T g = ref MemoryMarshal.GetReference(gradients);
        ref T mr = ref MemoryMarshal.GetReference(m);
        ref T vr = ref MemoryMarshal.GetReference(v);
        ref T p = ref MemoryMarshal.GetReference(parameters);
        int i = 0;
        Run<TVec, TSimd, T>(ref g, c, ref mr, ref vr, ref p, parameters.Length, ref i);
        Run<T, SimdScalar<T>, T>(ref g, c, ref mr, ref vr, ref p, parameters.Length, ref i);
    }

    static void Check<T>(ReadOnlySpan<T> gradients, Span<T> m, Span<T> v, Span<T> parameters)
    {
        if (gradients.Length != parameters.Length)
        {
            Internal.ThrowHelper.LengthMismatch(nameof(gradients), $"{parameters.Length} elements (one per parameter)", gradients.Length);
        }

        if (m.Length != parameters.Length || v.Length != parameters.Length)
        {
            Internal.ThrowHelper.LengthMismatch(m.Length != parameters.Length ? nameof(m) : nameof(v), $"{parameters.Length} elements (one per parameter)", m.Length != parameters.Length ? m.Length : v.Length);
        }
    }

    // The per-step scalars, worked out once in double: the bias corrections 1 − βᵗ lose most of their digits in
    // float when β is near 1 and t is small (1 − 0.999 has only about 13 good bits in float).
    readonly struct Coefficients<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public Coefficients(T learningRate, T beta1, T beta2, T epsilon, T l2, T decoupledDecay, long t)
        {
            double b1 = double.CreateTruncating(beta1), b2 = double.CreateTruncating(beta2);
            double eta = double.CreateTruncating(learningRate);
            Beta1 = beta1;
            Beta2 = beta2;
            OneMinusBeta1 = T.CreateTruncating(1 - b1);
            OneMinusBeta2 = T.CreateTruncating(1 - b2);
            Epsilon = epsilon;
            L2 = l2;
            Keep = T.CreateTruncating(1 - (eta * double.CreateTruncating(decoupledDecay)));

            // θ − η·m̂/(√v̂ + ε) = θ − (η / c₁) · m / (√v · (1/√c₂) + ε), with cₖ = 1 − βₖᵗ: PyTorch's own arrangement.
            MinusStepSize = T.CreateTruncating(-eta / (1 - Math.Pow(b1, t)));
            InverseSqrtCorrection2 = T.CreateTruncating(1 / Math.Sqrt(1 - Math.Pow(b2, t)));
        }

        public T Beta1 { get; }

        public T Beta2 { get; }

        public T OneMinusBeta1 { get; }

        public T OneMinusBeta2 { get; }

        public T Epsilon { get; }

        public T L2 { get; }

        public T Keep { get; }

        public T MinusStepSize { get; }

        public T InverseSqrtCorrection2 { get; }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Run<TVec, TSimd, T>(ref T g, in Coefficients<T> c, ref T m, ref T v, ref T p, int n, ref int i)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        TVec beta1 = TSimd.Splat(c.Beta1), beta2 = TSimd.Splat(c.Beta2);
        TVec oneMinusBeta1 = TSimd.Splat(c.OneMinusBeta1), oneMinusBeta2 = TSimd.Splat(c.OneMinusBeta2);
        TVec epsilon = TSimd.Splat(c.Epsilon), l2 = TSimd.Splat(c.L2), keep = TSimd.Splat(c.Keep);
        TVec minusStep = TSimd.Splat(c.MinusStepSize), inverseSqrtC2 = TSimd.Splat(c.InverseSqrtCorrection2);
        int step = TSimd.Count;
        for (; i <= n - step; i += step)
        {
            ref T pi = ref Unsafe.Add(ref p, i);
            ref T mi = ref Unsafe.Add(ref m, i);
            ref T vi = ref Unsafe.Add(ref v, i);
            TVec theta = TSimd.Load(ref pi);
            TVec grad = TSimd.MultiplyAdd(l2, theta, TSimd.Load(ref Unsafe.Add(ref g, i)));
            TVec scaled = TSimd.Multiply(oneMinusBeta2, grad);
            TVec first = TSimd.MultiplyAdd(beta1, TSimd.Load(ref mi), TSimd.Multiply(oneMinusBeta1, grad));
            TVec second = TSimd.MultiplyAdd(beta2, TSimd.Load(ref vi), TSimd.Multiply(scaled, grad));
            TSimd.Store(first, ref mi);
            TSimd.Store(second, ref vi);
            TVec denominator = TSimd.MultiplyAdd(SimdMath.Sqrt<TVec, T>(second), inverseSqrtC2, epsilon);

            // keep = 1 − η·λ_w is exactly 1 for plain Adam, and θ·1 = θ.
            TSimd.Store(TSimd.MultiplyAdd(minusStep, TSimd.Divide(first, denominator), TSimd.Multiply(theta, keep)), ref pi);
        }
    }
}
