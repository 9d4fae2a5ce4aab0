using FastBackprop.Cli.Data;

namespace FastBackprop.Cli.Commands.Train;

/// <summary>Everything <c>train</c> was asked to do, as parsed from the command line (null: the default).</summary>
internal sealed record TrainSettings
{
    /// <summary>Where the data comes from.</summary>
    public DataRequest Data { get; init; } = new();

    /// <summary>The hidden layers, as <c>128:relu,64:tanh</c>.</summary>
    public string Layers { get; init; } = "128:relu";

    /// <summary>The loss; null to choose from the data (cross-entropy for classes, squared error for numbers).</summary>
    public string? Loss { get; init; }

    /// <summary>The output activation for squared error; the other losses fix it.</summary>
    public string? OutputActivation { get; init; }

    /// <summary>The optimizer name.</summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>The learning rate; null for the optimizer's default.</summary>
    public double? LearningRate { get; init; }

    /// <summary>SGD or RMSprop momentum.</summary>
    public double? Momentum { get; init; }

    /// <summary>Weight decay.</summary>
    public double? WeightDecay { get; init; }

    /// <summary>Samples per update.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The epoch limit.</summary>
    public int Epochs { get; init; } = 8;

    /// <summary>Stop once the training loss is at most this.</summary>
    public double? TargetLoss { get; init; }

    /// <summary>Stop once every training sample is classified right.</summary>
    public bool StopWhenAllCorrect { get; init; }

    /// <summary>Early stopping after this many epochs without a better validation loss (needs a validation split).</summary>
    public int Patience { get; init; }

    /// <summary>Stop after this many seconds.</summary>
    public double? TimeBudgetSeconds { get; init; }

    /// <summary>The fraction of the training set held out for validation (0: none).</summary>
    public double ValidationSplit { get; init; }

    /// <summary>The seed of the weights, the shuffling and the validation split.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Worker threads for large products (0: one per processor).</summary>
    public int Threads { get; init; }

    /// <summary>The model file to write; null for the default place, "none" for no file.</summary>
    public string? ModelPath { get; init; }

    /// <summary>The SVG curves to write; null for the default place, "none" for no file.</summary>
    public string? PlotPath { get; init; }

    /// <summary>Print one JSON summary object and nothing else on standard output.</summary>
    public bool Json { get; init; }
}
