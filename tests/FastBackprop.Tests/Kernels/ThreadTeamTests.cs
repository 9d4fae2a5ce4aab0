using System;
using System.Threading;
using FastBackprop.Kernels.Threading;
using Xunit;

namespace FastBackprop.Tests.Kernels;

/// <summary>
/// Keeps the thread-team tests away from every other test: the allocation test reads a process-wide counter
/// that any test running alongside would move, and the others start more threads than the machine has cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadTeamCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "ThreadTeam, run alone";
}

/// <summary>
/// The thread team: every participant runs once per Run on the right thread, writes cross the hand-off in both
/// directions, exceptions come back to the caller without breaking the team, misuse is refused, and after
/// warm-up a Run allocates nothing on any thread.
/// </summary>
[Collection(ThreadTeamCollection.Name)]
public class ThreadTeamTests
{
    // 8 is more threads than the 2-core CI machines have, so the team must also work oversubscribed.
    static readonly int[] s_teamSizes = [1, 2, 3, 4, 8];

    // A team with no more threads than cores (but at least 2), for the tests that run thousands of times: an
    // oversubscribed team slows down by orders of magnitude when something else loads the machine.
    static readonly int s_parallelThreads = Math.Clamp(Environment.ProcessorCount, 2, 4);

    [Fact]
    public void Constructor_rejects_fewer_than_one_thread() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThreadTeam(0));

    [Fact]
    public void Every_worker_runs_exactly_once_per_run_with_the_team_size()
    {
        foreach (int threads in s_teamSizes)
        {
            using var team = new ThreadTeam(threads);
            Assert.Equal(threads, team.Threads);
            var work = new CountingWork(threads);
            int runs = threads <= Environment.ProcessorCount ? 2000 : 200;
            for (int run = 1; run <= runs; run++)
            {
                team.Run(work);
                for (int i = 0; i < threads; i++)
                {
                    int count = work.Counts[i];
                    if (count != run)
                    {
                        Assert.Fail($"threads={threads} run={run}: worker {i} ran {count} times in total.");
                    }
                }
            }

            Assert.Equal(0, work.WrongArguments);
        }
    }

    [Fact]
    public void Worker_zero_is_the_caller_and_the_others_are_the_teams_named_background_threads()
    {
        foreach (int threads in s_teamSizes)
        {
            using var team = new ThreadTeam(threads);
            var work = new ThreadRecordingWork(threads);
            for (int run = 0; run < 50; run++)
            {
                Array.Clear(work.Threads);
                team.Run(work);
                Assert.Same(Thread.CurrentThread, work.Threads[0]);
                for (int i = 1; i < threads; i++)
                {
                    Thread worker = work.Threads[i]!;
                    Assert.NotSame(Thread.CurrentThread, worker);
                    Assert.True(worker.IsBackground);
                    Assert.Equal($"FastBackprop worker {i}", worker.Name);
                    for (int j = 1; j < i; j++)
                    {
                        Assert.NotSame(work.Threads[j], worker);
                    }
                }
            }
        }
    }

    [Fact]
    public void Writes_cross_the_hand_off_in_both_directions()
    {
        using var team = new ThreadTeam(s_parallelThreads);
        var work = new SliceWork(team.Threads, slice: 64);
        long n = work.Data.Length;
        for (int iteration = 1; iteration <= 10_000; iteration++)
        {
            // A plain write before Run that the workers must see...
            work.Iteration = iteration;
            team.Run(work);

            // ...and plain writes by the workers that this thread must see after Run.
            long sum = 0;
            foreach (long value in work.Data)
            {
                sum += value;
            }

            long expected = (n * iteration) + (n * (n - 1) / 2);
            if (sum != expected)
            {
                Assert.Fail($"iteration {iteration}: sum {sum}, expected {expected}.");
            }
        }
    }

    [Fact]
    public void Workers_blocked_after_an_idle_spell_wake_up_for_the_next_run() =>
        RunsReturnWithin(new CountingWork(3), idleMs: 20);

    [Fact]
    public void Caller_blocked_on_slow_workers_wakes_up_when_they_finish() =>
        RunsReturnWithin(new CountingWork(3, slowWorkersMs: 5), idleMs: 0);

    /// <summary>
    /// Five Runs on a 3-thread team, each after <paramref name="idleMs"/> of idleness (far longer than the spin
    /// phase, so the workers are blocked on the monitor by then). They are driven from a helper thread so that a
    /// lost wake-up fails the test instead of hanging the test run; a team stuck that way is left undisposed,
    /// since Dispose would wait for the stuck Run.
    /// </summary>
    static void RunsReturnWithin(CountingWork work, int idleMs)
    {
        var team = new ThreadTeam(3);
        Exception? error = null;
        var caller = new Thread(() =>
        {
            for (int run = 1; run <= 5 && error is null; run++)
            {
                if (idleMs > 0)
                {
                    Thread.Sleep(idleMs);
                }

                error = RunCatching(team, work);
            }
        });
        caller.Start();
        Assert.True(caller.Join(TimeSpan.FromSeconds(10)), "A Run did not return: a wake-up was lost.");
        Assert.Null(error);
        Assert.Equal([5, 5, 5], work.Counts);
        team.Dispose();
    }

    [Fact]
    public void Exception_from_a_background_worker_is_rethrown_after_all_finish_and_the_team_stays_usable() =>
        ExceptionIsRethrownAndTeamStaysUsable(throwingWorker: 2);

    [Fact]
    public void Exception_from_worker_zero_is_rethrown_after_all_finish_and_the_team_stays_usable() =>
        ExceptionIsRethrownAndTeamStaysUsable(throwingWorker: 0);

    static void ExceptionIsRethrownAndTeamStaysUsable(int throwingWorker)
    {
        using var team = new ThreadTeam(3);
        var counting = new CountingWork(3);
        for (int round = 0; round < 3; round++)
        {
            var throwing = new ThrowingWork(throwingWorker);
            var exception = Assert.Throws<TeamTestException>(() => team.Run(throwing));
            Assert.Equal($"worker {throwingWorker} failed", exception.Message);

            // The trace still starts where the exception was thrown, not where Run rethrew it.
            Assert.Contains(nameof(ThrowingWork) + "." + nameof(ThrowingWork.Execute), exception.StackTrace, StringComparison.Ordinal);

            // Run returned only after the other two participants, which take a while, had finished.
            Assert.Equal(2, Volatile.Read(ref throwing.Finished));

            team.Run(counting);
            Assert.Equal([round + 1, round + 1, round + 1], counting.Counts);
        }
    }

    [Fact]
    public void When_several_workers_throw_one_exception_is_rethrown()
    {
        using var team = new ThreadTeam(4);
        var throwing = new ThrowingWork(ThrowingWork.Everyone);
        var exception = Assert.Throws<TeamTestException>(() => team.Run(throwing));
        Assert.StartsWith("worker ", exception.Message, StringComparison.Ordinal);

        var counting = new CountingWork(4);
        team.Run(counting);
        Assert.Equal([1, 1, 1, 1], counting.Counts);
    }

    [Fact]
    public void Thousand_runs_allocate_nothing_in_the_whole_process()
    {
        using var team = new ThreadTeam(s_parallelThreads);
        var work = new SliceWork(team.Threads, slice: 16);
        for (int i = 0; i < 2000; i++)
        {
            team.Run(work);
        }

        // The total counter is process-wide, and the test host itself allocates now and then (about 168 bytes
        // every 100 ms was seen with nothing running), so take the best of several short attempts: a real
        // per-Run allocation shows in every one of them. The per-thread test below cannot be disturbed that way.
        long total = long.MaxValue, caller = long.MaxValue;
        for (int attempt = 0; attempt < 10 && (total != 0 || caller != 0); attempt++)
        {
            long totalBefore = GC.GetTotalAllocatedBytes(precise: true);
            long callerBefore = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                team.Run(work);
            }

            long callerAfter = GC.GetAllocatedBytesForCurrentThread();
            long totalAfter = GC.GetTotalAllocatedBytes(precise: true);
            caller = Math.Min(caller, callerAfter - callerBefore);
            total = Math.Min(total, totalAfter - totalBefore);
        }

        Assert.Equal(0, caller);
        Assert.Equal(0, total);
    }

    [Fact]
    public void Thousand_runs_allocate_nothing_on_any_team_thread()
    {
        // One thread more than the cores, so that the team's threads also yield, block and wake between runs.
        using var team = new ThreadTeam(Environment.ProcessorCount + 1);
        var work = new ThreadAllocationWork(new SliceWork(team.Threads, slice: 16), team.Threads);
        long bytes = work.Measure(team, warmups: 200, runs: 1000);
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void Runs_that_wake_blocked_threads_allocate_nothing()
    {
        var team = new ThreadTeam(3);

        // Slow workers make the caller block too, so both sides' wake-ups are measured. Each Run waits longer
        // than the spin phase first, so it wakes workers that are blocked on the monitor. The runs take long
        // enough for the test host's own allocations to land in any process-wide window, so this counts the
        // team's threads only.
        var work = new ThreadAllocationWork(new CountingWork(3, slowWorkersMs: 1), team.Threads, idleMs: 2);
        long bytes = -1;

        // Driven from a helper thread, so that a lost wake-up fails the test instead of hanging the run.
        var caller = new Thread(() => bytes = work.Measure(team, warmups: 5, runs: 20));
        caller.Start();
        Assert.True(caller.Join(TimeSpan.FromSeconds(10)), "A Run did not return: a wake-up was lost.");
        Assert.Equal(0, bytes);
        team.Dispose();
    }

    [Fact]
    public void Concurrent_run_from_a_second_thread_is_refused()
    {
        using var team = new ThreadTeam(2);
        var blocking = new BlockingWork(blockingWorker: 1);
        Exception? firstRunError = null, secondRunError = null;
        var firstCaller = new Thread(() => firstRunError = RunCatching(team, blocking));
        var secondCaller = new Thread(() => secondRunError = RunCatching(team, new CountingWork(2)));
        bool secondReturned;
        firstCaller.Start();
        try
        {
            // The first Run is now certainly in progress: its worker 1 is parked inside Execute. The second Run
            // goes on its own thread too, so that a team that wrongly accepted it fails the test, not hangs it.
            Assert.True(blocking.Entered.Wait(TimeSpan.FromSeconds(10)));
            secondCaller.Start();
            secondReturned = secondCaller.Join(TimeSpan.FromSeconds(10));
        }
        finally
        {
            blocking.Release.Set();
            Assert.True(firstCaller.Join(TimeSpan.FromSeconds(10)));
        }

        Assert.True(secondReturned, "The second Run did not return while the first was in progress.");
        var exception = Assert.IsType<InvalidOperationException>(secondRunError);
        Assert.Contains("in progress", exception.Message, StringComparison.Ordinal);
        Assert.Null(firstRunError);
        Assert.Equal(2, blocking.Finished);

        var counting = new CountingWork(2);
        team.Run(counting);
        Assert.Equal([1, 1], counting.Counts);
    }

    static Exception? RunCatching(ThreadTeam team, ITeamWork work)
    {
        try
        {
            team.Run(work);
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    [Fact]
    public void Nested_run_from_inside_a_work_item_is_refused()
    {
        foreach (int threads in (int[])[1, 3])
        {
            using var team = new ThreadTeam(threads);
            var nested = new NestedRunWork(team);
            team.Run(nested);
            Assert.IsType<InvalidOperationException>(nested.Error);
        }
    }

    [Fact]
    public void Dispose_joins_the_threads_is_idempotent_and_later_runs_throw()
    {
        foreach (bool letWorkersBlock in (bool[])[false, true])
        {
            var team = new ThreadTeam(4);
            var work = new ThreadRecordingWork(4);
            team.Run(work);
            if (letWorkersBlock)
            {
                Thread.Sleep(20);
            }

            team.Dispose();
            for (int i = 1; i < 4; i++)
            {
                Assert.False(work.Threads[i]!.IsAlive, $"worker {i} still alive (letWorkersBlock={letWorkersBlock})");
            }

            team.Dispose();
            Assert.Throws<ObjectDisposedException>(() => team.Run(work));
        }

        // A single-thread team has no threads to join but is disposed all the same.
        var single = new ThreadTeam(1);
        single.Dispose();
        single.Dispose();
        Assert.Throws<ObjectDisposedException>(() => single.Run(new CountingWork(1)));
    }

    [Fact]
    public void Dispose_of_a_team_that_never_ran_returns()
    {
        var team = new ThreadTeam(8);
        team.Dispose();
        Assert.Throws<ObjectDisposedException>(() => team.Run(new CountingWork(8)));
    }

    /// <summary>
    /// Counts each participant's runs, and any index or team size that is not what the team promised. With
    /// <paramref name="slowWorkersMs"/> the background workers first sleep, so that the caller has to block.
    /// </summary>
    sealed class CountingWork(int threads, int slowWorkersMs = 0) : ITeamWork
    {
        public readonly int[] Counts = new int[threads];
        public int WrongArguments;

        public void Execute(int worker, int workers)
        {
            if (workers != Counts.Length || (uint)worker >= (uint)Counts.Length)
            {
                Interlocked.Increment(ref WrongArguments);
                return;
            }

            if (worker != 0 && slowWorkersMs > 0)
            {
                Thread.Sleep(slowWorkersMs);
            }

            // Interlocked so that an index run twice in one Run is counted twice, never lost in a race.
            Interlocked.Increment(ref Counts[worker]);
        }
    }

    /// <summary>
    /// Runs another work item and, on request, reads each participant's own allocation counter, which only that
    /// thread's allocations move. Two such reads bracket everything the team's threads do in between.
    /// </summary>
    sealed class ThreadAllocationWork(ITeamWork inner, int threads, int idleMs = 0) : ITeamWork
    {
        readonly long[] _start = new long[threads];
        readonly long[] _end = new long[threads];
        long[]? _record;

        public void Execute(int worker, int workers)
        {
            inner.Execute(worker, workers);
            if (_record is not null)
            {
                _record[worker] = GC.GetAllocatedBytesForCurrentThread();
            }
        }

        /// <summary>Bytes the team's threads allocate over <paramref name="runs"/> Runs after <paramref name="warmups"/>.</summary>
        public long Measure(ThreadTeam team, int warmups, int runs)
        {
            for (int i = 0; i < warmups; i++)
            {
                Idle();
                team.Run(this);
            }

            _record = _start;
            team.Run(this);
            _record = null;
            for (int i = 0; i < runs; i++)
            {
                Idle();
                team.Run(this);
            }

            _record = _end;
            team.Run(this);
            _record = null;

            long bytes = 0;
            for (int i = 0; i < threads; i++)
            {
                bytes += _end[i] - _start[i];
            }

            return bytes;
        }

        void Idle()
        {
            if (idleMs > 0)
            {
                Thread.Sleep(idleMs);
            }
        }
    }

    /// <summary>Records the thread each participant ran on.</summary>
    sealed class ThreadRecordingWork(int threads) : ITeamWork
    {
        public readonly Thread?[] Threads = new Thread?[threads];

        public void Execute(int worker, int workers) => Threads[worker] = Thread.CurrentThread;
    }

    /// <summary>Each participant fills its own slice from a value the caller set, with plain reads and writes.</summary>
    sealed class SliceWork(int threads, int slice) : ITeamWork
    {
        public readonly long[] Data = new long[threads * slice];
        public int Iteration;

        public void Execute(int worker, int workers)
        {
            int start = worker * slice;
            for (int j = start; j < start + slice; j++)
            {
                Data[j] = Iteration + j;
            }
        }
    }

    /// <summary>One participant (or all) throws; the others take a while and then count themselves finished.</summary>
    sealed class ThrowingWork(int throwingWorker) : ITeamWork
    {
        public const int Everyone = -1;
        public int Finished;

        public void Execute(int worker, int workers)
        {
            if (throwingWorker == Everyone || worker == throwingWorker)
            {
                throw new TeamTestException($"worker {worker} failed");
            }

            Thread.Sleep(10);
            Interlocked.Increment(ref Finished);
        }
    }

    /// <summary>One participant signals that it is inside Execute and stays there until released.</summary>
    sealed class BlockingWork(int blockingWorker) : ITeamWork
    {
        public readonly ManualResetEventSlim Entered = new();
        public readonly ManualResetEventSlim Release = new();
        public int Finished;

        public void Execute(int worker, int workers)
        {
            if (worker == blockingWorker)
            {
                Entered.Set();
                Release.Wait();
            }

            Interlocked.Increment(ref Finished);
        }
    }

    /// <summary>Worker 0 tries, once, to start a Run on its own team from inside Execute, and keeps what that threw.</summary>
    sealed class NestedRunWork(ThreadTeam team) : ITeamWork
    {
        public Exception? Error;
        int _depth;

        public void Execute(int worker, int workers)
        {
            // Only the outer call nests, so a team that failed to refuse fails the test rather than the stack.
            if (worker == 0 && _depth++ == 0)
            {
                try
                {
                    team.Run(this);
                }
                catch (InvalidOperationException exception)
                {
                    Error = exception;
                }
            }
        }
    }

    /// <summary>The exception the tests throw, so that nothing else can be mistaken for it.</summary>
    sealed class TeamTestException(string message) : Exception(message);
}
