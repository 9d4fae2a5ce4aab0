using System;

namespace FastBackprop.Training;

/// <summary>What one epoch achieved, measured on the parameters at its end.</summary>
/// <param name="Epoch">1 for the first epoch.</param>
/// <param name="TrainingLoss">Mean loss over the training set.</param>
/// <param name="TrainingAccuracy">Fraction of training examples classified correctly.</param>
/// <param name="ValidationLoss">Mean loss over the validation set, NaN without one.</param>
/// <param name="ValidationAccuracy">Fraction of validation examples classified correctly, NaN without one.</param>
/// <param name="SamplesPerSecond">Training samples per second of the epoch's updates.</param>
/// <param name="Elapsed">Time since training started.</param>
public readonly record struct EpochReport(
    int Epoch,
    double TrainingLoss,
    double TrainingAccuracy,
    double ValidationLoss,
    double ValidationAccuracy,
    double SamplesPerSecond,
    TimeSpan Elapsed);
