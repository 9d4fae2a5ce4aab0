namespace FastBackprop.Cli.Common;

/// <summary>The mean loss and the accuracy of a network over a data set.</summary>
/// <param name="Loss">The network's loss averaged over the samples.</param>
/// <param name="Accuracy">
/// The fraction classified right: arg-max of outputs against arg-max of targets, or both sides of 0.5 for a single
/// output; NaN for regression data, where it means nothing.
/// </param>
/// <param name="Samples">How many samples were measured.</param>
internal readonly record struct Measurement(double Loss, double Accuracy, int Samples);
