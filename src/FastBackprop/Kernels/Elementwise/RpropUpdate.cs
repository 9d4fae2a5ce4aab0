using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels.Elementwise;

/// <summary>
/// One step of iRPROP− or iRPROP+ (Igel and Hüsken 2000), branch-free. Per element, with s = sign(g) and s₋ the
/// stored sign of the previous gradient:
/// <code>
/// s·s₋ &gt; 0:  Δ ← min(Δ·η⁺, Δmax);  Δw = −s·Δ;  θ ← θ + Δw
/// s·s₋ &lt; 0:  Δ ← max(Δ·η⁻, Δmin);  s ← 0;  Δw = 0;  iRPROP+ only, when the error rose: θ ← θ − Δw₋
/// s·s₋ = 0:  Δw = −s·Δ;  θ ← θ + Δw
/// s₋ ← s (after the sign-change rule set it to 0);  iRPROP+ only: Δw₋ ← Δw
/// </code>
/// </summary>
/// <remarks>
/// Only the sign of the previous gradient matters, so the kernel stores that sign (−1, 0 or +1) rather than the
/// gradient. The product s·s₋ is then exact: multiplying two gradients instead would underflow to 0 for tiny
/// gradients (about 1e-23 in float) and lose the decision.
/// </remarks>
internal static class RpropUpdate
{
    /// <summary>
    /// One update of every element. <paramref name="previousDelta"/> empty means iRPROP−; otherwise it holds Δw₋ and
    /// <paramref name="backtrack"/> says whether the error rose since the last step (iRPROP+). Overwrites
    /// <paramref name="stepSizes"/> (Δ), <paramref name="previousSigns"/> (s₋), <paramref name="previousDelta"/> and
    /// <paramref name="parameters"/>.
    /// </summary>
    public static void Run<T>(ReadOnlySpan<T> gradients, T increase, T decrease, T minStep, T maxStep, bool backtrack, Span<T> stepSizes, Span<T> previousSigns, Span<T> previousDelta, Span<T> parameters)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Check(gradients, stepSizes, previousSigns, previousDelta, parameters);
        ref T g = ref MemoryMarshal.GetReference(gradients);
        ref T d = ref MemoryMarshal.GetReference(stepSizes);
        ref T s = ref MemoryMarshal.GetReference(previousSigns);
        ref T w = ref MemoryMarshal.GetReference(previousDelta);
        ref T p = ref MemoryMarshal.GetReference(parameters);
        bool plus = !previousDelta.IsEmpty;
        T undo = backtrack ? T.NegativeOne : T.Zero;
        int n = parameters.Length;
        int i = 0;
        if (Isa.Use512)
        {
            Run<Vector512<T>, Simd512<T>, T>(ref g, increase, decrease, minStep, maxStep, plus, undo, ref d, ref s, ref w, ref p, n, ref i);
        }

        if (Isa.Use256)
        {
            Run<Vector256<T>, Simd256<T>, T>(ref g, increase, decrease, minStep, maxStep, plus, undo, ref d, ref s, ref w, ref p, n, ref i);
        }

        if (Isa.Use128)
        {
            Run<Vector128<T>, Simd128<T>, T>(ref g, increase, decrease, minStep, maxStep, plus, undo, ref d, ref s, ref w, ref p, n, ref i);
        }

