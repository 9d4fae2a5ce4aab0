using System.Collections.Generic;
using FastBackprop.Cli.Common;
using FastBackprop.Training;

namespace FastBackprop.Cli.Commands.Train;

/// <summary>Everything a finished training run reports: the plan, each epoch, why it stopped, the final measurements and the files written.</summary>
internal sealed record TrainingSummary
{
    /// <summary>What was run.</summary>
    public required TrainingPlan Plan { get; init; }

    /// <summary>The trainer's result: stop reason, epochs, time.</summary>
    public required TrainingResult Result { get; init; }

    /// <summary>One report per completed epoch.</summary>
    public required IReadOnlyList<EpochReport> History { get; init; }

    /// <summary>The final network on the training set.</summary>
    public required Measurement Training { get; init; }

    /// <summary>The final network on the held-out test set, or null without one.</summary>
    public required Measurement? Test { get; init; }

    /// <summary>The model file written, or null.</summary>
    public required string? ModelPath { get; init; }

    /// <summary>The SVG curves written, or null.</summary>
    public required string? PlotPath { get; init; }

    /// <summary>Seconds from the start of the command to the summary, data loading included.</summary>
    public required double TotalSeconds { get; init; }
}
