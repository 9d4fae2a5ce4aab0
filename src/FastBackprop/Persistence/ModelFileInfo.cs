using System.Collections.Generic;
using FastBackprop.Layers;
using FastBackprop.Losses;

namespace FastBackprop.Persistence;

/// <summary>
/// What a model file holds, read by <see cref="ModelFile.ReadHeader(string)"/> without knowing the element type,
/// so that a caller can pick <c>Network&lt;float&gt;</c> or <c>Network&lt;double&gt;</c> before loading it.
/// </summary>
/// <param name="FormatVersion">The file's format version (see docs/model-format.md).</param>
/// <param name="ElementType">Whether the parameters are float or double.</param>
/// <param name="InputCount">Inputs per sample.</param>
/// <param name="Layers">The dense layers from the first hidden layer to the output layer.</param>
/// <param name="Loss">The cost the network is trained on.</param>
/// <param name="ParameterCount">Number of weights and biases.</param>
/// <param name="HasCheckpoint">Whether the file also holds a <see cref="Training.TrainingCheckpoint{T}"/>.</param>
public sealed record ModelFileInfo(
    int FormatVersion,
    ModelElementType ElementType,
    int InputCount,
    IReadOnlyList<LayerSpec> Layers,
    Loss Loss,
    long ParameterCount,
    bool HasCheckpoint);
