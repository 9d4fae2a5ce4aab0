using System;
using System.Buffers.Binary;
using System.IO;
using System.Numerics;
using System.Security.Cryptography;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using FastBackprop.Training;

namespace FastBackprop.Tests.Persistence;

/// <summary>Fixtures and byte-level helpers for the model file tests.</summary>
internal static class ModelFiles
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Persistence", "Fixtures", name);

    public static byte[] FixtureBytes(string name) => File.ReadAllBytes(Fixture(name));

    /// <summary>The worked example's parameters in the network's order, typed in from DESIGN.md: W1 [inputs, units], b1, W2, b2.</summary>
    public static readonly double[] WorkedExampleParameters = [0.15, 0.25, 0.20, 0.30, 0.35, 0.35, 0.40, 0.50, 0.45, 0.55, 0.60, 0.60];

    /// <summary>The v1 files' checkpoint, as make_model_fixtures.py writes it (a float checkpoint of the worked example).</summary>
    public static TrainingCheckpoint<float> FixtureCheckpoint()
    {
        // The script computes in double and packs float32: state 0.5 - k/16 (exact), best = parameter + 0.5.
        float[] state = new float[12];
        float[] best = new float[12];
        for (int k = 0; k < 12; k++)
        {
            state[k] = (float)(0.5 - (0.0625 * k));
            best[k] = (float)(WorkedExampleParameters[k] + 0.5);
        }

        return new TrainingCheckpoint<float>
        {
            Epoch = 7,
            OptimizerName = "Sgd`1",
            OptimizerStepCount = 7,
            LearningRate = 0.5,
            BestValidationLoss = 0.25,
            BestEpoch = 5,
            OptimizerState = state,
            RandomState = [0x0123456789ABCDEF, 0xFEDCBA9876543210, 42, 0xFFFFFFFFFFFFFFFF],
            BestParameters = best,
        };
    }

    /// <summary>A network with every activation and a non-trivial loss, parameters from a seed.</summary>
    public static Network<T> Random<T>(int seed, Loss loss = Loss.SoftmaxCrossEntropy)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Activation output = loss switch
        {
            Loss.SoftmaxCrossEntropy => Activation.Softmax,
            Loss.SigmoidBinaryCrossEntropy => Activation.Sigmoid,
            _ => Activation.Identity,
        };
        var net = new Network<T>(5, loss,
            new LayerSpec(7, Activation.Tanh),
            new LayerSpec(4, Activation.Relu),
            new LayerSpec(3, Activation.LeakyRelu),
            new LayerSpec(6, Activation.Sigmoid),
            new LayerSpec(3, output));
        net.InitializeWeights(seed, WeightInitialization.SmallUniform);
        return net;
    }

    /// <summary>A checkpoint for <paramref name="network"/> with a value in every field.</summary>
    public static TrainingCheckpoint<T> Checkpoint<T>(Network<T> network, int seed)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new System.Random(seed);
        var state = new T[(2 * network.ParameterCount) + 3];
        for (int i = 0; i < state.Length; i++)
        {
            state[i] = T.CreateChecked(random.NextDouble() - 0.5);
        }

        var best = new T[network.ParameterCount];
        network.Parameters.CopyTo(best);
        best[0] += T.One;
        return new TrainingCheckpoint<T>
        {
            Epoch = 12,
            OptimizerName = "Adam`1 ✓",
            OptimizerStepCount = 1234567890123,
            LearningRate = 1e-3,
            BestValidationLoss = double.NaN,
            BestEpoch = 9,
            OptimizerState = state,
            RandomState = [(ulong)random.NextInt64(), (ulong)random.NextInt64(), ulong.MaxValue, 0],
            BestParameters = best,
        };
    }

    public static byte[] Save<T>(Network<T> network, TrainingCheckpoint<T>? checkpoint = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var stream = new MemoryStream();
        FastBackprop.Persistence.ModelFile.Save(stream, network, checkpoint);
        return stream.ToArray();
    }

    /// <summary>Recomputes the trailing SHA-256 over everything before it, as a deliberate forger would.</summary>
    public static byte[] WithChecksum(byte[] file)
    {
        if (file.Length < 32)
        {
            return file;
        }

        byte[] copy = (byte[])file.Clone();
        SHA256.HashData(copy.AsSpan(0, copy.Length - 32), copy.AsSpan(copy.Length - 32));
        return copy;
    }

    public static byte[] SetInt32(byte[] file, int offset, int value)
    {
        byte[] copy = (byte[])file.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }
}