        Run<T, SimdScalar<T>, T>(ref g, increase, decrease, minStep, maxStep, plus, undo, ref d, ref s, ref w, ref p, n, ref i);
    }

    /// <summary>As <see cref="Run{T}"/> with one vector width and the scalar tail: lets tests reach every path on any machine.</summary>
    internal static void RunWith<TVec, TSimd, T>(ReadOnlySpan<T> gradients, T increase, T decrease, T minStep, T maxStep, bool backtrack, Span<T> stepSizes, Span<T> previousSigns, Span<T> previousDelta, Span<T> parameters)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Check(gradients, stepSizes, previousSigns, previousDelta, parameters);
        ref T g = ref MemoryMarshal.GetReference(gradients);
        ref T d = ref MemoryMarshal.GetReference(stepSizes);
        ref T s = ref MemoryMarshal.GetReference(previousSigns);
        ref T w = ref MemoryMarshal.GetReference(previousDelta);
        ref T p = ref MemoryMarshal.GetReference(parameters);
        bool plus = !previousDelta.IsEmpty;
        T undo = backtrack ? T.NegativeOne : T.Zero;
        int i = 0;
        Run<TVec, TSimd, T>(ref g, increase, decrease, minStep, maxStep, plus, undo, ref d, ref s, ref w, ref p, parameters.Length, ref i);
        Run<T, SimdScalar<T>, T>(ref g, increase, decrease, minStep, maxStep, plus, undo, ref d, ref s, ref w, ref p, parameters.Length, ref i);
    }

    static void Check<T>(ReadOnlySpan<T> gradients, Span<T> stepSizes, Span<T> previousSigns, Span<T> previousDelta, Span<T> parameters)
    {
        int n = parameters.Length;
        if (gradients.Length != n)
        {
            Internal.ThrowHelper.LengthMismatch(nameof(gradients), $"{n} elements (one per parameter)", gradients.Length);
        }

        if (stepSizes.Length != n)
        {
            Internal.ThrowHelper.LengthMismatch(nameof(stepSizes), $"{n} elements (one per parameter)", stepSizes.Length);
        }

        if (previousSigns.Length != n)
        {
            Internal.ThrowHelper.LengthMismatch(nameof(previousSigns), $"{n} elements (one per parameter)", previousSigns.Length);
        }

        if (!previousDelta.IsEmpty && previousDelta.Length != n)
        {
            Internal.ThrowHelper.LengthMismatch(nameof(previousDelta), $"{n} elements (one per parameter), or none", previousDelta.Length);
        }
    }

    // Every branch of the rule is computed and the lanes pick theirs with SelectWherePositive, so the loop has no
    // data-dependent branch; the iRPROP+ flag is loop-invariant.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Run<TVec, TSimd, T>(ref T g, T increase, T decrease, T minStep, T maxStep, bool plus, T undo, ref T d, ref T s, ref T w, ref T p, int n, ref int i)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        TVec up = TSimd.Splat(increase), down = TSimd.Splat(decrease);
        TVec lowest = TSimd.Splat(minStep), highest = TSimd.Splat(maxStep);
        TVec one = TSimd.Splat(T.One), minusOne = TSimd.Splat(T.NegativeOne), zero = TSimd.Zero;
        TVec undoFactor = TSimd.Splat(undo);
        int step = TSimd.Count;
        for (; i <= n - step; i += step)
        {
            ref T pi = ref Unsafe.Add(ref p, i);
            ref T di = ref Unsafe.Add(ref d, i);
            ref T si = ref Unsafe.Add(ref s, i);
            TVec grad = TSimd.Load(ref Unsafe.Add(ref g, i));
            TVec sign = TSimd.SelectWherePositive(grad, one, TSimd.SelectWherePositive(TSimd.Subtract(zero, grad), minusOne, zero));
            TVec same = TSimd.Multiply(sign, TSimd.Load(ref si));
            TVec changed = TSimd.Subtract(zero, same);
            TVec size = TSimd.Load(ref di);
            size = TSimd.SelectWherePositive(
                same,
                SimdMath.Min<TVec, T>(TSimd.Multiply(size, up), highest),
                TSimd.SelectWherePositive(changed, TSimd.Max(TSimd.Multiply(size, down), lowest), size));
            sign = TSimd.SelectWherePositive(changed, zero, sign);
            TVec delta = TSimd.Multiply(TSimd.Subtract(zero, sign), size);
            TSimd.Store(size, ref di);
            TSimd.Store(sign, ref si);
            if (plus)
            {
                ref T wi = ref Unsafe.Add(ref w, i);

                // On a sign change the step is 0 and, when the error rose, the last step is taken back.
                TVec move = TSimd.SelectWherePositive(changed, TSimd.Multiply(undoFactor, TSimd.Load(ref wi)), delta);
                TSimd.Store(delta, ref wi);
                delta = move;
            }

            TSimd.Store(TSimd.Add(TSimd.Load(ref pi), delta), ref pi);
        }
    }
}
