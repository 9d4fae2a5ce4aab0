using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using FastBackprop.Cli.Common;
using FastBackprop.Cli.Data;
using FastBackprop.Cli.Display;
using FastBackprop.Cli.Plotting;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using FastBackprop.Optimizers;
using FastBackprop.Persistence;
using FastBackprop.Training;
using Spectre.Console;

namespace FastBackprop.Cli.Commands.Train;

/// <summary>Runs <c>train</c> (and the no-argument default): load, build, train with a display, measure, save, plot, summarise.</summary>
internal static class TrainRun
{
    /// <summary>Where the model and the curves go when no path is given, relative to the current directory.</summary>
    public const string DefaultOutputDirectory = "fastbackprop-output";

    /// <summary>Trains as <paramref name="settings"/> say; returns the exit code.</summary>
    public static int Execute(TrainSettings settings, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(context);
        long start = Stopwatch.GetTimestamp();
        CheckSettings(settings);
        LoadedData data = DataLoader.Load(settings.Data);

        Dataset<float> training = data.Training;
        Dataset<float>? validation = null;
        if (settings.ValidationSplit > 0)
        {
            (training, validation) = DatasetSlicing.Split(data.Training, settings.ValidationSplit, settings.Seed);
        }
        else if (settings.Patience > 0)
        {
            throw new CliException(
                "--patience: early stopping needs a validation set to watch; add --validation-split (e.g. 0.1). The test set is never used to choose.");
        }

        Loss loss = settings.Loss is null
            ? DefaultLoss(data)
            : ArchitectureParser.ParseLoss(settings.Loss);
        LayerSpec[] hidden = ArchitectureParser.ParseHiddenLayers(settings.Layers);
        var layers = new LayerSpec[hidden.Length + 1];
        hidden.CopyTo(layers, 0);
        layers[^1] = new LayerSpec(training.OutputCount, ArchitectureParser.OutputActivation(loss, settings.OutputActivation));
        Network<float> network;
        try
        {
            network = new Network<float>(training.InputCount, loss, layers);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"The network {ArchitectureParser.Describe(training.InputCount, layers)} with {ArchitectureParser.FormatLoss(loss)}: {e.Message}", e);
        }

        network.InitializeWeights(settings.Seed);
        IOptimizer<float> optimizer = OptimizerFactory.Create(
            settings.Optimizer, network.ParameterCount, settings.LearningRate, settings.Momentum, settings.WeightDecay);
        var options = new TrainingOptions
        {
            BatchSize = settings.BatchSize,
            MaxEpochs = settings.Epochs,
            Seed = settings.Seed,
            TargetLoss = settings.TargetLoss,
            StopWhenAllCorrect = settings.StopWhenAllCorrect,
            Patience = settings.Patience,
            TimeBudget = settings.TimeBudgetSeconds is double s ? TimeSpan.FromSeconds(s) : null,
            Threads = settings.Threads,
        };

        // The per-epoch set: a validation split when asked for (it may then choose the stopping epoch), otherwise the
        // held-out test set, which is only ever watched, never used to decide anything.
        Dataset<float>? monitor = validation ?? data.Test;
        var plan = new TrainingPlan
        {
            DataName = data.Name,
            DataDescription = data.Description,
            TrainingSamples = training.SampleCount,
            MonitorSamples = monitor?.SampleCount ?? 0,
            MonitorName = validation is null ? "test" : "validation",
            TestSamples = data.Test?.SampleCount ?? 0,
            Inputs = network.InputCount,
            Layers = layers,
            Loss = loss,
            ParameterCount = network.ParameterCount,
            Optimizer = settings.Optimizer.Trim().ToLowerInvariant(),
            LearningRate = optimizer is Rprop<float> ? double.NaN : optimizer.LearningRate,
            BatchSize = Math.Min(settings.BatchSize, training.SampleCount),
            MaxEpochs = settings.Epochs,
            Seed = settings.Seed,
            Threads = settings.Threads,
            IsClassification = data.IsClassification,
        };

