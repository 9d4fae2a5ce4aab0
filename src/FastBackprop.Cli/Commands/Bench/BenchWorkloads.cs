using System;
using System.Collections.Generic;
using FastBackprop.Benchmarks;
using FastBackprop.Networks;

namespace FastBackprop.Cli.Commands.Bench;

/// <summary>The workloads W1-W5 of DESIGN.md, float32, random data of the right shape from a fixed seed (Workload.cs).</summary>
internal static class BenchWorkloads
{
    /// <summary>The workload ids, in order.</summary>
    public static readonly IReadOnlyList<string> Ids = ["W1", "W2", "W3", "W4", "W5"];

    /// <summary>Builds the workload <paramref name="id"/>; <paramref name="threads"/> is for the large products.</summary>
    public static BenchWorkload Create(string id, int threads)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.ToUpperInvariant() switch
        {
            "W1" => Create(Workload.W1, "2-2-2 sigmoid, squared error, SGD 0.5", threads),
            "W2" => Create(Workload.W2, "784-128-10 sigmoid, squared error, SGD", threads),
            "W3" => Create(Workload.W3, "784-128-10 sigmoid, softmax cross-entropy, SGD", threads),
            "W4" => Create(Workload.W4, "1024-1024-1024-10 ReLU, softmax cross-entropy, SGD", threads),
            "W5" => Create(Workload.W5, "784-128-10 as W3", threads),
            _ => throw new CliException($"--workloads: unknown workload '{id}'; expected some of {string.Join(", ", Ids)}."),
        };
    }

    // The network, data and learning rate are those of the benchmarks and the peer harnesses (Workload.cs,
    // linked into this project), so the three measure the same thing.
    static BenchWorkload Create(Workload w, string description, int threads)
    {
        Network<float> network = Workloads.Network(w);
        int batch = Workloads.Batch(w);
        Workspace<float> workspace = network.CreateWorkspace(batch, threads);
        (float[] x, float[] t) = Workloads.Data(network, batch);
        float rate = Workloads.LearningRate(w);
        if (w == Workload.W5)
        {
            return new BenchWorkload("W5", description, "inference call", batch, count =>
            {
                for (int i = 0; i < count; i++)
                {
                    network.Forward(x, workspace);
                }
            }, workspace.Dispose);
        }

        return new BenchWorkload(w.ToString(), description, "training step", batch, count =>
        {
            for (int i = 0; i < count; i++)
            {
                network.TrainStep(x, t, workspace, rate);
            }
        }, workspace.Dispose);
    }
}
