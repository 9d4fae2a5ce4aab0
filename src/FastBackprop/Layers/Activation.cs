namespace FastBackprop.Layers;

/// <summary>The activation function a dense layer applies to its pre-activations z = x·W + b.</summary>
public enum Activation
{
    /// <summary>y = z. The usual output for regression.</summary>
    Identity = 0,

    /// <summary>The logistic sigmoid y = 1 / (1 + e^-z), the seeds' activation.</summary>
    Sigmoid = 1,

    /// <summary>y = tanh z.</summary>
    Tanh = 2,

    /// <summary>y = max(z, 0).</summary>
    Relu = 3,

    /// <summary>y = z for z &gt; 0, else 0.01 z (see <see cref="Kernels.Elementwise.LeakyReluSlope"/>).</summary>
    LeakyRelu = 4,

    /// <summary>y_j = e^(z_j) / Σ_k e^(z_k) over the layer's units. Output layer only.</summary>
    Softmax = 5,
}
