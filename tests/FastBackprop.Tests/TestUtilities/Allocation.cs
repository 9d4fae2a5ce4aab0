using System;

namespace FastBackprop.Tests.TestUtilities;

/// <summary>Measures the managed bytes an action allocates on this thread, after warm-up.</summary>
internal static class Allocation
{
    /// <summary>
    /// Runs <paramref name="step"/> <paramref name="warmups"/> times (tier-up, statics, lazy initialisation),
    /// then <paramref name="repetitions"/> times between two reads of the allocation counter. The warm-up is
    /// long enough for on-stack replacement too: a tier-0 method switches to optimised code on the calling
    /// thread once one of its loops has run about a thousand times, and while other tests keep the JIT busy
    /// the runtime can leave methods at tier 0 that long. With 200 warm-up calls, a loop of one or two
    /// iterations per call got there inside the measured window; that switch is the likely cause (not proven)
    /// of rare CI failures of these tests on code that allocates nothing (4232 B over 1000 steps, 208 B over
    /// 100). The difference is taken into a local before anything is formatted: an interpolated string rents
    /// its buffer first.
    /// A full garbage collection halfway through the measured repetitions catches what a collection throws away
    /// and the next call rebuilds (the runtime's weakly held type caches behind Enum.IsDefined, for one: it cost
    /// a sequence step 240 B after every collection, and BenchmarkDotNet collects between iterations). A
    /// collection itself allocates nothing on this thread.
    /// The result is the least of up to <paramref name="attempts"/> such windows: work the runtime does once, late
    /// (a method compiled or switched to optimised code, a cache rebuilt), can fall into one window, while an
    /// allocation the step makes every time shows in all of them. A CI leg without tiered compilation once read
    /// 2,432 B over 1000 steps of code that allocates nothing; seven reruns of that leg read 0.
    /// </summary>
    public static long Measure(Action step, int repetitions, int warmups = 2000, int attempts = 3)
    {
        for (int i = 0; i < warmups; i++)
        {
            step();
        }

        long least = long.MaxValue;
        for (int attempt = 0; attempt < attempts && least != 0; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < repetitions; i++)
            {
                if (i == repetitions / 2)
                {
                    GC.Collect();
                }

                step();
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
