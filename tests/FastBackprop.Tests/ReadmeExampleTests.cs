using System;
using System.IO;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using Xunit;

namespace FastBackprop.Tests;

/// <summary>
/// Keeps the README's example honest: the example below is compiled and run here, and the README must show
/// exactly the lines between the markers.
/// </summary>
public class ReadmeExampleTests
{
    [Fact]
    public void The_example_trains_xor()
    {
        float[] outputs = Example();
        Assert.True(outputs[0] < 0.2f && outputs[1] > 0.8f && outputs[2] > 0.8f && outputs[3] < 0.2f, string.Join(", ", outputs));
    }

    [Fact]
    public void The_readme_shows_the_example_as_compiled()
    {
        string root = RepositoryRoot();
        string source = File.ReadAllText(Path.Combine(root, "tests", "FastBackprop.Tests", "ReadmeExampleTests.cs"));
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        const string Begin = "// README example begins\n", End = "        // README example ends";
        int start = source.IndexOf(Begin, StringComparison.Ordinal) + Begin.Length;
        int end = source.IndexOf(End, start, StringComparison.Ordinal);
        string[] lines = source[start..end].TrimEnd('\n').Split('\n');
        string example = string.Join('\n', Array.ConvertAll(lines, l => l.Length >= 8 ? l[8..] : l.TrimStart()));
        Assert.Contains(example, readme.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    static float[] Example()
    {
        // README example begins
        // XOR with a 2-4-1 network: tanh hidden layer, sigmoid output, squared error.
        var net = new Network<float>(inputs: 2, Loss.SquaredError,
            new LayerSpec(4, Activation.Tanh),
            new LayerSpec(1, Activation.Sigmoid));
        net.InitializeWeights(seed: 1);

        // Every buffer a step needs, allocated once for batches of up to 4 samples (and, for
        // networks large enough to use them, worker threads: hence IDisposable).
        using Workspace<float> workspace = net.CreateWorkspace(maxBatch: 4);
        float[] inputs = [0, 0, 0, 1, 1, 0, 1, 1];  // 4 samples x 2 inputs, row-major
        float[] targets = [0, 1, 1, 0];             // 4 samples x 1 output

        for (int epoch = 0; epoch < 1000; epoch++)
        {
            // Forward, backward and w <- w - 2 * dC/dw over the batch; allocates nothing.
            float loss = net.TrainStep(inputs, targets, workspace, learningRate: 2f);
        }

        float[] outputs = new float[4];
        net.Predict(inputs, outputs, workspace);    // close to [0, 1, 1, 0]
        // README example ends
        return outputs;
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
