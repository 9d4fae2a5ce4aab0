using System;
using System.Diagnostics;

namespace FastBackprop.Peers;

/// <summary>
/// The timing rule every peer harness (torch_peer.py, libtorch_peer.cpp, fann_peer.c) implements the same way:
/// run steps for the warm-up time (at least two); find k, the smallest power of two such that k steps take at
/// least the minimum sample time; then time the given number of samples of k steps each and report the median
/// (and extremes) of the per-step time.
/// </summary>
internal static class StepTimer
{
    public static Timing Measure<TStep>(TStep step, double warmupSeconds, double minSampleSeconds, int samples)
        where TStep : struct, IStep
    {
        long warmupTicks = (long)(warmupSeconds * Stopwatch.Frequency);
        long start = Stopwatch.GetTimestamp();
        int warmupSteps = 0;
        while (warmupSteps < 2 || Stopwatch.GetTimestamp() - start < warmupTicks)
        {
            step.Run();
            warmupSteps++;
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
