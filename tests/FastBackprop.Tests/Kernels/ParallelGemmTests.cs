using System;
using FastBackprop.Kernels.Gemm;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using FastBackprop.Tests.TestUtilities;
using Xunit;

namespace FastBackprop.Tests.Kernels;

/// <summary>
/// Products large enough to be shared over the thread team: bit-identical to one thread, correct against the
/// reference, and allocation-free on every thread. Not run in parallel with other test classes, so that the
/// process-wide allocation counter sees only this class's work.
/// </summary>
[Collection(nameof(AllocationSensitive))]
public class ParallelGemmTests
{
    // Column splits (wide C), row splits (narrow C), ragged edges, and k across KC blocks.
    static readonly (int M, int N, int K)[] s_shapes =
    [
        (64, 1024 + 5, 40), (200, 33, 300), (37, 130, 257), (256, 10, 1024), (9, 600, 500),
    ];

    [Fact]
    public void Threads_give_bit_identical_results_float() => BitIdentical<float>();

    [Fact]
    public void Threads_give_bit_identical_results_double() => BitIdentical<double>();

    static void BitIdentical<T>()
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(21);
        using var one = new GemmWorkspace<T>(threads: 1);
        foreach (int threads in (int[])[2, 3, 4])
        {
            using var many = new GemmWorkspace<T>(threads);
            foreach ((int m, int n, int k) in s_shapes)
            {
                Assert.True((long)m * n * k >= GemmBlocking.ParallelMinVolume, "shape too small to be shared");
                foreach (string form in (string[])["NN", "TN", "NT"])
                {
                    foreach (bool accumulate in (bool[])[false, true])
                    {
                        var g = GemmCase<T>.Create(random, m, n, k, transposedA: form == "TN", accumulate, integers: false, transposedB: form == "NT");
                        T[] single = (T[])g.C.Clone();
                        Multiply(form, g, single, accumulate, one);
                        Multiply(form, g, g.C, accumulate, many);
                        g.Verify(exact: false, $"{form} {m}x{n}x{k} on {threads} threads");
                        Assert.True(single.AsSpan().SequenceEqual(g.C), $"{form} {m}x{n}x{k} accumulate={accumulate}: {threads} threads differ from 1");
                    }
                }
            }
        }
    }

    [Fact]
    public void Batch1_products_give_bit_identical_results_at_any_thread_count()
    {
        // Split GEMVs (m = 1, long k) and rank-1 updates (k = 1), which the team shares when the workspace has
        // threads: correct against the reference, and equal bit for bit to one thread.
        var random = new Random(31);
        using var one = new GemmWorkspace<float>(threads: 1);
        using var two = new GemmWorkspace<float>(threads: 2);
        using var three = new GemmWorkspace<float>(threads: 3);

        // Shared whatever this machine's trial would choose (BatchOneSharingTests covers the trial).
        two.BatchOne.Fix(share: true);
        three.BatchOne.Fix(share: true);
        (int M, int N, int K)[] shapes = [(1, 128, 784), (1, 1000, 300), (1, 37, 1024), (1, 5, 7000), (784, 128, 1), (1000, 77, 1), (3, 20000, 1)];
        foreach ((int m, int n, int k) in shapes)
        {
            foreach (string form in (string[])["NN", "TN", "NT"])
            {
                foreach (bool accumulate in (bool[])[false, true])
                {
                    var g = GemmCase<float>.Create(random, m, n, k, transposedA: form == "TN", accumulate, integers: false, transposedB: form == "NT");
                    float[] single = (float[])g.C.Clone(), triple = (float[])g.C.Clone();
                    Multiply(form, g, single, accumulate, one);
                    Multiply(form, g, triple, accumulate, three);
                    Multiply(form, g, g.C, accumulate, two);
                    g.Verify(exact: false, $"{form} {m}x{n}x{k} accumulate={accumulate} on 2 threads");
                    Assert.True(single.AsSpan().SequenceEqual(g.C), $"{form} {m}x{n}x{k} accumulate={accumulate}: 2 threads differ from 1");
                    Assert.True(single.AsSpan().SequenceEqual(triple), $"{form} {m}x{n}x{k} accumulate={accumulate}: 3 threads differ from 1");
                }
            }
        }
    }

    [Fact]
    public void Shared_products_allocate_nothing_on_any_thread()
    {
        using var workspace = new GemmWorkspace<float>(threads: 2);
        workspace.BatchOne.Fix(share: true);
        var g = GemmCase<float>.Create(new Random(3), 128, 256, 128, transposedA: false, accumulate: false, integers: false);
        var gemv = GemmCase<float>.Create(new Random(4), 1, 128, 784, transposedA: false, accumulate: false, integers: false);
        var rank1 = GemmCase<float>.Create(new Random(5), 784, 128, 1, transposedA: true, accumulate: true, integers: false);
        for (int i = 0; i < 20; i++)
        {
            Multiply("NN", g, g.C, accumulate: false, workspace);
            Multiply("NN", gemv, gemv.C, accumulate: false, workspace);
            Multiply("TN", rank1, rank1.C, accumulate: true, workspace);
        }

        // The process-wide counter also sees the test host's own occasional allocations (about 170 bytes per
        // 100 ms), so measure short windows and keep the smallest: a GEMM that allocated would do it every time.
        long least = long.MaxValue;
        for (int attempt = 0; attempt < 10 && least != 0; attempt++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < 50; i++)
            {
                Multiply("NN", g, g.C, accumulate: false, workspace);
                Multiply("NN", gemv, gemv.C, accumulate: false, workspace);
                Multiply("TN", rank1, rank1.C, accumulate: true, workspace);
            }

            long after = GC.GetTotalAllocatedBytes(precise: true);
            least = Math.Min(least, after - before);
        }

        Assert.Equal(0, least);
    }

    [Fact]
    public void Training_is_bit_identical_at_any_thread_count()
    {
        float[] one = Train(threads: 1), two = Train(threads: 2), three = Train(threads: 3);
        Assert.True(one.AsSpan().SequenceEqual(two), "2 threads differ from 1");
        Assert.True(one.AsSpan().SequenceEqual(three), "3 threads differ from 1");
    }

    [Fact]
    public void Disposed_workspace_still_computes_on_the_calling_thread()
    {
        var g = GemmCase<float>.Create(new Random(4), 128, 256, 128, transposedA: false, accumulate: false, integers: false);
        var workspace = new GemmWorkspace<float>(threads: 2);
        Multiply("NN", g, g.C, accumulate: false, workspace);
        workspace.Dispose();
        Multiply("NN", g, g.C, accumulate: false, workspace);
        g.Verify(exact: false, "after Dispose");
    }

    static float[] Train(int threads)
    {
        var net = new Network<float>(300, Loss.SoftmaxCrossEntropy, new LayerSpec(200, Activation.Relu), new LayerSpec(130, Activation.Tanh), new LayerSpec(10, Activation.Softmax));
        net.InitializeWeights(seed: 5);
        using Workspace<float> ws = net.CreateWorkspace(64, threads);
        var random = new Random(6);
        float[] x = new float[64 * 300], t = new float[64 * 10];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextSingle();
        }

        for (int b = 0; b < 64; b++)
        {
            t[(b * 10) + random.Next(10)] = 1;
        }

        for (int step = 0; step < 5; step++)
        {
            net.TrainStep(x, t, ws, 0.05f);
        }

        return net.Parameters.ToArray();
    }

    static void Multiply<T>(string form, GemmCase<T> g, T[] c, bool accumulate, GemmWorkspace<T> workspace)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        switch (form)
        {
            case "NN": Gemm.MultiplyNN(g.M, g.N, g.K, g.Alpha, g.A, g.Lda, g.B, g.Ldb, accumulate, c, g.Ldc, workspace); break;
            case "TN": Gemm.MultiplyTN(g.M, g.N, g.K, g.Alpha, g.A, g.Lda, g.B, g.Ldb, accumulate, c, g.Ldc, workspace); break;
            default: Gemm.MultiplyNT(g.M, g.N, g.K, g.Alpha, g.A, g.Lda, g.B, g.Ldb, accumulate, c, g.Ldc, workspace); break;
        }
    }
}

/// <summary>Tests that read process-wide allocation counters run alone, not beside other test classes.</summary>
[CollectionDefinition(nameof(AllocationSensitive), DisableParallelization = true)]
public sealed class AllocationSensitive
{
}