        string? modelPath = OutputPath(settings.ModelPath, data.Name + ".fbp");
        string? plotPath = OutputPath(settings.PlotPath, data.Name + "-curves.svg");
        if (plotPath is not null && !plotPath.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException($"--plot: expected a file name ending in .svg, got '{settings.PlotPath}'.");
        }

        ITrainingDisplay display = CreateDisplay(settings.Json, context);
        var history = new List<EpochReport>();
        TrainingResult result;
        using (var trainer = new Trainer<float>(network, optimizer, training, monitor, options))
        {
            result = display.Run(plan, progress => trainer.Train(
                new ProgressRelay<EpochReport>(report =>
                {
                    history.Add(report);
                    progress.Report(report);
                }),
                cancellationToken));
        }

        Measurement trainingMeasure = Evaluator.Measure(network, training, data.IsClassification, settings.Threads);
        Measurement? testMeasure = data.Test is null ? null : Evaluator.Measure(network, data.Test, data.IsClassification, settings.Threads);
        if (modelPath is not null)
        {
            CreateDirectoryFor(modelPath);
            ModelFile.Save(modelPath, network);
        }

        if (plotPath is not null)
        {
            SvgChartWriter.Save(plotPath, $"fastbackprop train: {data.Name}, {ArchitectureParser.Describe(network.InputCount, layers)}", TrainingCurves.Panels(plan, history));
        }

        var summary = new TrainingSummary
        {
            Plan = plan,
            Result = result,
            History = history,
            Training = trainingMeasure,
            Test = testMeasure,
            ModelPath = modelPath,
            PlotPath = plotPath,
            TotalSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds,
        };
        display.ShowSummary(summary);
        if (settings.Json)
        {
            TrainingSummaryJson.Write(context.Out, summary);
        }

        return result.Reason == StopReason.Diverged ? ExitCodes.Failure : ExitCodes.Success;
    }

    static void CheckSettings(TrainSettings settings)
    {
        if (settings.BatchSize < 1)
        {
            throw new CliException($"--batch-size: expected at least 1, got {settings.BatchSize}.");
        }

        if (settings.Epochs < 1)
        {
            throw new CliException($"--epochs: expected at least 1, got {settings.Epochs}.");
        }

        if (settings.Patience < 0)
        {
            throw new CliException($"--patience: expected 0 or more, got {settings.Patience}.");
        }

        if (settings.Threads < 0)
        {
            throw new CliException($"--threads: expected 0 (one per processor) or more, got {settings.Threads}.");
        }

        if (settings.TimeBudgetSeconds is double budget && !(budget > 0 && double.IsFinite(budget)))
        {
            throw new CliException($"--time-budget: expected a positive number of seconds, got {budget}.");
        }

        if (settings.TargetLoss is double target && !double.IsFinite(target))
        {
            throw new CliException($"--target-loss: expected a finite number, got {target}.");
        }

        if (settings.LearningRate is double rate && !(rate > 0 && double.IsFinite(rate)))
        {
            throw new CliException($"--learning-rate: expected a positive number, got {rate}.");
        }

        if (settings.ValidationSplit is < 0 or >= 1 || double.IsNaN(settings.ValidationSplit))
        {
            throw new CliException($"--validation-split: expected a fraction in [0, 1), got {settings.ValidationSplit}.");
        }
    }

    static Loss DefaultLoss(LoadedData data) =>
        !data.IsClassification ? Loss.SquaredError
        : data.Training.OutputCount == 1 ? Loss.SigmoidBinaryCrossEntropy
        : Loss.SoftmaxCrossEntropy;

    static string? OutputPath(string? requested, string defaultName)
    {
        if (requested is null)
        {
            return Path.GetFullPath(Path.Combine(DefaultOutputDirectory, defaultName));
        }

        return requested.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) ? null : Path.GetFullPath(requested);
    }

    static void CreateDirectoryFor(string path)
    {
        string? directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }

    static ITrainingDisplay CreateDisplay(bool json, CliContext context)
    {
        if (json)
        {
            return new SilentTrainingDisplay();
        }

        if (!context.IsTerminal)
        {
            return new PlainTrainingDisplay(context.Out);
        }

        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Out = new AnsiConsoleOutput(context.Out),
        });
        return new LiveTrainingDisplay(console);
    }
}
