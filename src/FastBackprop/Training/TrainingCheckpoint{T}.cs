using System.Numerics;

namespace FastBackprop.Training;

/// <summary>
/// Everything besides the network's parameters that a <see cref="Trainer{T}"/> needs to continue a run exactly
/// where it stopped: the epoch count, the optimizer's step count, learning rate and state, the shuffling
/// generator's state and the early-stopping bookkeeping. Together with the parameters it makes a resumed run
/// bit-for-bit the same as an uninterrupted one.
/// </summary>
/// <remarks>
/// A plain value holder: the trainer makes one and takes one back, and the model file stores one beside the
/// parameters. The arrays are copies, owned by the checkpoint.
/// </remarks>
/// <typeparam name="T">float or double, as the network.</typeparam>
public sealed class TrainingCheckpoint<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Epochs completed when the checkpoint was taken.</summary>
    public required int Epoch { get; init; }

    /// <summary>The optimizer's type name (for instance <c>Adam`1</c>), checked when the checkpoint is restored.</summary>
    public required string OptimizerName { get; init; }

    /// <summary>The optimizer's <see cref="Optimizers.IOptimizer{T}.StepCount"/>.</summary>
    public required long OptimizerStepCount { get; init; }

    /// <summary>The optimizer's learning rate when the checkpoint was taken.</summary>
    public required double LearningRate { get; init; }

    /// <summary>A copy of the optimizer's state buffer (its layout is documented by each optimizer).</summary>
    public required T[] OptimizerState { get; init; }

    /// <summary>The state words of the trainer's shuffling generator.</summary>
    public required ulong[] RandomState { get; init; }

    /// <summary>The best validation loss so far, or NaN when none was recorded.</summary>
    public required double BestValidationLoss { get; init; }

    /// <summary>The epoch that reached <see cref="BestValidationLoss"/>, or 0 when none did.</summary>
    public required int BestEpoch { get; init; }

    /// <summary>The parameters of <see cref="BestEpoch"/>, or an empty array when none were recorded.</summary>
    public required T[] BestParameters { get; init; }

    /// <summary>Says which epoch and optimizer step the checkpoint holds, for debugging.</summary>
    public override string ToString() =>
        $"TrainingCheckpoint(epoch {Epoch}, {OptimizerName} step {OptimizerStepCount}, lr {LearningRate})";
}
