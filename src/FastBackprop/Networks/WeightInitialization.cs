namespace FastBackprop.Networks;

/// <summary>How <see cref="Network{T}.InitializeWeights"/> draws the starting weights and biases.</summary>
public enum WeightInitialization
{
    /// <summary>
    /// Glorot for sigmoid, tanh, identity and softmax layers and He for ReLU and leaky ReLU layers: each layer's
    /// weights uniform in ±√(6 / (inputs + units)) or ±√(6 / inputs), biases 0. The default.
    /// </summary>
    Auto = 0,

    /// <summary>The seeds' "small random values": every weight and bias uniform in ±0.1 (FANN's default range).</summary>
    SmallUniform = 1,

    /// <summary>Glorot and Bengio (2010): weights uniform in ±√(6 / (inputs + units)), biases 0.</summary>
    GlorotUniform = 2,

    /// <summary>He et al. (2015): weights uniform in ±√(6 / inputs), biases 0.</summary>
    HeUniform = 3,

    /// <summary>
    /// Nguyen and Widrow (1990), per layer of n inputs and h units: weights drawn uniform in ±0.5, then each
    /// unit's weight vector scaled to length β = 0.7·h^(1/n), and its bias drawn uniform in ±β, so the units'
    /// active regions spread over the input space.
    /// </summary>
    NguyenWidrow = 4,
}
