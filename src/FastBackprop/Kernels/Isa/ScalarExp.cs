using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace FastBackprop.Kernels;

/// <summary>
/// e^x for one float or double, inlined: no call into libm. A call is what makes <see cref="MathF.Exp"/> costly in
/// a latency-bound scalar chain (the tiny networks' step is two or three exponentials deep): SysV has no
/// callee-saved vector registers, so every float live across the call is spilled and reloaded, and the call
/// itself adds its own latency. Inlined, an exponential is ~10 dependent floating-point operations.
/// </summary>
/// <remarks>
/// <para>The method is the table-driven one of ARM's optimized-routines (also glibc's <c>expf</c> and <c>exp</c>):
/// x = (k + r)·ln2/N with k an integer and |r| ≤ 1/2, so e^x = 2^(k/N) · 2^(r/N); 2^(k/N) is 2^(k div N) (added to
/// the exponent bits) times a table entry 2^((k mod N)/N), and 2^(r/N) is a short polynomial.</para>
/// <para>float: N = 32, evaluated in double with a cubic, which is within 2^-30 of e^x before the final rounding
/// (the routine's documented bound is 0.502 ulp). double: N = 128, a quintic in r·ln2/N, and each table entry
/// carries the rounding error of 2^(i/N) as a tail (bound 0.51 ulp). <c>ScalarExpTests</c> measures both against
/// <see cref="Math.Exp"/>. float arguments are clamped to ±512, where the float result is already 0 or +inf; double
/// arguments beyond ±708, where the result leaves the normal range, and NaN take <see cref="Math.Exp"/> out of
/// line.</para>
/// </remarks>
internal static class ScalarExp
{
    const int FloatTableBits = 5;
    const int FloatN = 1 << FloatTableBits;
    const int DoubleTableBits = 7;
    const int DoubleN = 1 << DoubleTableBits;

    // 1.5·2^52: adding it rounds |z| < 2^51 to an integer (to nearest, even on ties) and leaves that integer, two's
    // complement, in the low bits of the sum, so k comes out of the double's bits without a float-to-integer
    // conversion (whose saturation checks would lengthen the path to the scale). Only k mod 2^(64-shift) is used
    // below, and the constant's own bits fall out of it. The same z is rounded once more by Math.Round (roundsd,
    // the same rounding, so the same integer) for r = z - k: that runs beside the integer path instead of after
    // it, which shortens the chain to the polynomial by one addition.
    const double RoundingShift = 6755399441055744.0;

    // float: N/ln2, and 2^(r/N) ≈ 1 + C2·r + C1·r² + C0·r³ for |r| ≤ 1/2 (minimax, from optimized-routines).
    const double FloatInvLn2N = 1.4426950408889634 * FloatN;
    const double FloatC0 = 0.05550361559341535 / FloatN / FloatN / FloatN;
    const double FloatC1 = 0.2402284522445722 / FloatN / FloatN;
    const double FloatC2 = 0.6931471806916203 / FloatN;

    // Beyond ±512 a float e^x is 0 or +inf, and within it the double arithmetic stays normal.
    const float FloatFastLimit = 512f;

    // double: N/ln2; ln2/N split so that k·Ln2HiN is exact for |k| < 2^20; e^r - 1 - r ≈ r²·(C2 + C3·r + C4·r² + C5·r³).
    const double DoubleInvLn2N = 1.4426950408889634 * DoubleN;
    const double DoubleNegLn2HiN = -0.005415212348111709;
    const double DoubleNegLn2LoN = -1.2864023111638346e-14;
    const double DoubleC2 = 0.49999999999996786;
    const double DoubleC3 = 0.16666666666665886;
    const double DoubleC4 = 0.0416666808410674;
    const double DoubleC5 = 0.008333335853059549;

    // e^x stays normal for |x| ≤ 708 (e^708 ≈ 3e307, e^-708 ≈ 3e-308), so the exponent bits never wrap.
    const double DoubleFastLimit = 708;

    // 2^(i/32) - (i << 47) as bits: adding k << 47 then gives 2^(k/32) with k's quotient in the exponent.
    static readonly ulong[] s_floatTable = BuildFloatTable();

    // Pairs (tail, 2^(i/128) - (i << 45) as bits), where 2^(i/128) = hi·(1 + tail) and hi is the double nearest it.
    static readonly ulong[] s_doubleTable = BuildDoubleTable();

