using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using FastBackprop.Benchmarks;
using FastBackprop.Layers;
using FastBackprop.Networks;
using FastBackprop.Persistence;

namespace FastBackprop.Peers;

/// <summary>
/// FastBackprop's side of the peer comparison (bench/peers/run.sh drives it):
/// <c>time --workload W3 --threads 2 [--samples 21] [--warmup 1] [--min-sample 0.1]</c> prints one RESULT line
/// with the median ns per step under the timing rule of <see cref="StepTimer"/>;
/// <c>export --workload W3 --out dir</c> writes the workload's architecture, initial weights, batch, and
/// FastBackprop's outputs, loss and gradients after one forward/backward and the change one TrainStep makes to the
/// parameters, for torch_peer.py's gradient cross-check.
/// </summary>
internal static class Program
{
    static int Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            if (args.Length == 0)
            {
                throw new ArgumentException("Expected a mode, 'time' or 'export', as the first argument.");
            }

            Dictionary<string, string> options = ParseOptions(args);
            Workload workload = ParseWorkload(Required(options, "--workload"));
            switch (args[0])
            {
                case "time":
                    Time(
                        workload,
                        ParseInt(options, "--threads", 1),
                        ParseInt(options, "--samples", 21),
                        ParseDouble(options, "--warmup", 1.0),
                        ParseDouble(options, "--min-sample", 0.1));
                    return 0;
                case "export":
                    Export(workload, Required(options, "--out"));
                    return 0;
                default:
                    throw new ArgumentException($"Expected the mode 'time' or 'export', but got '{args[0]}'.");
            }
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"FastBackprop.Peers: {e.Message}");
            Console.Error.WriteLine("Usage: time --workload W1..W5 --threads N [--samples S] [--warmup seconds] [--min-sample seconds]");
            Console.Error.WriteLine("       export --workload W1..W5 --out dir");
            return 2;
        }
    }

    static void Time(Workload workload, int threads, int samples, double warmup, double minSample)
    {
        Network<float> net = Workloads.Network(workload);
        int batch = Workloads.Batch(workload);
        (float[] inputs, float[] targets) = Workloads.Data(net, batch);
        using Workspace<float> workspace = net.CreateWorkspace(batch, threads);
        Timing timing = workload == Workload.W5
            ? StepTimer.Measure(new InferenceStep(net, workspace, inputs, new float[batch * net.OutputCount]), warmup, minSample, samples)
            : StepTimer.Measure(new TrainingStep(net, workspace, inputs, targets, Workloads.LearningRate(workload)), warmup, minSample, samples);

        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(
            $"RESULT peer=fastbackprop workload={workload} threads={threads} median_ns={timing.MedianNs:F1} min_ns={timing.MinNs:F1} " +
            $"max_ns={timing.MaxNs:F1} k={timing.StepsPerSample} samples={timing.Samples} rss_mb={self.PeakWorkingSet64 / 1048576.0:F1} isa={Kernels.Isa.Active}");
    }

    static void Export(Workload workload, string directory)
    {
        Directory.CreateDirectory(directory);
        Network<float> net = Workloads.Network(workload);
        int batch = Workloads.Batch(workload);
        (float[] inputs, float[] targets) = Workloads.Data(net, batch);

        var meta = new StringBuilder();
        meta.Append(CultureInfo.InvariantCulture, $"workload {workload}\n");
        meta.Append(CultureInfo.InvariantCulture, $"inputs {net.InputCount}\n");
        var specs = new LayerSpec[net.LayerCount];
        for (int l = 0; l < net.LayerCount; l++)
        {
            specs[l] = net.GetLayer(l);
            meta.Append(CultureInfo.InvariantCulture, $"layer {specs[l].Units} {specs[l].Activation}\n");
        }

        meta.Append(CultureInfo.InvariantCulture, $"loss {net.Loss}\n");
        meta.Append(CultureInfo.InvariantCulture, $"batch {batch}\n");
        meta.Append(CultureInfo.InvariantCulture, $"learning_rate {Workloads.LearningRate(workload).ToString("R", CultureInfo.InvariantCulture)}\n");
        meta.Append(CultureInfo.InvariantCulture, $"forward_only {(workload == Workload.W5 ? 1 : 0)}\n");
        File.WriteAllText(Path.Combine(directory, "meta.txt"), meta.ToString());

        NpzFile.Export(Path.Combine(directory, "weights.npz"), net);
        NpyWriter.Write(Path.Combine(directory, "inputs.npy"), inputs, batch, net.InputCount);
        NpyWriter.Write(Path.Combine(directory, "targets.npy"), targets, batch, net.OutputCount);

        // One thread: the cross-check is about the arithmetic, and results are bit-identical at any thread count.
        using Workspace<float> workspace = net.CreateWorkspace(batch, threads: 1);
        float[] outputs = new float[batch * net.OutputCount];
        net.Predict(inputs, outputs, workspace);
        NpyWriter.Write(Path.Combine(directory, "fb_outputs.npy"), outputs, batch, net.OutputCount);
        float loss = net.ComputeGradients(inputs, targets, workspace);
        NpyWriter.Write(Path.Combine(directory, "fb_loss.npy"), [loss]);

        // The gradients have the parameters' layout, so a network holding them exports them in PyTorch's shapes.
        var gradients = new Network<float>(net.InputCount, net.Loss, specs);
        workspace.Gradients.CopyTo(gradients.Parameters);
        NpzFile.Export(Path.Combine(directory, "fb_grads.npz"), gradients);

        // The timed path is TrainStep, which fuses the update into the gradient products (it never stores the
        // weight gradients): export what one step changes, θ_after - θ_before, so that path is checked too.
        if (workload != Workload.W5)
        {
            Network<float> stepped = Workloads.Network(workload);
            using Workspace<float> steppedWorkspace = stepped.CreateWorkspace(batch, threads: 1);
            stepped.TrainStep(inputs, targets, steppedWorkspace, Workloads.LearningRate(workload));
            var change = new Network<float>(net.InputCount, net.Loss, specs);
            for (int i = 0; i < change.ParameterCount; i++)
            {
                change.Parameters[i] = stepped.Parameters[i] - net.Parameters[i];
            }

            NpzFile.Export(Path.Combine(directory, "fb_step.npz"), change);
        }

        Console.WriteLine($"EXPORTED workload={workload} dir={directory} loss={loss.ToString("R", CultureInfo.InvariantCulture)}");
    }

    static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 1; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value' pairs after the mode, but got '{args[i]}' at position {i}{(i + 1 >= args.Length ? " with no value" : "")}.");
            }

            options[args[i]] = args[i + 1];
        }

        return options;
    }

    static string Required(Dictionary<string, string> options, string name) =>
        options.TryGetValue(name, out string? value) ? value : throw new ArgumentException($"Expected the option {name}, which is missing.");

    static Workload ParseWorkload(string text) =>
        Enum.TryParse(text, ignoreCase: false, out Workload w) && Enum.IsDefined(w)
            ? w
            : throw new ArgumentException($"Expected a workload W1..W5 for --workload, but got '{text}'.");

    static int ParseInt(Dictionary<string, string> options, string name, int fallback)
    {
        if (!options.TryGetValue(name, out string? text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new ArgumentException($"Expected a positive integer for {name}, but got '{text}'.");
    }

    static double ParseDouble(Dictionary<string, string> options, string name, double fallback)
    {
        if (!options.TryGetValue(name, out string? text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"Expected a non-negative number of seconds for {name}, but got '{text}'.");
    }
}
