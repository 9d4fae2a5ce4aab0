using System;
using System.IO;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Optimizers;
using FastBackprop.Recurrent.Sequence;
using Xunit;

namespace FastBackprop.Tests.Recurrent.Sequence;

/// <summary>
/// Keeps the README's recurrent example honest: it is compiled and run here, and the README must show exactly the
/// lines between the markers.
/// </summary>
public class SequenceReadmeExampleTests
{
    [Fact]
    public void The_recurrent_example_learns_delayed_xor()
    {
        (float[] outputs, float[] targets) = Example();
        for (int i = 0; i < targets.Length; i++)
        {
            Assert.True((outputs[i] > 0.5f) == (targets[i] > 0.5f), $"step {i}: output {outputs[i]}, target {targets[i]}");
        }
    }

    [Fact]
    public void The_readme_shows_the_recurrent_example_as_compiled()
    {
        string root = RepositoryRoot();
        string source = File.ReadAllText(Path.Combine(root, "tests", "FastBackprop.Tests", "Recurrent", "Sequence", "SequenceReadmeExampleTests.cs"));
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        const string Begin = "// README recurrent example begins\n", End = "        // README recurrent example ends";
        int start = source.IndexOf(Begin, StringComparison.Ordinal) + Begin.Length;
        int end = source.IndexOf(End, start, StringComparison.Ordinal);
        string[] lines = source[start..end].TrimEnd('\n').Split('\n');
        string example = string.Join('\n', Array.ConvertAll(lines, l => l.Length >= 8 ? l[8..] : l.TrimStart()));
        Assert.Contains(example, readme.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    static (float[] Outputs, float[] Targets) Example()
    {
        // README recurrent example begins
        // Delayed XOR: at every step output x[t-1] xor x[t-2] of a stream of random bits.
        var net = new SequenceNetwork<float>(inputs: 1, CellType.Elman, hidden: 16,
            new LayerSpec(1, Activation.Sigmoid), Loss.SigmoidBinaryCrossEntropy, SequenceOutput.EveryStep);
        net.InitializeWeights(seed: 1);
        var adam = new Adam<float>(net.ParameterCount, learningRate: 0.02);

        // Every buffer for up to 32 sequences of up to 16 steps, allocated once.
        using SequenceWorkspace<float> workspace = net.CreateWorkspace(maxBatch: 32, maxSequenceLength: 16);
        float[] x = new float[32 * 16], y = new float[32 * 16];  // [batch, time, features] row-major
        var random = new Random(2);
        for (int step = 0; step < 600; step++)
        {
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = random.Next(2);
                int t = i % 16;
                float previous = t >= 1 ? x[i - 1] : 0, before = t >= 2 ? x[i - 2] : 0;
                y[i] = previous != before ? 1 : 0;
            }

            // Forward over all 16 steps, full BPTT (truncation: k for truncated BPTT), clip, Adam.
            net.ComputeGradients(x, y, sequenceLength: 16, workspace);
            GradientClipping.ClipByGlobalNorm(workspace.Gradients, 5f);
            adam.Step(net.Parameters, workspace.Gradients);
        }

        float[] outputs = net.Forward(x, sequenceLength: 16, workspace).ToArray();  // [batch, time, 1]
        // README recurrent example ends
        return (outputs, y);
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FastBackprop.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("FastBackprop.sln not found above " + AppContext.BaseDirectory);
    }
}
