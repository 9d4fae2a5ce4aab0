using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace FastBackprop.Kernels.Threading;

/// <summary>
/// A fixed team of threads that runs one <see cref="ITeamWork"/> at a time on every member, without allocating:
/// the calling thread is worker 0 and <see cref="Threads"/> − 1 long-lived background threads are the others.
/// </summary>
/// <remarks>
/// <para>
/// Hand-off: the caller stores the work and then bumps a generation counter with an interlocked (full-fence)
/// increment; each worker waits for the generation to move, reads the work, runs it and counts down a pending
/// counter with an interlocked decrement. The caller runs its own share, then waits for the counter to reach 0.
/// The fences on both counters order every write made before Run ahead of the workers' reads, and every write
/// made inside <see cref="ITeamWork.Execute"/> ahead of the caller's reads after Run returns.
/// </para>
/// <para>
/// Waiting: both sides first spin for about <see cref="SpinMicroseconds"/> (with <see cref="SpinWait"/>, which
/// yields the core on alternate turns once it has spun a little, so an oversubscribed machine still makes
/// progress), then block on a monitor that was created with the team. Back-to-back runs, as in a training
/// step's GEMMs, thus hand off without a system call, while an idle team costs no CPU. A waker only takes the
/// lock when someone has announced that it sleeps, so the common path is a few interlocked operations per run.
/// </para>
/// <para>
/// Not for concurrent use: one Run at a time. A second concurrent (or nested) Run throws instead of corrupting
/// the hand-off.
/// </para>
/// </remarks>
internal sealed class ThreadTeam : IDisposable
{
    /// <summary>
    /// How long a waiting thread spins before it blocks. Longer than a wake-up from a blocked state takes, short
    /// enough that an idle team stops using cores almost at once; a starting guess, to be tuned in bench/.
    /// </summary>
    const int SpinMicroseconds = 50;

    static readonly long s_spinTicks = Math.Max(1, Stopwatch.Frequency * SpinMicroseconds / 1_000_000);

    // Two gates rather than one, so that waking the workers never wakes the caller and vice versa.
    readonly object _startGate = new();
    readonly object _doneGate = new();
    readonly Thread[] _workers;

    // The work of the current generation; written by the caller before the generation is bumped.
    ITeamWork? _work;

    // Bumped once per Run (and once by Dispose); the workers compare it with the last value they served.
    int _generation;

    // Workers still running the current generation; the last one to finish brings it to 0.
    int _pending;

    // How many workers are (about to be) blocked on _startGate, and whether the caller is blocked on _doneGate.
    // Each side announces itself with a full fence before it re-checks its condition, and each waker reads
    // the announcement after a full fence, so at least one of the two sees the other and no wake-up is lost.
    int _sleepingWorkers;
    int _callerSleeping;

    // 1 while a Run is in progress: the cheap guard against concurrent or nested Run.
    int _running;

    // The managed id of the thread inside Run, or 0: lets Dispose refuse to wait for itself.
    int _runningThreadId;

    // The first exception a participant threw during the current Run.
    ExceptionDispatchInfo? _error;

    int _disposed;
    bool _stopping;

    /// <summary>
    /// A team of <paramref name="threads"/> participants: the thread that calls <see cref="Run"/> plus
    /// <paramref name="threads"/> − 1 background threads, started here and kept until <see cref="Dispose"/>.
    /// </summary>
    public ThreadTeam(int threads)
    {
        if (threads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "Expected at least 1 thread.");
        }

