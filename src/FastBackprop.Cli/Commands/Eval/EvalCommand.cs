using System;
using System.CommandLine;
using System.IO;
using FastBackprop.Cli.Common;
using FastBackprop.Cli.Data;
using FastBackprop.Cli.Display;
using FastBackprop.Cli.Output;
using FastBackprop.Networks;
using FastBackprop.Training;

namespace FastBackprop.Cli.Commands.Eval;

/// <summary>
/// <c>fastbackprop eval --model FILE</c>: the loss and accuracy of a saved model on a data set's test part (by
/// default the 2,000 embedded MNIST test digits), with a confusion matrix for classes.
/// </summary>
internal static class EvalCommand
{
    /// <summary>The <c>eval</c> subcommand.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = new Option<string>("--model", "-m")
        {
            Description = "The model file to evaluate (from train --out).",
            HelpName = "FILE",
            Required = true,
        };
        var data = new DataOptions();
        Option<bool> json = JsonOption.Create();
        var command = new Command(
            "eval",
            "Measure a saved model on the test part of a data set (default: the 2,000 held-out MNIST digits; a data set without a test part is measured whole).");
        command.Options.Add(model);
        data.AddTo(command);
        command.Options.Add(json);
        command.SetAction(parse => Run(parse.GetValue(model)!, data.Read(parse), parse.GetValue(json), context.Out));
        return command;
    }

    /// <summary>Evaluates and prints; returns the exit code.</summary>
    public static int Run(string modelPath, DataRequest request, bool json, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Network<float> network = ModelLoader.Load(modelPath);
        LoadedData data = DataLoader.Load(request);
        bool isTest = data.Test is not null;
        Dataset<float> set = data.Test ?? data.Training;
        Evaluator.CheckShape(network, set.InputCount, set.OutputCount);
        Measurement m = Evaluator.Measure(network, set, data.IsClassification);
        int[,]? confusion = data.IsClassification && set.OutputCount > 1 ? Confusion(network, set) : null;
        string part = isTest ? "test" : "all";
        if (json)
        {
            JsonOutput.Write(output, w =>
            {
                w.WriteString("command", "eval");
                w.WriteString("model", Path.GetFullPath(modelPath));
                w.WriteString("data", data.Name);
                w.WriteString("part", part);
                w.WriteNumber("samples", m.Samples);
                JsonOutput.Number(w, "loss", m.Loss);
                JsonOutput.Number(w, "accuracy", m.Accuracy);
                if (confusion is not null)
                {
                    w.WriteStartArray("confusion");
                    for (int i = 0; i < confusion.GetLength(0); i++)
                    {
                        w.WriteStartArray();
                        for (int j = 0; j < confusion.GetLength(1); j++)
                        {
                            w.WriteNumberValue(confusion[i, j]);
                        }

                        w.WriteEndArray();
                    }

                    w.WriteEndArray();
                }
            });
            return ExitCodes.Success;
        }

        output.WriteLine($"model:    {Path.GetFullPath(modelPath)} ({network.InputCount} inputs, {network.OutputCount} outputs, {Format.Count(network.ParameterCount)} parameters)");
        output.WriteLine($"data:     {data.Description}, {part} part: {Format.Count(m.Samples)} samples");
        output.WriteLine($"loss:     {Format.Loss(m.Loss)}");
        if (data.IsClassification)
        {
            output.WriteLine($"accuracy: {Format.Percent(m.Accuracy)}");
        }

        if (confusion is not null && confusion.GetLength(0) <= 20)
        {
            WriteConfusion(output, confusion);
        }

        return ExitCodes.Success;
    }

    /// <summary>Counts [true class, predicted class] over the set.</summary>
    static int[,] Confusion(Network<float> network, Dataset<float> set)
    {
        int classes = set.OutputCount;
        var counts = new int[classes, classes];
        using Workspace<float> workspace = network.CreateWorkspace(1);
        for (int s = 0; s < set.SampleCount; s++)
        {
            int predicted = Evaluator.ArgMax(network.Forward(set.FeatureRow(s), workspace));
            counts[Evaluator.ArgMax(set.TargetRow(s)), predicted]++;
        }

        return counts;
    }

    static void WriteConfusion(TextWriter output, int[,] counts)
    {
        int classes = counts.GetLength(0);
        output.WriteLine();
        output.WriteLine("confusion matrix (rows: true class, columns: predicted):");
        output.Write("      ");
        for (int j = 0; j < classes; j++)
        {
            output.Write($"{j,6}");
        }

        output.WriteLine("  recall");
        for (int i = 0; i < classes; i++)
        {
            output.Write($"{i,6}");
            int total = 0;
            for (int j = 0; j < classes; j++)
            {
                output.Write($"{counts[i, j],6}");
                total += counts[i, j];
            }

            output.WriteLine($"  {Format.Percent(total == 0 ? double.NaN : (double)counts[i, i] / total)}");
        }
    }
}
