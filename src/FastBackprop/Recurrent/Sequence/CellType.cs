namespace FastBackprop.Recurrent.Sequence;

/// <summary>
/// The recurrent cell of a <see cref="SequenceNetwork{T}"/>. The equations are PyTorch's (nn.RNN with tanh,
/// nn.GRU, nn.LSTM), written with row vectors: x_t is [1, inputs], h_t is [1, H], W_x is [inputs, G·H] and
/// W_h is [H, G·H] (the transposes of PyTorch's weight_ih and weight_hh), gates stacked in PyTorch's order.
/// </summary>
public enum CellType
{
    /// <summary>
    /// Simple recurrent (Elman) cell, G = 1: h_t = tanh(x_t·W_x + h_{t−1}·W_h + b). PyTorch's nn.RNN has two bias
    /// vectors; b here is their sum b_ih + b_hh.
    /// </summary>
    Elman = 0,

    /// <summary>
    /// Gated recurrent unit as PyTorch's nn.GRU, G = 3, gates (r, z, n):
    /// r = σ(x·W_xr + b_xr + h·W_hr + b_hr), z = σ(x·W_xz + b_xz + h·W_hz + b_hz),
    /// n = tanh(x·W_xn + b_xn + r ⊙ (h·W_hn + b_hn)), h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}.
    /// It keeps both bias vectors b_x (PyTorch's bias_ih) and b_h (bias_hh), since b_hn sits inside r ⊙ (…).
    /// </summary>
    Gru = 1,

    /// <summary>
    /// Long short-term memory with a forget gate (Gers, Schmidhuber and Cummins 2000), as PyTorch's nn.LSTM,
    /// G = 4, gates (i, f, g, o): [i f g o] = [σ σ tanh σ](x·W_x + h_{t−1}·W_h + b), c_t = f ⊙ c_{t−1} + i ⊙ g,
    /// h_t = o ⊙ tanh(c_t). No peepholes; b is PyTorch's b_ih + b_hh.
    /// </summary>
    Lstm = 2,
}
