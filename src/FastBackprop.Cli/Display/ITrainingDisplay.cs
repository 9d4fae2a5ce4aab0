using System;
using FastBackprop.Cli.Commands.Train;
using FastBackprop.Training;

namespace FastBackprop.Cli.Display;

/// <summary>Shows a training run while it works and its summary when it is done.</summary>
internal interface ITrainingDisplay
{
    /// <summary>Shows <paramref name="plan"/>, runs <paramref name="train"/> with a progress sink, and returns its result.</summary>
    TrainingResult Run(TrainingPlan plan, Func<IProgress<EpochReport>, TrainingResult> train);

    /// <summary>Shows the final summary.</summary>
    void ShowSummary(TrainingSummary summary);
}
