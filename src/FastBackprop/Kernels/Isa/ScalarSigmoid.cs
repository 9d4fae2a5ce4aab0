using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace FastBackprop.Kernels;

/// <summary>
/// The logistic sigmoid 1 / (1 + e^-z) of one float from a table of cubics: the scalar path's sigmoid, which the
/// 2-2-2 step waits on twice in a row (hidden, then output layer), so that its latency, not its throughput, is what
/// the step costs. Through <see cref="ScalarExp.OnePlusExp(float)"/> and a division it is ~44 cycles deep (convert to
/// double, scale, round, a table load through an integer register, a polynomial, convert back, divide); here it is an
/// addition to the row index, a load and two multiply-adds, ~22 cycles (22.4 on Zen 5, timed in a chain).
/// </summary>
/// <remarks>
/// <para>[-16, 18] is cut into intervals of width 1/16 centred on k/16; on each, σ(k/16 + r) for |r| ≤ 1/32 is the
/// cubic c0 + c1·r + (c2 + c3·r)·r², interpolated in double at the interval's Chebyshev nodes when the type is
/// initialized, with c0 = σ(k/16) rounded. Evaluated in that (Estrin) form, two multiply-adds deep rather than
/// Horner's three, it is within 1.79 ulp of the exact sigmoid (exhaustive sweeps of the range found 1.774 at
/// z = -9.02, and 1.788 without hardware FMA; <c>ScalarSigmoidTests</c> sweeps it against a double reference):
/// c0's rounding, that of c0 + c1·r, and the last one, against the exponential formula's 1.5 ulp. Outside the range, and for NaN, callers take
/// <see cref="Exponential"/>, the vector paths' formula: below -16 the sigmoid is e^z to within its last bit and
/// needs the exponential's range; above 18 it rounds to 1.</para>
/// <para>The table is 545 rows of 4 floats (8.7 KB), stored coefficient by coefficient in a pinned array and
/// addressed through its address less the bias of the rounded index's float bits, so that those bits, scaled by 4,
/// address c0 and the others sit at fixed offsets: one addressing mode, no shift or subtraction on the chain.</para>
/// </remarks>
internal static unsafe class ScalarSigmoid
{
    const int IntervalsPerUnit = 16;
    const int KMin = -16 * IntervalsPerUnit;
    const int KMax = 18 * IntervalsPerUnit;
    const int Rows = KMax - KMin + 1;

    // 1.5·2^19, whose float neighbours are 1/16 apart: adding it to |z| < 2^18 rounds z to the nearest k/16 and
    // leaves k, two's complement, in the low 23 bits of the sum's bits, above the constant's own bits 0x49400000.
    // An addition rather than the multiply-add 16z + 1.5·2^23, which rounds to the same k: one cycle less on the
    // path to the table's load.
    const float RoundingShift = 786432f;
    const uint ShiftBits = 0x49400000;

    // The pinned table (kept alive by this reference): c0 of every row, then c1, c2, c3. And its address less the
    // bits ShiftBits + KMin of the first row's index, in floats, so that c0 of z's row is at s_rows + bits(z + shift).
    static readonly float[] s_table = BuildTable();
    static readonly nint s_rows = (nint)Unsafe.AsPointer(ref s_table[0]) - ((nint)(ShiftBits - (uint)-KMin) << 2);

    /// <summary>Whether z is in the table's range, [-16, 18]; false for NaN.</summary>
    /// <remarks>
    /// As |z - 1| ≤ 17: a subtraction, a mask and one comparison, where two comparisons compile to two branches or a
    /// flag materialised and tested. Exactly the same test: z - 1 is exact at the ends and at the floats just outside
    /// them (-16 and 18 give ±17, -16 - 2^-19 and 18 + 2^-19 give ±(17 + 2^-19): floats in [16, 32) are 2^-19
    /// apart), and rounding is monotonic, so every z between lands within ±17 and every z beyond lands beyond.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Covers(float z) => MathF.Abs(z - CoverCentre) <= CoverHalfWidth;

    const float CoverCentre = (KMin + KMax) / 2f / IntervalsPerUnit;
    const float CoverHalfWidth = (KMax - KMin) / 2f / IntervalsPerUnit;

    /// <summary>σ(z) for z in the table's range (<see cref="Covers"/>), within 1.79 ulp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tabulated(float z)
    {
        float u = z + RoundingShift;
        float* c = (float*)s_rows + BitConverter.SingleToUInt32Bits(u);
        float r = z - (u - RoundingShift);
        return MulAdd(MulAdd(c[3 * Rows], r, c[2 * Rows]), r * r, MulAdd(c[Rows], r, c[0]));
    }

    /// <summary>
    /// σ(z) = 1 / (1 + e^-z) through the exponential, for z outside the table (the vector paths' formula): within
    /// 1.5 ulp, exactly 1 for large z, 0 below -88.7 (where e^-z overflows; the sigmoid is subnormal there), NaN for
    /// NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exponential(float z) => 1f / ScalarExp.OnePlusExp(-z);

    // Fused where the hardware fuses, never the software emulation (STYLE F12).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float MulAdd(float a, float b, float c) => Fma.IsSupported ? MathF.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    // Row k - KMin: (c0, c1, c2, c3) for the interval centred on k/16, the cubic through σ at the four Chebyshev
    // nodes of [-1/32, 1/32] (near-minimax for a smooth function), from its Newton form expanded into powers of r,
    // all in double; then c0 is replaced by σ(k/16) rounded, the value at the centre.
    static float[] BuildTable()
    {
        var table = GC.AllocateArray<float>(Rows * 4, pinned: true);
        const double HalfWidth = 0.5 / IntervalsPerUnit;
        Span<double> nodes = stackalloc double[4];
        Span<double> values = stackalloc double[4];
        for (int row = 0; row < Rows; row++)
        {
            double centre = (double)(row + KMin) / IntervalsPerUnit;
            for (int i = 0; i < 4; i++)
            {
                nodes[i] = HalfWidth * Math.Cos(Math.PI * (i + 0.5) / 4);
                values[i] = 1 / (1 + Math.Exp(-(centre + nodes[i])));
            }

            // Divided differences, then the Newton form's products expanded into powers of r.
            for (int level = 1; level < 4; level++)
            {
                for (int i = 3; i >= level; i--)
                {
                    values[i] = (values[i] - values[i - 1]) / (nodes[i] - nodes[i - level]);
                }
            }

            double c0 = values[3], c1 = 0, c2 = 0, c3 = 0;
            for (int i = 2; i >= 0; i--)
            {
                // (c0 + c1 r + c2 r² + c3 r³) · (r - node_i) + values_i
                c3 = c2 - (nodes[i] * c3);
                c2 = c1 - (nodes[i] * c2);
                c1 = c0 - (nodes[i] * c1);
                c0 = values[i] - (nodes[i] * c0);
            }

            table[row] = (float)(1 / (1 + Math.Exp(-centre)));
            table[Rows + row] = (float)c1;
            table[(2 * Rows) + row] = (float)c2;
            table[(3 * Rows) + row] = (float)c3;
        }

        return table;
    }
}
