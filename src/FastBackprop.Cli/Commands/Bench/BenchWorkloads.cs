using System;
using System.Collections.Generic;
using FastBackprop.Cli.Common;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;

namespace FastBackprop.Cli.Commands.Bench;

/// <summary>The workloads W1-W5 of DESIGN.md, float32, random data of the right shape from a fixed seed.</summary>
internal static class BenchWorkloads
{
    /// <summary>The workload ids, in order.</summary>
    public static readonly IReadOnlyList<string> Ids = ["W1", "W2", "W3", "W4", "W5"];

    /// <summary>Builds the workload <paramref name="id"/>; <paramref name="threads"/> is for W4's large products.</summary>
    public static BenchWorkload Create(string id, int threads)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.ToUpperInvariant() switch
        {
            "W1" => Step("W1", "2-2-2 sigmoid, squared error, SGD 0.5", 0.5f, 1, threads, Loss.SquaredError, 2,
                new LayerSpec(2, Activation.Sigmoid), new LayerSpec(2, Activation.Sigmoid)),
            "W2" => Step("W2", "784-128-10 sigmoid, squared error, SGD", 0.1f, 1, threads, Loss.SquaredError, 784,
                new LayerSpec(128, Activation.Sigmoid), new LayerSpec(10, Activation.Sigmoid)),
            "W3" => Step("W3", "784-128-10 sigmoid, softmax cross-entropy, SGD", 0.1f, 64, threads, Loss.SoftmaxCrossEntropy, 784,
                new LayerSpec(128, Activation.Sigmoid), new LayerSpec(10, Activation.Softmax)),
            "W4" => Step("W4", "1024-1024-1024-10 ReLU, softmax cross-entropy, SGD", 0.01f, 256, threads, Loss.SoftmaxCrossEntropy, 1024,
                new LayerSpec(1024, Activation.Relu), new LayerSpec(1024, Activation.Relu), new LayerSpec(10, Activation.Softmax)),
            "W5" => Forward(threads),
            _ => throw new CliException($"--workloads: unknown workload '{id}'; expected some of {string.Join(", ", Ids)}."),
        };
    }

    static BenchWorkload Step(string id, string description, float rate, int batch, int threads, Loss loss, int inputs, params LayerSpec[] layers)
    {
        var network = new Network<float>(inputs, loss, layers);
        network.InitializeWeights(seed: 1);
        Workspace<float> workspace = network.CreateWorkspace(batch, threads);
        (float[] x, float[] t) = RandomData(inputs, network.OutputCount, batch);
        return new BenchWorkload(id, description, "training step", batch, count =>
        {
            for (int i = 0; i < count; i++)
            {
                network.TrainStep(x, t, workspace, rate);
            }
        }, workspace.Dispose);
    }

    static BenchWorkload Forward(int threads)
    {
        var network = new Network<float>(784, Loss.SoftmaxCrossEntropy, new LayerSpec(128, Activation.Sigmoid), new LayerSpec(10, Activation.Softmax));
        network.InitializeWeights(seed: 1);
        Workspace<float> workspace = network.CreateWorkspace(1, threads);
        (float[] x, _) = RandomData(784, 10, 1);
        return new BenchWorkload("W5", "784-128-10 as W3", "inference call", 1, count =>
        {
            for (int i = 0; i < count; i++)
            {
                network.Forward(x, workspace);
            }
        }, workspace.Dispose);
    }

    static (float[] Inputs, float[] Targets) RandomData(int inputs, int outputs, int batch)
    {
        var random = new SeededRandom(42);
        float[] x = new float[inputs * batch], t = new float[outputs * batch];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)random.NextDouble();
        }

        for (int r = 0; r < batch; r++)
        {
            t[(r * outputs) + random.NextInt(outputs)] = 1;
        }

        return (x, t);
    }
}