    /// <summary>e^x for float or double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp<T>(T x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            float e = Exp(Unsafe.BitCast<T, float>(x));
            return Unsafe.BitCast<float, T>(e);
        }

        if (typeof(T) == typeof(double))
        {
            double e = Exp(Unsafe.BitCast<T, double>(x));
            return Unsafe.BitCast<double, T>(e);
        }

        throw Internal.ThrowHelper.UnsupportedElementType<T>();
    }

    /// <summary>e^x for a float, within about 0.5 ulp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x)
    {
        (double y, double scale) = ExpParts(x);
        return (float)(y * scale);
    }

    /// <summary>
    /// 1 + e^x for a float, rounded once: the denominator of the sigmoid and of tanh. The 1 is added by the fused
    /// multiply-add that scales the polynomial, in double, so the chain to the division that follows is one
    /// operation shorter than 1 + <see cref="Exp(float)"/> (whose result is rounded twice), and the sum is exact
    /// to within about 0.5 ulp.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float OnePlusExp(float x)
    {
        (double y, double scale) = ExpParts(x);
        return (float)MulAdd(y, scale, 1);
    }

    /// <summary>1 + e^x for float (<see cref="OnePlusExp(float)"/>) or double (1 + <see cref="Exp(double)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T OnePlusExp<T>(T x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float)
            ? Unsafe.BitCast<float, T>(OnePlusExp(Unsafe.BitCast<T, float>(x)))
            : T.One + Exp(x);

    // e^x = y · scale for a float x, both in double: scale = 2^(k/N) from the table and y ≈ 2^(r/N).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static (double Y, double Scale) ExpParts(float x)
    {
        // Beyond ±512, e^x is 0 or +inf in float whatever the exact argument, so such arguments are clamped (NaN
        // stays NaN). A branch rather than a min and max: predicted, it adds nothing to the chain through x. And no
        // call to MathF.Exp on this cold path: even an untaken call makes the JIT keep the caller's floats on the
        // stack around it.
        if (!(float.Abs(x) <= FloatFastLimit))
        {
            x = float.IsNaN(x) ? x : float.CopySign(FloatFastLimit, x);
        }

        double z = FloatInvLn2N * x;
        ulong k = BitConverter.DoubleToUInt64Bits(z + RoundingShift);
        double r = z - Math.Round(z);
        ulong bits = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(s_floatTable), (int)k & (FloatN - 1)) + (k << (52 - FloatTableBits));
        double scale = BitConverter.UInt64BitsToDouble(bits);
        double p = MulAdd(FloatC0, r, FloatC1);
        double q = MulAdd(FloatC2, r, 1);
        return (MulAdd(p, r * r, q), scale);
    }

    /// <summary>e^x for a double, within about 0.51 ulp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double x)
    {
        if (!(double.Abs(x) <= DoubleFastLimit))
        {
            return ExpOutOfLine(x);
        }

        double z = DoubleInvLn2N * x;
        ulong k = BitConverter.DoubleToUInt64Bits(z + RoundingShift);
        double kd = Math.Round(z);
        double r = MulAdd(kd, DoubleNegLn2LoN, MulAdd(kd, DoubleNegLn2HiN, x));
        int index = ((int)k & (DoubleN - 1)) << 1;
        ref ulong table = ref MemoryMarshal.GetArrayDataReference(s_doubleTable);
        double tail = BitConverter.UInt64BitsToDouble(Unsafe.Add(ref table, index));
        double scale = BitConverter.UInt64BitsToDouble(Unsafe.Add(ref table, index + 1) + (k << (52 - DoubleTableBits)));
        double r2 = r * r;
        double low = MulAdd(r2, MulAdd(DoubleC3, r, DoubleC2), tail + r);
        double high = MulAdd(DoubleC5, r, DoubleC4);
        double tmp = MulAdd(r2 * r2, high, low);
        return MulAdd(scale, tmp, scale);
    }

    // Fused where the hardware fuses (the bounds above assume it; without FMA the error grows by a few hundredths
    // of an ulp), never the software emulation, which costs a microsecond-scale call (STYLE F12).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double MulAdd(double a, double b, double c) => Fma.IsSupported ? Math.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    [MethodImpl(MethodImplOptions.NoInlining)]
    static double ExpOutOfLine(double x) => Math.Exp(x);

    static ulong[] BuildFloatTable()
    {
        var table = new ulong[FloatN];
        for (int i = 0; i < FloatN; i++)
        {
            table[i] = BitConverter.DoubleToUInt64Bits(Math.Pow(2, (double)i / FloatN)) - ((ulong)i << (52 - FloatTableBits));
        }

        return table;
    }

    // For each i, hi = 2^(i/N) rounded, and its relative error, recovered from hi^N: if hi = v·(1 + δ) with
    // v = 2^(i/N), then hi^N = 2^i·(1 + Nδ + O(δ²)), and hi^N is computed in double-double (log2 N squarings with
    // exact products), so δ, and the tail -δ, come out to far more bits than a double holds (|δ| ≤ 2^-53).
    static ulong[] BuildDoubleTable()
    {
        var table = new ulong[2 * DoubleN];
        for (int i = 0; i < DoubleN; i++)
        {
            double hi = Math.Pow(2, (double)i / DoubleN);
            double powerHi = hi, powerLo = 0;
            for (int s = 0; s < DoubleTableBits; s++)
            {
                double square = powerHi * powerHi;
                double error = Math.FusedMultiplyAdd(powerHi, powerHi, -square) + (2 * powerHi * powerLo);
                powerHi = square + error;
                powerLo = error - (powerHi - square);
            }

            double twoToI = Math.ScaleB(1.0, i);
            double delta = ((powerHi - twoToI) + powerLo) / twoToI / DoubleN;
            table[2 * i] = BitConverter.DoubleToUInt64Bits(-delta);
            table[(2 * i) + 1] = BitConverter.DoubleToUInt64Bits(hi) - ((ulong)i << (52 - DoubleTableBits));
        }

        return table;
    }
}
