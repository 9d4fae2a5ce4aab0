using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;
using FastBackprop.Kernels;

namespace FastBackprop.Benchmarks;

/// <summary>
/// The machine's float32 FMA peak on one core: independent vector accumulators, each updated by one
/// multiply-add per step, in a loop with no calls and no memory traffic. Its GFLOP/s column is the reference
/// for <see cref="GemmBench"/>'s: a GEMM at 80-90% of this row is at the hardware's limit.
/// Run: dotnet run -c Release --project bench/FastBackprop.Benchmarks -- --filter '*PeakBench*'
/// </summary>
/// <remarks>
/// <para>The multiply-add is the library's own <see cref="ISimd{TVec, T}.MultiplyAdd"/>, the operation its
/// kernels are built on: one vfmadd where the hardware has FMA, and a multiply plus an add where it has not
/// (where FusedMultiplyAdd would be emulated some 20x slower and measure nothing useful).</para>
/// <para>How many accumulators fit depends on the register file: 16 accumulators and the two constant operands
/// need 18 vector registers, which AVX-512 (EVEX, 32 registers) and Arm64 (32) have; with 16 registers (AVX2,
/// or DOTNET_EnableAVX512=0) the JIT spilled two accumulators to the stack inside the loop, so there the loop
/// keeps 12. Either is more than the 8 chains that hide Zen 4's FMA latency (4 cycles, 2 per cycle). Both loops
/// run the same number of FMAs, so <see cref="Flops"/> holds whichever one runs.</para>
/// </remarks>
public class PeakBench
{
    /// <summary>
    /// Vector FMAs per invocation, divisible by 16 and by 12: about 0.2 ms at Zen 4's 116 GFLOP/s with Vector512,
    /// long enough to time and short enough to repeat many times.
    /// </summary>
    const int Fmas = 48 << 14;

    // Whether the JIT has 32 vector registers: EVEX encoding (AVX-512) on x64, always on Arm64. Avx512F.IsSupported
    // rather than Vector512.IsHardwareAccelerated, because EVEX (and its 32 registers) stays in use when the
    // runtime merely prefers 256-bit vectors.
    static readonly bool s_has32Registers = Avx512F.IsSupported || AdvSimd.Arm64.IsSupported;

    /// <summary>The vector widths, in bits, the hardware accelerates; a width run in software would say nothing about the machine.</summary>
    public static IEnumerable<int> Widths
    {
        get
        {
            if (Vector512.IsHardwareAccelerated)
            {
                yield return 512;
            }

            if (Vector256.IsHardwareAccelerated)
            {
                yield return 256;
            }

            // Always offered, so that the benchmark has a case even on a machine without SIMD.
            yield return 128;
        }
    }

    [ParamsSource(nameof(Widths))]
    public int Width { get; set; } = 128;

    /// <summary>Floating-point operations of one invocation (a multiply and an add per lane per FMA), read by the GFLOP/s column.</summary>
    public double Flops => 2.0 * Fmas * (Width / 32);

    [Benchmark]
    public float Fma() => Width switch
    {
        512 => s_has32Registers ? Loop16<Vector512<float>, Simd512<float>>() : Loop12<Vector512<float>, Simd512<float>>(),
        256 => s_has32Registers ? Loop16<Vector256<float>, Simd256<float>>() : Loop12<Vector256<float>, Simd256<float>>(),
        _ => s_has32Registers ? Loop16<Vector128<float>, Simd128<float>>() : Loop12<Vector128<float>, Simd128<float>>(),
    };

