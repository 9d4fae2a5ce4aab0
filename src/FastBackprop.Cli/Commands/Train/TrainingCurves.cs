using System.Collections.Generic;
using FastBackprop.Cli.Plotting;
using FastBackprop.Training;

namespace FastBackprop.Cli.Commands.Train;

/// <summary>The <c>--plot</c> chart: loss per epoch and, for classification, accuracy per epoch, training against the monitored set.</summary>
internal static class TrainingCurves
{
    const string TrainingColor = "#1f77b4", MonitorColor = "#d62728";

    /// <summary>The panels for <paramref name="history"/>.</summary>
    public static IReadOnlyList<ChartPanel> Panels(TrainingPlan plan, IReadOnlyList<EpochReport> history)
    {
        int n = history.Count;
        double[] epochs = new double[n], trainLoss = new double[n], monitorLoss = new double[n], trainAcc = new double[n], monitorAcc = new double[n];
        for (int i = 0; i < n; i++)
        {
            EpochReport r = history[i];
            epochs[i] = r.Epoch;
            trainLoss[i] = r.TrainingLoss;
            monitorLoss[i] = r.ValidationLoss;
            trainAcc[i] = r.TrainingAccuracy * 100;
            monitorAcc[i] = r.ValidationAccuracy * 100;
        }

        bool monitored = plan.MonitorSamples > 0;
        var loss = new List<ChartSeries> { new("training", TrainingColor, epochs, trainLoss) };
        var accuracy = new List<ChartSeries> { new("training", TrainingColor, epochs, trainAcc) };
        if (monitored)
        {
            loss.Add(new ChartSeries(plan.MonitorName, MonitorColor, epochs, monitorLoss, Dashed: true));
            accuracy.Add(new ChartSeries(plan.MonitorName, MonitorColor, epochs, monitorAcc, Dashed: true));
        }

        var panels = new List<ChartPanel> { new("Loss", "epoch", "loss", loss) };
        if (plan.IsClassification)
        {
            panels.Add(new ChartPanel("Accuracy", "epoch", "accuracy (%)", accuracy));
        }

        return panels;
    }
}