        Threads = threads;
        _workers = new Thread[threads - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            // Background, so a team nobody disposed never keeps the process alive.
            var thread = new Thread(WorkerLoop) { IsBackground = true, Name = $"FastBackprop worker {i + 1}" };
            _workers[i] = thread;
            thread.Start(i + 1);
        }
    }

    /// <summary>How many participants each <see cref="Run"/> has, the calling thread included.</summary>
    public int Threads { get; }

    /// <summary>
    /// Runs <c>work.Execute(i, Threads)</c> once for every i in [0, <see cref="Threads"/>): i = 0 on the calling
    /// thread, the others on the team's threads, and returns when all have finished. If any participant throws,
    /// Run still waits for all of them and then rethrows the first exception, with its original stack trace.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another Run on this team is in progress (concurrent or nested).</exception>
    /// <exception cref="ObjectDisposedException">The team has been disposed.</exception>
    public void Run(ITeamWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            ThrowBusyOrDisposed();
        }

        try
        {
            // Checked under the flag: Dispose takes the same flag before it stops the threads.
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            _runningThreadId = Environment.CurrentManagedThreadId;
            if (_workers.Length == 0)
            {
                work.Execute(0, 1);
            }
            else
            {
                RunTeam(work);
            }
        }
        finally
        {
            _runningThreadId = 0;
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>Hands <paramref name="work"/> to the workers, runs worker 0's share here and waits for the rest.</summary>
    void RunTeam(ITeamWork work)
    {
        // Both plain writes are published by the full fence of the increment below.
        _pending = _workers.Length;
        _work = work;
        Interlocked.Increment(ref _generation);
        if (Volatile.Read(ref _sleepingWorkers) != 0)
        {
            lock (_startGate)
            {
                Monitor.PulseAll(_startGate);
            }
        }

        try
        {
            work.Execute(0, Threads);
        }
        catch (Exception exception)
        {
            // Not rethrown yet: the workers may still be using memory the caller is about to unwind past.
            RecordError(exception);
        }

        WaitForWorkers();

        // Drop the reference so the team does not keep the work (and what it points at) alive between runs.
        _work = null;
        ExceptionDispatchInfo? error = _error;
        if (error is not null)
        {
            _error = null;
            error.Throw();
        }
    }

    /// <summary>Returns once every worker has finished the current generation.</summary>
    void WaitForWorkers()
    {
        // The acquire read pairs with the workers' interlocked decrements: once it reads 0, their writes are visible.
        if (Volatile.Read(ref _pending) == 0)
        {
            return;
        }

        long deadline = Stopwatch.GetTimestamp() + s_spinTicks;
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _pending) != 0)
        {
            if (Stopwatch.GetTimestamp() >= deadline)
            {
                lock (_doneGate)
                {
                    Interlocked.Exchange(ref _callerSleeping, 1);
                    while (Volatile.Read(ref _pending) != 0)
                    {
                        Monitor.Wait(_doneGate);
                    }

                    _callerSleeping = 0;
                }

                return;
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>The body of each background thread: serve one generation after another until the team stops.</summary>
    void WorkerLoop(object? state)
    {
        int worker = (int)state!;
        int served = 0;
        while (true)
        {
            served = WaitForGeneration(served);

            // Ordered after the generation read (an acquire), so it sees the caller's writes before the bump.
            if (_stopping)
            {
                return;
            }

            try
            {
                _work!.Execute(worker, Threads);
            }
            catch (Exception exception)
            {
                // Caught so that the thread survives and the caller can rethrow; the team stays usable.
                RecordError(exception);
            }

            // Full fence: the writes made in Execute (and any recorded error) are visible before the count drops.
            if (Interlocked.Decrement(ref _pending) == 0 && Volatile.Read(ref _callerSleeping) != 0)
            {
                lock (_doneGate)
                {
                    Monitor.Pulse(_doneGate);
                }
            }
        }
    }

    /// <summary>Waits until the generation differs from <paramref name="served"/>, and returns the new one.</summary>
    int WaitForGeneration(int served)
    {
        int generation = Volatile.Read(ref _generation);
        if (generation != served)
        {
            return generation;
        }

        long deadline = Stopwatch.GetTimestamp() + s_spinTicks;
        var spinner = default(SpinWait);
        while ((generation = Volatile.Read(ref _generation)) == served)
        {
            if (Stopwatch.GetTimestamp() >= deadline)
            {
                lock (_startGate)
                {
                    Interlocked.Increment(ref _sleepingWorkers);
                    while ((generation = Volatile.Read(ref _generation)) == served)
                    {
                        Monitor.Wait(_startGate);
                    }

                    Interlocked.Decrement(ref _sleepingWorkers);
                }

                return generation;
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return generation;
    }

    /// <summary>Keeps the first exception of this run; later ones are dropped, as only one can be rethrown.</summary>
    void RecordError(Exception exception) =>
        Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(exception), null);

    /// <summary>
    /// Stops and joins the background threads. Waits for a <see cref="Run"/> in progress on another thread to
    /// finish first. Calling it again does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from inside a work item of this team, which would wait for itself.</exception>
    public void Dispose()
    {
        if (_runningThreadId == Environment.CurrentManagedThreadId || Array.IndexOf(_workers, Thread.CurrentThread) >= 0)
        {
            ThrowDisposeFromWork();
        }

        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Take the Run flag for good: an in-flight Run finishes first, and no Run can start afterwards.
        var spinner = default(SpinWait);
        while (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            spinner.SpinOnce();
        }

        _stopping = true;
        Interlocked.Increment(ref _generation);
        lock (_startGate)
        {
            Monitor.PulseAll(_startGate);
        }

        foreach (Thread thread in _workers)
        {
            thread.Join();
        }
    }

    /// <summary>Run found the flag taken: by Dispose, which keeps it for good, or by another Run.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    void ThrowBusyOrDisposed()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        throw new InvalidOperationException(
            "ThreadTeam.Run was called while another Run on the same team was in progress; a team runs one work item at a time, so Run must not be called concurrently or from inside a work item.");
    }

    /// <summary>Dispose was called by a participant of the Run it would have to wait for.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void ThrowDisposeFromWork() =>
        throw new InvalidOperationException("ThreadTeam.Dispose was called from inside one of the team's own work items, which would wait for itself.");
}
