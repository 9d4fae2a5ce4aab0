using System;

namespace FastBackprop.Kernels.Gemm;

/// <summary>
/// Whether a workspace with several threads hands its batch-1 products (the two parts of a split GEMV, the rows of
/// a rank-1 update) to its thread team, or runs them on the calling thread: decided by timing both ways on the
/// workspace's first split GEMVs, because which is faster depends on the machine. Sharing halves the weights each
/// core streams, but costs a hand-off to the other core and back: on the Zen 4 machine that was about 0.3 µs and
/// two threads took W5 from 4.3 to 2.7 µs; on the Zen 5 one a round trip between its two vCPUs takes 450-750 ns,
/// and two threads made W5 slower (3.1-3.9 µs against 2.6-2.8). The choice never changes results: a split GEMV
/// computes the same two parts either way, and a rank-1 update's rows are independent.
/// </summary>
/// <remarks>
/// The trial is <see cref="Blocks"/> blocks of <see cref="BlockCalls"/> calls, team and caller in turn; the first
/// <see cref="WarmCalls"/> calls of each block are not counted, since the weights move between the cores' L2
/// caches when the way changes. The team is kept only when its median is at least 5% below the caller's: on a
/// tie the other core is left free. Preallocated with the workspace; recording and deciding allocate nothing.
/// </remarks>
internal sealed class BatchOneSharing
{
    /// <summary>Consecutive split GEMVs timed one way.</summary>
    public const int BlockCalls = 8;

    /// <summary>Blocks in the trial, the team's and the caller's in turn.</summary>
    public const int Blocks = 8;

    /// <summary>Calls at the start of each block that are not counted.</summary>
    public const int WarmCalls = 4;

    const int SamplesPerWay = Blocks / 2 * (BlockCalls - WarmCalls);

    readonly long[] _team = new long[SamplesPerWay];
    readonly long[] _caller = new long[SamplesPerWay];
    int _calls;
    bool _share;

    /// <summary>Whether the trial is over and <see cref="Share"/> fixed.</summary>
    public bool Decided { get; private set; }

    /// <summary>Whether batch-1 products go to the team now: the trial's current way, then its outcome.</summary>
    public bool Share => Decided ? _share : _calls / BlockCalls % 2 == 0;

    /// <summary>Records how long a split GEMV took, in Stopwatch ticks, the way <see cref="Share"/> chose.</summary>
    public void Record(long ticks)
    {
        if (Decided)
        {
            return;
        }

        int block = _calls / BlockCalls, call = _calls % BlockCalls;
        if (call >= WarmCalls)
        {
            long[] samples = block % 2 == 0 ? _team : _caller;
            samples[(block / 2 * (BlockCalls - WarmCalls)) + call - WarmCalls] = ticks;
        }

        if (++_calls == Blocks * BlockCalls)
        {
            _share = TeamIsFaster(_team, _caller);
            Decided = true;
        }
    }

    /// <summary>Ends the trial with the given outcome: for tests that must reach one way whatever this machine prefers.</summary>
    internal void Fix(bool share)
    {
        _share = share;
        Decided = true;
    }

    /// <summary>Whether the team's median time is at least 5% below the caller's (sorts both in place).</summary>
    internal static bool TeamIsFaster(Span<long> team, Span<long> caller)
    {
        team.Sort();
        caller.Sort();
        long teamMedian = team[team.Length / 2], callerMedian = caller[caller.Length / 2];
        return teamMedian * 20 <= callerMedian * 19;
    }
}
