using System;
using System.IO;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Optimizers;
using FastBackprop.Recurrent.FixedPoint;
using Xunit;

namespace FastBackprop.Tests.Recurrent.FixedPoint;

/// <summary>
/// Keeps the README's fixed-point example honest: it is compiled and run here, and the README must show exactly
/// the lines between the markers.
/// </summary>
public class FixedPointReadmeExampleTests
{
    [Fact]
    public void The_example_completes_the_patterns()
    {
        (float[] outputs, float[] targets, RelaxationReport report) = Example();
        Assert.True(report.Converged, report.ToString());
        for (int i = 0; i < targets.Length; i++)
        {
            Assert.True(Math.Sign(outputs[i]) == Math.Sign(targets[i]) && Math.Abs(outputs[i] - targets[i]) < 0.2f, $"output {i}: {outputs[i]}, target {targets[i]}");
        }
    }

    [Fact]
    public void The_readme_shows_the_example_as_compiled()
    {
        string root = RepositoryRoot();
        string source = File.ReadAllText(Path.Combine(root, "tests", "FastBackprop.Tests", "Recurrent", "FixedPoint", "FixedPointReadmeExampleTests.cs")).Replace("\r\n", "\n", StringComparison.Ordinal);
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        const string Begin = "// README fixed-point example begins\n", End = "        // README fixed-point example ends";
        int start = source.IndexOf(Begin, StringComparison.Ordinal) + Begin.Length;
        int end = source.IndexOf(End, start, StringComparison.Ordinal);
        string[] lines = source[start..end].TrimEnd('\n').Split('\n');
        string example = string.Join('\n', Array.ConvertAll(lines, l => l.Length >= 8 ? l[8..] : l.TrimStart()));
        Assert.Contains("## Recurrent networks", readme, StringComparison.Ordinal);
        Assert.Contains("### Fixed-point networks (Almeida-Pineda)", readme, StringComparison.Ordinal);
        Assert.Contains(example, readme, StringComparison.Ordinal);
    }

    static (float[] Outputs, float[] Targets, RelaxationReport Report) Example()
    {
        // README fixed-point example begins
        // Pattern completion: 8 recurrent tanh units, the first 4 read out. Two stored patterns,
        // [1, -1, 1, -1] and [1, 1, -1, -1], shown with one bit hidden (0).
        var net = new FixedPointNetwork<float>(units: 8, inputs: 4, outputs: 4,
            Activation.Tanh, Loss.SquaredError,
            new RelaxationOptions { Damping = 0.5, Tolerance = 1e-5 });
        net.InitializeWeights(seed: 1);   // recurrent weights of spectral norm about 0.5

        using FixedPointWorkspace<float> workspace = net.CreateWorkspace(maxBatch: 4);
        float[] inputs = [0, -1, 1, -1, 1, -1, 1, 0, 1, 0, -1, -1, 1, 1, 0, -1];
        float[] targets = [1, -1, 1, -1, 1, -1, 1, -1, 1, 1, -1, -1, 1, 1, -1, -1];
        var adam = new Adam<float>(net.ParameterCount, learningRate: 0.05);

        for (int step = 0; step < 200; step++)
        {
            // Relax the state to x* = f(x*·W + s·V + b), relax the adjoint back through Wᵀ,
            // and leave dE/dW, dE/dV, dE/db in workspace.Gradients; allocates nothing.
            FixedPointResult<float> result = net.ComputeGradients(inputs, targets, workspace);
            if (!result.Converged)
            {
                continue;   // the gradients are zero: no step (result.Forward says why)
            }

            adam.Step(net.Parameters, workspace.Gradients);
        }

        float[] outputs = new float[16];
        RelaxationReport report = net.Predict(inputs, outputs, workspace);   // outputs close to targets
        // README fixed-point example ends
        return (outputs, targets, report);
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
