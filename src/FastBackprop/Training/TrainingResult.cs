using System;

namespace FastBackprop.Training;

/// <summary>How a <see cref="Trainer{T}.Train"/> run ended.</summary>
/// <param name="Reason">The rule that stopped training.</param>
/// <param name="Epochs">Epochs completed (an epoch cut short by cancellation is not counted).</param>
/// <param name="FinalTrainingLoss">Training loss after the last completed epoch (NaN if none completed).</param>
/// <param name="FinalValidationLoss">Validation loss after the last completed epoch, NaN without a validation set.</param>
/// <param name="BestValidationLoss">Lowest validation loss seen, NaN without a validation set.</param>
/// <param name="BestEpoch">The epoch with the lowest validation loss, 0 without a validation set.</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
/// <param name="LastReport">
/// The report of the last completed epoch, with all its metrics; if none completed, a report of epoch 0 whose
/// measures are NaN and bit fails -1.
/// </param>
public readonly record struct TrainingResult(
    StopReason Reason,
    int Epochs,
    double FinalTrainingLoss,
    double FinalValidationLoss,
    double BestValidationLoss,
    int BestEpoch,
    TimeSpan Elapsed,
    EpochReport LastReport);
