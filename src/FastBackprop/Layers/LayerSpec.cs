namespace FastBackprop.Layers;

/// <summary>One dense layer of a network: how many units it has and which activation they apply.</summary>
/// <param name="Units">The number of neurons (outputs) of the layer, at least 1.</param>
/// <param name="Activation">The activation function of every unit of the layer.</param>
public readonly record struct LayerSpec(int Units, Activation Activation);
