using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;

namespace FastBackprop.Cli.Commands.Example;

/// <summary>
/// <c>fastbackprop example</c> (the first main job): trains the seeds' worked example and XOR, printing the loss as
/// it falls.
/// </summary>
internal static class ExampleCommand
{
    /// <summary>The <c>example</c> subcommand.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("example", "Train the seeds' 2-2-2 worked example (forward values, E_total, dE/dw5, the updated weights) and XOR, printing the loss as it falls.");
        command.SetAction(_ => Run(context.Out));
        return command;
    }

    /// <summary>Runs both examples, writing to <paramref name="output"/>.</summary>
    public static int Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"FastBackprop on .NET {Environment.Version}, SIMD level {Kernels.Isa.Active}");
        output.WriteLine();
        WorkedExample(output);
        output.WriteLine();
        Xor(output);
        return ExitCodes.Success;
    }

    // Seed 001's 2-2-2 network: inputs (0.05, 0.10), targets (0.01, 0.99), η = 0.5.
    static void WorkedExample(TextWriter output)
    {
        output.WriteLine("Worked example: 2-2-2 sigmoid network, squared error, SGD with eta = 0.5");
        var net = new Network<double>(2, Loss.SquaredError, new LayerSpec(2, Activation.Sigmoid), new LayerSpec(2, Activation.Sigmoid));
        double[] hiddenWeights = [0.15, 0.25, 0.20, 0.30]; // [inputs, units]: w1 (i1→h1), w3 (i1→h2), w2 (i2→h1), w4 (i2→h2)
        double[] outputWeights = [0.40, 0.50, 0.45, 0.55]; // w5 (h1→o1), w7 (h1→o2), w6 (h2→o1), w8 (h2→o2)
        hiddenWeights.CopyTo(net.Weights(0));
        outputWeights.CopyTo(net.Weights(1));
        net.Biases(0).Fill(0.35);
        net.Biases(1).Fill(0.60);

        using Workspace<double> ws = net.CreateWorkspace(1);
        double[] x = [0.05, 0.10];
        double[] t = [0.01, 0.99];
        ReadOnlySpan<double> o = net.Forward(x, ws);
        output.WriteLine($"  forward: out_o1 = {o[0]:F9}, out_o2 = {o[1]:F9}");
        double loss = net.ComputeGradients(x, t, ws);
        output.WriteLine($"  E_total = {loss:F9}, dE/dw5 = {ws.WeightGradients(1)[0]:F9}");
        net.ApplyGradients(ws, 0.5);
        output.WriteLine($"  after one update: w5 = {net.Weights(1)[0]:F9}, w1 = {net.Weights(0)[0]:F9}");

        var clock = Stopwatch.StartNew();
        for (int step = 2; step <= 10_000; step++)
        {
            loss = net.TrainStep(x, t, ws, 0.5);
            if (step is 10 or 100 or 1_000 or 10_000)
            {
                output.WriteLine($"  step {step,6}: E_total = {loss:G5}");
            }
        }

        o = net.Forward(x, ws);
        output.WriteLine($"  outputs now ({o[0]:F6}, {o[1]:F6}) for targets (0.01, 0.99); 10,000 steps took {clock.Elapsed.TotalMilliseconds:F1} ms");
    }

    // XOR: the classic problem a single layer cannot solve. Full batch of the four cases, float.
    static void Xor(TextWriter output)
    {
        output.WriteLine("XOR: 2-4-1 network (tanh hidden, sigmoid output), squared error, full batch, eta = 2");
        var net = new Network<float>(2, Loss.SquaredError, new LayerSpec(4, Activation.Tanh), new LayerSpec(1, Activation.Sigmoid));
        net.InitializeWeights(seed: 1);
        using Workspace<float> ws = net.CreateWorkspace(4);
        float[] x = [0, 0, 0, 1, 1, 0, 1, 1];
        float[] t = [0, 1, 1, 0];
        float[] y = new float[4];

        for (int epoch = 1; epoch <= 5_000; epoch++)
        {
            float loss = net.TrainStep(x, t, ws, 2f);
            net.Predict(x, y, ws);
            bool allCorrect = (y[0] < 0.5f) && (y[1] >= 0.5f) && (y[2] >= 0.5f) && (y[3] < 0.5f);
            if (epoch is 1 or 10 or 50 or 100 or 200 or 500 or 1_000 or 2_000 or 5_000 || (allCorrect && loss < 0.01f))
            {
                output.WriteLine($"  epoch {epoch,5}: loss = {loss:F6}, outputs = [{y[0]:F3}, {y[1]:F3}, {y[2]:F3}, {y[3]:F3}]{(allCorrect ? "  all four classified correctly" : string.Empty)}");
            }

            if (allCorrect && loss < 0.01f)
            {
                break;
            }
        }
    }
}
