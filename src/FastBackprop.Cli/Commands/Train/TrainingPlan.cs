using System.Collections.Generic;
using FastBackprop.Layers;
using FastBackprop.Losses;

namespace FastBackprop.Cli.Commands.Train;

/// <summary>What a training run is about to do, for the display's header and the JSON summary.</summary>
internal sealed record TrainingPlan
{
    /// <summary>The data's short name.</summary>
    public required string DataName { get; init; }

    /// <summary>Where the data came from.</summary>
    public required string DataDescription { get; init; }

    /// <summary>Samples trained on.</summary>
    public required int TrainingSamples { get; init; }

    /// <summary>Samples measured each epoch (validation or test); 0 for none.</summary>
    public required int MonitorSamples { get; init; }

    /// <summary>"test" when the per-epoch set is the held-out test set (never used to choose anything), else "validation".</summary>
    public required string MonitorName { get; init; }

    /// <summary>Samples of the held-out test set; 0 when there is none.</summary>
    public required int TestSamples { get; init; }

    /// <summary>The network's input count.</summary>
    public required int Inputs { get; init; }

    /// <summary>Every layer, the output layer last.</summary>
    public required IReadOnlyList<LayerSpec> Layers { get; init; }

    /// <summary>The loss trained.</summary>
    public required Loss Loss { get; init; }

    /// <summary>The number of weights and biases.</summary>
    public required int ParameterCount { get; init; }

    /// <summary>The optimizer's command-line name.</summary>
    public required string Optimizer { get; init; }

    /// <summary>Its learning rate (NaN for rprop).</summary>
    public required double LearningRate { get; init; }

    /// <summary>Samples per update.</summary>
    public required int BatchSize { get; init; }

    /// <summary>The epoch limit.</summary>
    public required int MaxEpochs { get; init; }

    /// <summary>The seed of the weights and the shuffling.</summary>
    public required int Seed { get; init; }

    /// <summary>Worker threads asked for (0: one per processor, used only by large products).</summary>
    public required int Threads { get; init; }

    /// <summary>True when accuracy means something.</summary>
    public required bool IsClassification { get; init; }
}
