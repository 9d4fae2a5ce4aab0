using System;

namespace FastBackprop.Tests.TestUtilities;

/// <summary>Measures the managed bytes an action allocates on this thread, after warm-up.</summary>
internal static class Allocation
{
    /// <summary>
    /// Runs <paramref name="step"/> <paramref name="warmups"/> times (tier-up, statics, lazy initialisation),
    /// then <paramref name="repetitions"/> times between two reads of the allocation counter. The difference is
    /// taken into a local before anything is formatted: an interpolated string rents its buffer first.
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
            step();
        }

        long after = GC.GetAllocatedBytesForCurrentThread();
        return after - before;
    }
}
