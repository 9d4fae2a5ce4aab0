using System;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;

namespace FastBackprop.Benchmarks;

/// <summary>The named workloads of DESIGN.md; README tables and peer comparisons all use these.</summary>
public enum Workload
{
    /// <summary>2-2-2 sigmoid, squared error, SGD η 0.5, batch 1 (the worked example): one training step.</summary>
    W1,

    /// <summary>784-128-10, sigmoid hidden and output, squared error, batch 1: one online training step.</summary>
    W2,

    /// <summary>784-128-10, sigmoid hidden, softmax + cross-entropy, batch 64: one training step.</summary>
    W3,

    /// <summary>1024-1024-1024-10, ReLU hidden, softmax + cross-entropy, batch 256: one training step.</summary>
    W4,

    /// <summary>784-128-10 as W3, batch 1: one inference call.</summary>
    W5,
}

/// <summary>Builds a workload's network and its random data from a fixed seed.</summary>
public static class Workloads
{
    public static int Batch(Workload w) => w switch
    {
        Workload.W1 or Workload.W2 or Workload.W5 => 1,
        Workload.W3 => 64,
        Workload.W4 => 256,
        _ => throw new ArgumentOutOfRangeException(nameof(w)),
    };

    public static Network<float> Network(Workload w)
    {
        Network<float> net = w switch
        {
            Workload.W1 => new Network<float>(2, Loss.SquaredError, new LayerSpec(2, Activation.Sigmoid), new LayerSpec(2, Activation.Sigmoid)),
            Workload.W2 => new Network<float>(784, Loss.SquaredError, new LayerSpec(128, Activation.Sigmoid), new LayerSpec(10, Activation.Sigmoid)),
            Workload.W3 or Workload.W5 => new Network<float>(784, Loss.SoftmaxCrossEntropy, new LayerSpec(128, Activation.Sigmoid), new LayerSpec(10, Activation.Softmax)),
            Workload.W4 => new Network<float>(1024, Loss.SoftmaxCrossEntropy, new LayerSpec(1024, Activation.Relu), new LayerSpec(1024, Activation.Relu), new LayerSpec(10, Activation.Softmax)),
            _ => throw new ArgumentOutOfRangeException(nameof(w)),
        };
        net.InitializeWeights(seed: 42);
        return net;
    }

    /// <summary>Inputs uniform in [0, 1); one-hot targets for the cross-entropy workloads, uniform ones otherwise.</summary>
    public static (float[] Inputs, float[] Targets) Data(Network<float> net, int batch)
    {
        var random = new Random(7);
        float[] x = new float[batch * net.InputCount];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextSingle();
        }

        float[] t = new float[batch * net.OutputCount];
        for (int b = 0; b < batch; b++)
        {
            if (net.Loss == Loss.SoftmaxCrossEntropy)
            {
                t[(b * net.OutputCount) + random.Next(net.OutputCount)] = 1;
            }
            else
            {
                for (int j = 0; j < net.OutputCount; j++)
                {
                    t[(b * net.OutputCount) + j] = random.NextSingle();
                }
            }
        }

        return (x, t);
    }

    /// <summary>The learning rate of the workload: the worked example's 0.5 for W1, a stable 0.01 elsewhere.</summary>
    public static float LearningRate(Workload w) => w == Workload.W1 ? 0.5f : 0.01f;
}
