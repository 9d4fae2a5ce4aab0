using System;
using FastBackprop.Cli.Commands.Train;
using FastBackprop.Training;

namespace FastBackprop.Cli.Display;

/// <summary>No display at all: with <c>--json</c>, standard output carries the one summary object and nothing else.</summary>
internal sealed class SilentTrainingDisplay : ITrainingDisplay
{
    public TrainingResult Run(TrainingPlan plan, Func<IProgress<EpochReport>, TrainingResult> train)
    {
        ArgumentNullException.ThrowIfNull(train);
        return train(new ProgressRelay<EpochReport>(static _ => { }));
    }

    public void ShowSummary(TrainingSummary summary)
    {
    }
}
