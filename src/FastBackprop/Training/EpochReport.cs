using System;

namespace FastBackprop.Training;

/// <summary>
/// What one epoch achieved, measured on the parameters at its end, in one forward pass over each set. The training
/// figures cover the whole training set; the validation figures are NaN (and the bit fails -1) without a validation
/// set.
/// </summary>
/// <param name="Epoch">1 for the first epoch.</param>
/// <param name="TrainingLoss">Mean loss over the training set (the network's loss, as the optimizer sees it).</param>
/// <param name="TrainingAccuracy">
/// Fraction of training examples classified correctly: with one output, output and target on the same side of 0.5;
/// with several, the largest output where the target is largest.
/// </param>
/// <param name="TrainingMse">Mean squared error (1 / (n·k)) Σ (y − t)² over the n samples and k outputs of the training set.</param>
/// <param name="TrainingMae">Mean absolute error (1 / (n·k)) Σ |y − t| over the training set.</param>
/// <param name="TrainingBitFails">
/// Training outputs that missed their target by <see cref="TrainingOptions.BitFailThreshold"/> or more (FANN's bit
/// fails), counted over every output of every sample.
/// </param>
/// <param name="ValidationLoss">Mean loss over the validation set, NaN without one.</param>
/// <param name="ValidationAccuracy">Fraction of validation examples classified correctly, NaN without one.</param>
/// <param name="ValidationMse">Mean squared error over the validation set, NaN without one.</param>
/// <param name="ValidationMae">Mean absolute error over the validation set, NaN without one.</param>
/// <param name="ValidationBitFails">Bit fails over the validation set, -1 without one.</param>
/// <param name="SamplesPerSecond">Training samples per second of the epoch's updates (measuring excluded).</param>
/// <param name="Elapsed">Time since the <see cref="Trainer{T}.Train"/> call began (since the epoch began for <see cref="Trainer{T}.RunEpoch"/>).</param>
public readonly record struct EpochReport(
    int Epoch,
    double TrainingLoss,
    double TrainingAccuracy,
    double TrainingMse,
    double TrainingMae,
    int TrainingBitFails,
    double ValidationLoss,
    double ValidationAccuracy,
    double ValidationMse,
    double ValidationMae,
    int ValidationBitFails,
    double SamplesPerSecond,
    TimeSpan Elapsed);