    // NoInlining keeps each loop a method of its own, so that its listing can be read with
    // DOTNET_JitDisasm='*PeakBench:Loop*' and the caller's code cannot take its registers.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static float Loop16<TVec, TSimd>()
        where TVec : struct
        where TSimd : struct, ISimd<TVec, float>
    {
        // a ← a·x + y with x just below 1 has the fixed point y / (1 − x) = 1: starting there, the values stay
        // normal for ever (no denormal slow path, no overflow), while the JIT cannot fold the chain away.
        TVec x = TSimd.Splat(0.9999f);
        TVec y = TSimd.Splat(0.0001f);
        TVec a0 = TSimd.Splat(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        TVec a8 = a0, a9 = a0, a10 = a0, a11 = a0, a12 = a0, a13 = a0, a14 = a0, a15 = a0;
        for (int i = 0; i < Fmas / 16; i++)
        {
            a0 = TSimd.MultiplyAdd(a0, x, y);
            a1 = TSimd.MultiplyAdd(a1, x, y);
            a2 = TSimd.MultiplyAdd(a2, x, y);
            a3 = TSimd.MultiplyAdd(a3, x, y);
            a4 = TSimd.MultiplyAdd(a4, x, y);
            a5 = TSimd.MultiplyAdd(a5, x, y);
            a6 = TSimd.MultiplyAdd(a6, x, y);
            a7 = TSimd.MultiplyAdd(a7, x, y);
            a8 = TSimd.MultiplyAdd(a8, x, y);
            a9 = TSimd.MultiplyAdd(a9, x, y);
            a10 = TSimd.MultiplyAdd(a10, x, y);
            a11 = TSimd.MultiplyAdd(a11, x, y);
            a12 = TSimd.MultiplyAdd(a12, x, y);
            a13 = TSimd.MultiplyAdd(a13, x, y);
            a14 = TSimd.MultiplyAdd(a14, x, y);
            a15 = TSimd.MultiplyAdd(a15, x, y);
        }

        // Every accumulator reaches the result, so the JIT can drop none of the chains.
        TVec s0 = TSimd.Add(TSimd.Add(TSimd.Add(a0, a1), TSimd.Add(a2, a3)), TSimd.Add(TSimd.Add(a4, a5), TSimd.Add(a6, a7)));
        TVec s1 = TSimd.Add(TSimd.Add(TSimd.Add(a8, a9), TSimd.Add(a10, a11)), TSimd.Add(TSimd.Add(a12, a13), TSimd.Add(a14, a15)));
        return TSimd.Sum(TSimd.Add(s0, s1));
    }

    /// <summary>As <see cref="Loop16{TVec, TSimd}"/> with 12 accumulators, for a file of 16 vector registers.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    static float Loop12<TVec, TSimd>()
        where TVec : struct
        where TSimd : struct, ISimd<TVec, float>
    {
        TVec x = TSimd.Splat(0.9999f);
        TVec y = TSimd.Splat(0.0001f);
        TVec a0 = TSimd.Splat(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        TVec a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (int i = 0; i < Fmas / 12; i++)
        {
            a0 = TSimd.MultiplyAdd(a0, x, y);
            a1 = TSimd.MultiplyAdd(a1, x, y);
            a2 = TSimd.MultiplyAdd(a2, x, y);
            a3 = TSimd.MultiplyAdd(a3, x, y);
            a4 = TSimd.MultiplyAdd(a4, x, y);
            a5 = TSimd.MultiplyAdd(a5, x, y);
            a6 = TSimd.MultiplyAdd(a6, x, y);
            a7 = TSimd.MultiplyAdd(a7, x, y);
            a8 = TSimd.MultiplyAdd(a8, x, y);
            a9 = TSimd.MultiplyAdd(a9, x, y);
            a10 = TSimd.MultiplyAdd(a10, x, y);
            a11 = TSimd.MultiplyAdd(a11, x, y);
        }

        TVec s0 = TSimd.Add(TSimd.Add(TSimd.Add(a0, a1), TSimd.Add(a2, a3)), TSimd.Add(a4, a5));
        TVec s1 = TSimd.Add(TSimd.Add(TSimd.Add(a6, a7), TSimd.Add(a8, a9)), TSimd.Add(a10, a11));
        return TSimd.Sum(TSimd.Add(s0, s1));
    }
}
