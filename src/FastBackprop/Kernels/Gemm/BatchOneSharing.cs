using System;
using System.Diagnostics;

namespace FastBackprop.Kernels.Gemm;

/// <summary>
/// Whether a workspace with several threads hands its batch-1 products (the two parts of a split GEMV, the rows of
/// a rank-1 update) to its thread team, or runs them on the calling thread: decided by timing both ways on the
/// workspace's split GEMVs, because which is faster depends on the machine. Sharing halves the weights each core
/// streams, but costs a hand-off to the other core and back: on the Zen 4 machine that was about 0.3 µs and two
/// threads took W5 from 4.3 to 2.7 µs; on the Zen 5 one a round trip between its two vCPUs takes 450-750 ns, and
/// two threads made W5 slower (3.1-3.9 µs against 2.6-2.8). The choice never changes results: a split GEMV
/// computes the same two parts either way, and a rank-1 update's rows are independent.
/// </summary>
/// <remarks>
/// Until <see cref="WarmUpSeconds"/> after the workspace's first split GEMV the team is used, as without a trial:
/// early calls run code the runtime has not yet optimised, whose slow arithmetic would make the hand-off look
/// cheap. The trial is then <see cref="Blocks"/> blocks of <see cref="BlockCalls"/> calls in the order team,
/// caller, caller, team, ..., so that a steady drift in speed (the clock, the last methods reaching tier 1) falls
/// on both ways alike; the first <see cref="WarmCalls"/> calls of each block are not counted, since the weights
/// move between the cores' L2 caches when the way changes. The team is kept only when its median is at least 5%
/// below the caller's: on a tie the other core is left free. Preallocated with the workspace; recording and
/// deciding allocate nothing.
/// <para>The answer can change while a program runs: on the Zen 5 machine the team was 15-30% slower in most
/// processes, and 25-35% faster in one whose calling core was itself slow (W5 2.2 µs against 2.7-3.6). So the
/// trial is run again, without the warm-up, after every <see cref="RetrialCalls"/> split GEMVs: at W5's pace
/// about every 0.2 s, for some 16 µs of calls made the slower way.</para>
/// </remarks>
internal sealed class BatchOneSharing
{
    /// <summary>Seconds from the first split GEMV to the start of the trial.</summary>
    public const double WarmUpSeconds = 1;

    /// <summary>Consecutive split GEMVs timed one way.</summary>
    public const int BlockCalls = 8;

    /// <summary>Blocks in the trial: team, caller, caller, team, twice.</summary>
    public const int Blocks = 8;

    /// <summary>Calls at the start of each block that are not counted.</summary>
    public const int WarmCalls = 4;

    /// <summary>Split GEMVs after a decision before the trial is run again.</summary>
    public const int RetrialCalls = 1 << 16;

    const int SamplesPerWay = Blocks / 2 * (BlockCalls - WarmCalls);

    readonly long[] _team = new long[SamplesPerWay];
    readonly long[] _caller = new long[SamplesPerWay];
    long _warmUpTicks = (long)(WarmUpSeconds * Stopwatch.Frequency);
    long _firstCall = -1;
    bool _started;
    int _calls;
    int _teamSamples;
    int _callerSamples;
    int _sinceDecision;
    bool _share;
    bool _fixed;

    /// <summary>Whether the trial is over and <see cref="Share"/> fixed.</summary>
    public bool Decided { get; private set; }

    /// <summary>Whether batch-1 products go to the team now: the team during the warm-up, the trial's current way, then its outcome.</summary>
    public bool Share => Decided ? _share : !_started || IsTeamBlock(_calls / BlockCalls);

    /// <summary>
    /// Records a split GEMV that ran the way <see cref="Share"/> chose, from <paramref name="start"/> to
    /// <paramref name="end"/> (Stopwatch timestamps; while <see cref="Decided"/>, untimed: any values).
    /// </summary>
    public void Record(long start, long end)
    {
        if (Decided)
        {
            if (!_fixed && ++_sinceDecision == RetrialCalls)
            {
                (Decided, _calls, _teamSamples, _callerSamples, _sinceDecision) = (false, 0, 0, 0, 0);
            }

            return;
        }

        if (!_started)
        {
            if (_firstCall < 0)
            {
                _firstCall = start;
            }

            // The call that ends the warm-up ran with the team, as the trial's first block does; it counts as
            // that block's first (uncounted) call.
            if (end - _firstCall < _warmUpTicks)
            {
                return;
            }

            _started = true;
        }

        if (_calls % BlockCalls >= WarmCalls)
        {
            if (IsTeamBlock(_calls / BlockCalls))
            {
                _team[_teamSamples++] = end - start;
            }
            else
            {
                _caller[_callerSamples++] = end - start;
            }
        }

        if (++_calls == Blocks * BlockCalls)
        {
            _share = TeamIsFaster(_team, _caller);
            Decided = true;
        }
    }

    /// <summary>Starts the trial at the next call instead of after the warm-up: for tests.</summary>
    internal void SkipWarmUp() => _warmUpTicks = 0;

    /// <summary>Ends the trial for good with the given outcome: for tests that must reach one way whatever this machine prefers.</summary>
    internal void Fix(bool share)
    {
        _share = share;
        Decided = true;
        _fixed = true;
    }

    /// <summary>Whether the team's median time is at least 5% below the caller's (sorts both in place).</summary>
    internal static bool TeamIsFaster(Span<long> team, Span<long> caller)
    {
        team.Sort();
        caller.Sort();
        long teamMedian = team[team.Length / 2], callerMedian = caller[caller.Length / 2];
        return teamMedian * 20 <= callerMedian * 19;
    }

    // Team, caller, caller, team, and again.
    static bool IsTeamBlock(int block) => block % 4 is 0 or 3;
}
