using System;

namespace FastBackprop.Tests.TestUtilities;

/// <summary>Measures the managed bytes an action allocates on this thread, after warm-up.</summary>
internal static class Allocation
{
    /// <summary>
    /// Runs <paramref name="step"/> <paramref name="warmups"/> times (tier-up, statics, lazy initialisation),
    /// then <paramref name="repetitions"/> times between two reads of the allocation counter. The difference is
    /// taken into a local before anything is formatted: an interpolated string rents its buffer first.
    /// A full garbage collection halfway through the measured repetitions catches what a collection throws away
    /// and the next call rebuilds (the runtime's weakly held type caches behind Enum.IsDefined, for one: it cost
    /// a sequence step 240 B after every collection, and BenchmarkDotNet collects between iterations). A
    /// collection itself allocates nothing on this thread.
    /// </summary>
    public static long Measure(Action step, int repetitions, int warmups = 200)
    {
        for (int i = 0; i < warmups; i++)
        {
            step();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < repetitions; i++)
        {
            if (i == repetitions / 2)
            {
                GC.Collect();
            }

            step();
        }

        long after = GC.GetAllocatedBytesForCurrentThread();
        return after - before;
    }
}
