using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Text;
using FastBackprop.Cli.Common;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;

namespace FastBackprop.Cli.Commands.Predict;

/// <summary>
/// <c>fastbackprop predict --model FILE --input IN.csv [--output OUT.csv]</c>: runs a saved model on rows of inputs
/// and writes its outputs (round-trip precision) and, for a classifier, the predicted class.
/// </summary>
internal static class PredictCommand
{
    const int Chunk = 256;

    /// <summary>The <c>predict</c> subcommand.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = new Option<string>("--model", "-m") { Description = "The model file (from train --out).", HelpName = "FILE", Required = true };
        var input = new Option<string>("--input", "-i")
        {
            Description = "CSV of inputs, one row per sample, as many columns as the model has inputs; an optional header line; '-' for standard input.",
            HelpName = "IN.csv",
            Required = true,
        };
        var output = new Option<string?>("--output")
        {
            Description = "Where to write the CSV of outputs (default: standard output).",
            HelpName = "OUT.csv",
        };
        var command = new Command("predict", "Run a saved model on a CSV of inputs; write a CSV of outputs (output_0..output_k-1, and class for a classifier).");
        command.Options.Add(model);
        command.Options.Add(input);
        command.Options.Add(output);
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(input)!, parse.GetValue(output), context));
        return command;
    }

    /// <summary>Predicts; returns the exit code. The output file is replaced only when every row has been computed.</summary>
    public static int Run(string modelPath, string inputPath, string? outputPath, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Network<float> network = ModelLoader.Load(modelPath);
        float[] features;
        int rows;
        if (inputPath == "-")
        {
            (features, rows) = CsvFeatureReader.Read(Console.In, "standard input", network.InputCount);
        }
        else
        {
            if (!File.Exists(inputPath))
            {
                throw new CliException($"--input: no file at '{inputPath}'.");
            }

            using var reader = new StreamReader(inputPath);
            (features, rows) = CsvFeatureReader.Read(reader, inputPath, network.InputCount);
        }

        string csv = Compute(network, features, rows);
        if (outputPath is null)
        {
            context.Out.Write(csv);
            context.Out.Flush();
        }
        else
        {
            string full = Path.GetFullPath(outputPath);
            string temporary = full + ".tmp";
            File.WriteAllText(temporary, csv, new UTF8Encoding(false));
            File.Move(temporary, full, overwrite: true);
        }

        return ExitCodes.Success;
    }

    static string Compute(Network<float> network, float[] features, int rows)
    {
        int inputs = network.InputCount, outputs = network.OutputCount;
        bool classifier = IsClassifier(network);
        var text = new StringBuilder();
        for (int j = 0; j < outputs; j++)
        {
            text.Append(j == 0 ? string.Empty : ",").Append("output_").Append(j.ToString(CultureInfo.InvariantCulture));
        }

        text.Append(classifier ? ",class\n" : "\n");
        if (rows == 0)
        {
            return text.ToString();
        }

        using Workspace<float> workspace = network.CreateWorkspace(Math.Min(Chunk, rows));
        for (int first = 0; first < rows; first += Chunk)
        {
            int count = Math.Min(Chunk, rows - first);
            ReadOnlySpan<float> y = network.Forward(features.AsSpan(first * inputs, count * inputs), workspace);
            for (int r = 0; r < count; r++)
            {
                ReadOnlySpan<float> row = y.Slice(r * outputs, outputs);
                for (int j = 0; j < outputs; j++)
                {
                    text.Append(j == 0 ? string.Empty : ",").Append(row[j].ToString("R", CultureInfo.InvariantCulture));
                }

                if (classifier)
                {
                    int predicted = outputs == 1 ? (row[0] >= 0.5f ? 1 : 0) : Evaluator.ArgMax(row);
                    text.Append(',').Append(predicted.ToString(CultureInfo.InvariantCulture));
                }

                text.Append('\n');
            }
        }

        return text.ToString();
    }

    // Softmax and cross-entropy outputs are class scores; a sigmoid unit under binary cross-entropy is one class's probability.
    static bool IsClassifier(Network<float> network)
    {
        LayerSpec output = network.GetLayer(network.LayerCount - 1);
        return network.Loss == Loss.SoftmaxCrossEntropy || (network.Loss == Loss.SigmoidBinaryCrossEntropy && network.OutputCount == 1)
            || output.Activation == Activation.Softmax;
    }
}
