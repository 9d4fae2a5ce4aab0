using System;
using System.Diagnostics;
using FastBackprop.Kernels.Gemm;
using FastBackprop.Tests.TestUtilities;
using Xunit;

namespace FastBackprop.Tests.Kernels;

/// <summary>
/// The trial that decides whether a workspace shares its batch-1 products with its thread team: the ways it
/// takes call by call, which calls it counts, the decision it reaches, and that the products' bits do not depend
/// on any of it.
/// </summary>
public class BatchOneSharingTests
{
    const int TrialCalls = BatchOneSharing.Blocks * BatchOneSharing.BlockCalls;

    // The trial's blocks: team, caller, caller, team, and again.
    static bool TeamBlock(int call) => (call / BatchOneSharing.BlockCalls % 4) is 0 or 3;

    [Theory]
    [InlineData(50, 100, true)]
    [InlineData(100, 50, false)]
    [InlineData(94, 100, true)]   // 6% faster: worth the other core
    [InlineData(97, 100, false)]  // 3% faster: a tie, the other core stays free
    public void The_trial_takes_each_way_a_block_at_a_time_then_keeps_the_faster(long teamTicks, long callerTicks, bool share)
    {
        var sharing = new BatchOneSharing();
        sharing.SkipWarmUp();
        long now = 0;
        for (int call = 0; call < TrialCalls; call++)
        {
            Assert.False(sharing.Decided);
            Assert.Equal(TeamBlock(call), sharing.Share);
            long took = sharing.Share ? teamTicks : callerTicks;
            sharing.Record(now, now + took);
            now += took;
        }

        Assert.True(sharing.Decided);
        Assert.Equal(share, sharing.Share);

        // Later calls change nothing.
        for (int call = 0; call < TrialCalls; call++)
        {
            sharing.Record(now, now + (sharing.Share ? 1_000_000 : 1));
        }

        Assert.Equal(share, sharing.Share);
    }

    [Fact]
    public void Until_the_warm_up_has_passed_the_team_is_used_and_nothing_is_counted()
    {
        // Calls during the warm-up say the team is far slower; they must not count. The call that ends the warm-up
        // opens the first block; after it, the caller is slower, and the team is kept.
        var sharing = new BatchOneSharing();
        long second = Stopwatch.Frequency, now = 1000;
        for (int call = 0; call < 3 * TrialCalls; call++)
        {
            Assert.True(sharing.Share);
            sharing.Record(now, now + (second / 1000));
            now += second / (4 * TrialCalls);
        }

        Assert.False(sharing.Decided);
        now += second;
        for (int call = 0; call < TrialCalls; call++)
        {
            Assert.Equal(TeamBlock(call), sharing.Share);
            sharing.Record(now, now + (sharing.Share ? 50 : 100));
            now += 1000;
        }

        Assert.True(sharing.Decided);
        Assert.True(sharing.Share);
    }

    [Fact]
    public void The_trial_runs_again_after_its_interval_and_can_change_its_answer()
    {
        var sharing = new BatchOneSharing();
        sharing.SkipWarmUp();
        RunTrial(sharing, teamTicks: 50, callerTicks: 100);
        Assert.True(sharing.Share);
        for (int call = 0; call < BatchOneSharing.RetrialCalls - 1; call++)
        {
            sharing.Record(0, 0);
            Assert.True(sharing.Decided);
        }

        sharing.Record(0, 0);
        Assert.False(sharing.Decided);
        RunTrial(sharing, teamTicks: 100, callerTicks: 50);
        Assert.True(sharing.Decided);
        Assert.False(sharing.Share);
    }

    [Fact]
    public void A_fixed_outcome_is_never_tried_again()
    {
        var sharing = new BatchOneSharing();
        sharing.Fix(share: false);
        for (int call = 0; call < BatchOneSharing.RetrialCalls + 1; call++)
        {
            sharing.Record(0, 0);
        }

        Assert.True(sharing.Decided);
        Assert.False(sharing.Share);
    }

