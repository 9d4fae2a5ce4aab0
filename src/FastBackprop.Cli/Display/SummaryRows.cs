using System.Collections.Generic;
using System.Globalization;
using FastBackprop.Cli.Commands.Train;
using FastBackprop.Cli.Common;
using FastBackprop.Training;

namespace FastBackprop.Cli.Display;

/// <summary>The lines of the header and the final summary, shared by the live and the plain display.</summary>
internal static class SummaryRows
{
    /// <summary>What is about to run, as label/value pairs.</summary>
    public static IReadOnlyList<(string Label, string Value)> Header(TrainingPlan plan)
    {
        string rate = double.IsFinite(plan.LearningRate)
            ? ", learning rate " + plan.LearningRate.ToString("G4", CultureInfo.InvariantCulture)
            : string.Empty;
        string monitor = plan.MonitorSamples > 0
            ? $", {Format.Count(plan.MonitorSamples)} {plan.MonitorName}"
            : string.Empty;
        return
        [
            ("data", $"{plan.DataDescription}: {Format.Count(plan.TrainingSamples)} training{monitor}"),
            ("network", $"{ArchitectureParser.Describe(plan.Inputs, plan.Layers)}, {ArchitectureParser.FormatLoss(plan.Loss)}, {Format.Count(plan.ParameterCount)} parameters"),
            ("training", $"{plan.Optimizer}{rate}, batch {plan.BatchSize}, up to {plan.MaxEpochs} epochs, seed {plan.Seed}"),
            ("engine", $"FastBackprop, SIMD level {Kernels.Isa.Active}, float32"),
        ];
    }

    /// <summary>The result, as label/value pairs.</summary>
    public static IReadOnlyList<(string Label, string Value)> Result(TrainingSummary summary)
    {
        var rows = new List<(string, string)>
        {
            ("stopped", $"{Describe(summary.Result.Reason)} after {summary.Result.Epochs} epochs"),
            ("training", Measured(summary.Training, summary.Plan.IsClassification)),
        };
        if (summary.Test is Measurement test)
        {
            rows.Add(("test", Measured(test, summary.Plan.IsClassification) + " (held out, never trained on)"));
        }

        double samplesPerSecond = summary.History.Count == 0 ? double.NaN : Mean(summary.History);
        rows.Add(("time", $"{Format.Duration(summary.Result.Elapsed)} training, {Format.Rate(samplesPerSecond)} samples, {Format.Seconds(summary.TotalSeconds)} in all"));
        if (summary.ModelPath is not null)
        {
            rows.Add(("model", summary.ModelPath));
        }

        if (summary.PlotPath is not null)
        {
            rows.Add(("curves", summary.PlotPath));
        }

        return rows;
    }

    /// <summary>A stop reason in words.</summary>
    public static string Describe(StopReason reason) => reason switch
    {
        StopReason.MaxEpochs => "reached the epoch limit",
        StopReason.TargetLossReached => "reached the target loss",
        StopReason.AllClassifiedCorrectly => "classified every training sample correctly",
        StopReason.EarlyStopping => "stopped early (validation loss no longer improving; best parameters restored)",
        StopReason.TimeBudgetExceeded => "used up the time budget",
        StopReason.Cancelled => "cancelled",
        StopReason.Diverged => "diverged (parameters rolled back to the last good epoch)",
        _ => reason.ToString(),
    };

    static string Measured(Measurement m, bool classification) =>
        classification
            ? $"accuracy {Format.Percent(m.Accuracy)}, loss {Format.Loss(m.Loss)} on {Format.Count(m.Samples)} samples"
            : $"loss {Format.Loss(m.Loss)} on {Format.Count(m.Samples)} samples";

    static double Mean(IReadOnlyList<EpochReport> history)
    {
        double sum = 0;
        foreach (EpochReport report in history)
        {
            sum += report.SamplesPerSecond;
        }

        return sum / history.Count;
    }
}
