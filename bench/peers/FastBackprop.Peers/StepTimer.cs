using System;
using System.Diagnostics;
using System.Runtime;

namespace FastBackprop.Peers;

/// <summary>
/// The timing rule every peer harness (torch_peer.py, libtorch_peer.cpp, fann_peer.c) implements the same way:
/// run steps for the warm-up time (at least two); find k, the smallest power of two such that k steps take at
/// least the minimum sample time; then time the given number of samples of k steps each and report the median
/// (and extremes) of the per-step time.
/// </summary>
/// <remarks>
/// One addition here, for the JIT: the warm-up also lasts until the runtime has compiled no new method for
/// <see cref="JitQuietSeconds"/> (at most <see cref="MaxWarmupSeconds"/>). Tiered compilation first runs tier-0
/// code and compiles the optimised code on a background thread; on a loaded machine that thread can take
/// seconds, and a fixed warm-up would time tier-0 code. The native peers are compiled ahead of time.
/// </remarks>
internal static class StepTimer
{
    const double JitQuietSeconds = 1.0;
    const double MaxWarmupSeconds = 60.0;

    public static Timing Measure<TStep>(TStep step, double warmupSeconds, double minSampleSeconds, int samples)
        where TStep : struct, IStep
    {
        long warmupTicks = (long)(warmupSeconds * Stopwatch.Frequency);
        long quietTicks = (long)(JitQuietSeconds * Stopwatch.Frequency);
        long maxTicks = (long)(MaxWarmupSeconds * Stopwatch.Frequency);
        long start = Stopwatch.GetTimestamp();
        long compiled = JitInfo.GetCompiledMethodCount();
        long lastCompile = start;
        int warmupSteps = 0;
        while (true)
        {
            step.Run();
            warmupSteps++;
            long now = Stopwatch.GetTimestamp();
            long count = JitInfo.GetCompiledMethodCount();
            if (count != compiled)
            {
                compiled = count;
                lastCompile = now;
            }

            bool warm = warmupSteps >= 2 && now - start >= warmupTicks && now - lastCompile >= quietTicks;
            if (warm || now - start >= maxTicks)
            {
                break;
            }
        }

        long minSampleTicks = (long)(minSampleSeconds * Stopwatch.Frequency);
        int k = 1;
        while (TimeSteps(step, k) < minSampleTicks)
        {
            k *= 2;
        }

        double[] perStepNs = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            perStepNs[s] = TimeSteps(step, k) * 1e9 / Stopwatch.Frequency / k;
        }

        Array.Sort(perStepNs);
        int middle = samples / 2;
        double median = samples % 2 == 1 ? perStepNs[middle] : (perStepNs[middle - 1] + perStepNs[middle]) / 2;
        return new Timing(median, perStepNs[0], perStepNs[^1], k, samples);
    }

    static long TimeSteps<TStep>(TStep step, int k)
        where TStep : struct, IStep
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < k; i++)
        {
            step.Run();
        }

        return Stopwatch.GetTimestamp() - start;
    }
}
