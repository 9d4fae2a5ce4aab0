using System;
using System.Threading;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using Xunit;

namespace FastBackprop.Tests.Networks;

/// <summary>
/// A trained network is shared read-only by any number of threads, each with its own workspace, and gives
/// exactly the sequential results; one workspace used by two calls at once is refused, not corrupted.
/// </summary>
public class ConcurrencyTests
{
    const int Threads = 8;
    const int Inferences = 10_000;

    public static TheoryData<string> Networks => new() { "tiny 2-2-2", "general 20-16-5" };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Eight_threads_of_ten_thousand_inferences_equal_the_sequential_results(string name)
    {
        Network<float> net = Create(name);
        float[] inputs = Data(Inferences * net.InputCount, seed: 3);
        float[] expected = new float[Inferences * net.OutputCount];
        using (Workspace<float> ws = net.CreateWorkspace(1, threads: 1))
        {
            for (int s = 0; s < Inferences; s++)
            {
                net.Predict(inputs.AsSpan(s * net.InputCount, net.InputCount), expected.AsSpan(s * net.OutputCount, net.OutputCount), ws);
            }
        }

        float[][] actual = new float[Threads][];
        Exception?[] errors = new Exception?[Threads];
        using var start = new Barrier(Threads);
        var threads = new Thread[Threads];
        for (int k = 0; k < Threads; k++)
        {
            int id = k;
            threads[k] = new Thread(() =>
            {
                try
                {
                    float[] outputs = new float[expected.Length];
                    using Workspace<float> ws = net.CreateWorkspace(1, threads: 1);
                    start.SignalAndWait();

                    // Each thread walks the samples from its own starting point, so that at any moment the
                    // threads read different parts of the network for different samples.
                    for (int n = 0; n < Inferences; n++)
                    {
                        int s = (n + (id * 1_237)) % Inferences;
                        net.Predict(inputs.AsSpan(s * net.InputCount, net.InputCount), outputs.AsSpan(s * net.OutputCount, net.OutputCount), ws);
                    }

                    actual[id] = outputs;
                }
                catch (Exception e)
                {
                    errors[id] = e;
                }
            });
            threads[k].Start();
        }

        foreach (Thread t in threads)
        {
            t.Join();
        }

        for (int k = 0; k < Threads; k++)
        {
            Assert.Null(errors[k]);
            for (int i = 0; i < expected.Length; i++)
            {
                if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[k][i]))
                {
                    Assert.Fail($"Thread {k}, output {i}: sequential {expected[i]:R}, concurrent {actual[k][i]:R}.");
                }
            }
        }
    }

    [Fact]
    public void A_call_into_a_busy_workspace_throws_and_writes_nothing()
    {
        Network<float> net = Create("general 20-16-5");
        Workspace<float> ws = net.CreateWorkspace(2, threads: 1);
        float[] x = Data(2 * net.InputCount, seed: 5), t = Data(2 * net.OutputCount, seed: 6);
        net.ComputeGradients(x, t, ws);
        float[] parameters = net.Parameters.ToArray();
        float[] gradients = ws.Gradients.ToArray();
        float[] outputs = net.Forward(x, ws).ToArray();
        float[] y = new float[outputs.Length];

        // Another call is running in the workspace (as when a second thread shares it).
        ws.Acquire();
        Assert.Contains("another call is running", Assert.Throws<InvalidOperationException>(() => net.TrainStep(x, t, ws, 0.1f)).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => net.ComputeGradients(x, t, ws));
        Assert.Throws<InvalidOperationException>(() => net.Predict(x, y, ws));
        Assert.Throws<InvalidOperationException>(() => net.Evaluate(x, t, ws));
        Assert.Throws<InvalidOperationException>(() => net.ApplyGradients(ws, 0.1f));
        Assert.Throws<InvalidOperationException>(() => net.Forward(x, ws).Length);
        ws.Release();

        Assert.Equal(parameters, net.Parameters.ToArray());
        Assert.Equal(gradients, ws.Gradients.ToArray());
        Assert.Equal(outputs, net.Forward(x, ws).ToArray());
        Assert.Equal(0f, y[0]);
    }

    [Fact]
    public void A_failed_call_releases_the_workspace() =>
        Assert.Throws<ArgumentException>(() =>
        {
            Network<float> net = Create("tiny 2-2-2");
            Workspace<float> ws = net.CreateWorkspace(1, threads: 1);
            try
            {
                net.TrainStep([float.NaN, 0], [0, 1], ws, 0.5f);
            }
            catch (ArgumentException)
            {
                // The refused call left the workspace idle: the next call runs.
                net.TrainStep([0.05f, 0.1f], [0.01f, 0.99f], ws, 0.5f);
                throw;
            }
        });

    [Fact]
    public void Two_threads_training_in_one_workspace_never_overlap()
    {
        // Large enough (a 784-128-10 step at batch 32) that the two threads' calls really meet.
        const int MaxSteps = 2_000;
        Network<float> shared = Wide();
        float[] x = Data(32 * 784, seed: 8), t = OneHot(32, 10);
        Workspace<float> ws = shared.CreateWorkspace(32, threads: 1);
        int refused = 0, done = 0;
        Exception? other = null;
        using var start = new Barrier(2);
        void Train()
        {
            start.SignalAndWait();
            // Until the calls have met a few times (bounded, should the scheduler keep the threads apart).
            for (int n = 0; n < MaxSteps && Volatile.Read(ref refused) < 3; n++)
            {
                try
                {
                    shared.TrainStep(x, t, ws, 0.01f);
                    Interlocked.Increment(ref done);
                }
                catch (InvalidOperationException)
                {
                    Interlocked.Increment(ref refused);
                }
                catch (Exception e)
                {
                    other = e;
                }
            }
        }

        var a = new Thread(Train);
        var b = new Thread(Train);
        a.Start();
        b.Start();
        a.Join();
        b.Join();

        Assert.Null(other);
        Assert.True(refused > 0, "No call was refused, so the test never made two calls meet.");

        // Every step that ran saw the same data, so however the threads interleaved, the network must hold
        // exactly the parameters of that many sequential steps; a step corrupted by an overlap would not.
        Network<float> sequential = Wide();
        using Workspace<float> ws2 = sequential.CreateWorkspace(32, threads: 1);
        for (int n = 0; n < done; n++)
        {
            sequential.TrainStep(x, t, ws2, 0.01f);
        }

        Assert.Equal(sequential.Parameters.ToArray(), shared.Parameters.ToArray());
    }

    static Network<float> Create(string name)
    {
        Network<float> net = name.StartsWith("tiny", StringComparison.Ordinal)
            ? new Network<float>(2, Loss.SquaredError, new LayerSpec(2, Activation.Sigmoid), new LayerSpec(2, Activation.Sigmoid))
            : new Network<float>(20, Loss.SoftmaxCrossEntropy, new LayerSpec(16, Activation.Tanh), new LayerSpec(5, Activation.Softmax));
        net.InitializeWeights(seed: 11);
        return net;
    }

    static Network<float> Wide()
    {
        var net = new Network<float>(784, Loss.SoftmaxCrossEntropy, new LayerSpec(128, Activation.Sigmoid), new LayerSpec(10, Activation.Softmax));
        net.InitializeWeights(seed: 12);
        return net;
    }

    static float[] Data(int length, int seed)
    {
        var random = new Random(seed);
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)random.NextDouble();
        }

        return values;
    }

    static float[] OneHot(int rows, int width)
    {
        float[] t = new float[rows * width];
        for (int r = 0; r < rows; r++)
        {
            t[(r * width) + (r % width)] = 1;
        }

        return t;
    }
}