    static void RunTrial(BatchOneSharing sharing, long teamTicks, long callerTicks)
    {
        for (int call = 0; call < TrialCalls; call++)
        {
            Assert.Equal(TeamBlock(call), sharing.Share);
            sharing.Record(0, sharing.Share ? teamTicks : callerTicks);
        }
    }

    [Fact]
    public void The_first_calls_of_each_block_are_not_counted()
    {
        // The warm calls say the caller is far faster; the counted ones that the team is: the team wins.
        var sharing = new BatchOneSharing();
        sharing.SkipWarmUp();
        for (int call = 0; call < TrialCalls; call++)
        {
            bool warm = call % BatchOneSharing.BlockCalls < BatchOneSharing.WarmCalls;
            sharing.Record(0, sharing.Share ? (warm ? 1_000_000 : 50) : (warm ? 1 : 100));
        }

        Assert.True(sharing.Share);
    }

    [Fact]
    public void A_split_gemv_has_the_same_bits_on_every_call_of_the_trial_and_after()
    {
        var random = new Random(12);
        var g = GemmCase<float>.Create(random, 1, 128, 784, transposedA: false, accumulate: false, integers: false);
        using var one = new GemmWorkspace<float>(threads: 1);
        using var two = new GemmWorkspace<float>(threads: 2);
        two.BatchOne.SkipWarmUp();
        float[] expected = (float[])g.C.Clone();
        Gemm.MultiplyNN(1, 128, 784, g.Alpha, g.A, g.Lda, g.B, g.Ldb, accumulate: false, expected, g.Ldc, one);
        for (int call = 0; call < TrialCalls + 8; call++)
        {
            float[] c = (float[])g.Original.Clone();
            Gemm.MultiplyNN(1, 128, 784, g.Alpha, g.A, g.Lda, g.B, g.Ldb, accumulate: false, c, g.Ldc, two);
            Assert.True(expected.AsSpan().SequenceEqual(c), $"call {call} ({(call < TrialCalls ? "trial" : "after")}) differs from one thread");
        }

        Assert.True(two.BatchOne.Decided);
    }

    [Fact]
    public void The_trial_and_its_decision_allocate_nothing()
    {
        var g = GemmCase<float>.Create(new Random(13), 1, 128, 784, transposedA: false, accumulate: false, integers: false);

        // Warm-up: trials and decided calls on a workspace of their own, so that the measured trial runs code the
        // runtime has already compiled and optimised. With one call of warm-up, a CI leg once read 8,112 B over a
        // trial (likely a method switched to optimised code inside the window; not reproduced in three reruns).
        using (var warm = new GemmWorkspace<float>(threads: 2))
        {
            warm.BatchOne.SkipWarmUp();
            for (int call = 0; call < 2000; call++)
            {
                Gemm.MultiplyNN(1, 128, 784, g.Alpha, g.A, g.Lda, g.B, g.Ldb, accumulate: false, g.C, g.Ldc, warm);
            }
        }

        // The least of three trials, each on a new workspace: work the runtime does once can fall into one of
        // them, an allocation the trial makes falls into all.
        long least = long.MaxValue;
        for (int attempt = 0; attempt < 3 && least != 0; attempt++)
        {
            using var two = new GemmWorkspace<float>(threads: 2);
            two.BatchOne.SkipWarmUp();

            // The first call makes the team and the partial sums' buffer.
            Gemm.MultiplyNN(1, 128, 784, g.Alpha, g.A, g.Lda, g.B, g.Ldb, accumulate: false, g.C, g.Ldc, two);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int call = 1; call < TrialCalls + 8; call++)
            {
                Gemm.MultiplyNN(1, 128, 784, g.Alpha, g.A, g.Lda, g.B, g.Ldb, accumulate: false, g.C, g.Ldc, two);
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.True(two.BatchOne.Decided);
        }

        // The worker threads' side of a shared product is measured by ParallelGemmTests.
        Assert.Equal(0, least);
    }
}
