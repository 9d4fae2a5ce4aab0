using System;
using System.IO;
using FastBackprop.Cli.Commands.Train;
using FastBackprop.Training;

namespace FastBackprop.Cli.Display;

/// <summary>
/// Plain lines, one per epoch, for output that is not a terminal (CI logs, files, pipes): no colours, no cursor
/// movement, every line final when written.
/// </summary>
internal sealed class PlainTrainingDisplay(TextWriter output) : ITrainingDisplay
{
    public TrainingResult Run(TrainingPlan plan, Func<IProgress<EpochReport>, TrainingResult> train)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(train);
        foreach ((string label, string value) in SummaryRows.Header(plan))
        {
            output.WriteLine($"{label + ":",-10} {value}");
        }

        output.Flush();
        string monitor = plan.MonitorName;
        return train(new ProgressRelay<EpochReport>(report =>
        {
            string accuracy = plan.IsClassification ? $" acc {Format.Percent(report.TrainingAccuracy),7}" : string.Empty;
            string monitored = plan.MonitorSamples == 0
                ? string.Empty
                : $" | {monitor} loss {Format.Loss(report.ValidationLoss)}"
                  + (plan.IsClassification ? $" acc {Format.Percent(report.ValidationAccuracy),7}" : string.Empty);
            double left = TimeLeft.Estimate(report.Epoch, plan.MaxEpochs, report.Elapsed);
            output.WriteLine(
                $"epoch {report.Epoch,3}/{plan.MaxEpochs} | train loss {Format.Loss(report.TrainingLoss)}{accuracy}{monitored}"
                + $" | {Format.Rate(report.SamplesPerSecond)} samples | {Format.Duration(report.Elapsed)}, ~{Format.Seconds(left)} left");
            output.Flush();
        }));
    }

    public void ShowSummary(TrainingSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        output.WriteLine();
        foreach ((string label, string value) in SummaryRows.Result(summary))
        {
            output.WriteLine($"{label + ":",-10} {value}");
        }

        output.Flush();
    }
}
