using FastBackprop.Training;

namespace FastBackprop.Cli.Data;

/// <summary>A training set and, when there is one, a held-out test set, with what the user should be told about them.</summary>
/// <param name="Name">A short name for file names and the summary, e.g. <c>mnist</c>.</param>
/// <param name="Description">One line on where the data came from.</param>
/// <param name="Training">The samples to train on.</param>
/// <param name="Test">Samples never trained on, or null.</param>
/// <param name="IsClassification">True when targets are one-hot classes (accuracy means something).</param>
internal sealed record LoadedData(string Name, string Description, Dataset<float> Training, Dataset<float>? Test, bool IsClassification);
