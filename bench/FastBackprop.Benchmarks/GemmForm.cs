namespace FastBackprop.Benchmarks;

/// <summary>The three products of a dense layer, named by which operand is read transposed.</summary>
public enum GemmForm
{
    /// <summary>C = A·B, A stored [M, K], B stored [K, N]: the forward pass Y = X·W.</summary>
    NN,

    /// <summary>C = Aᵀ·B, A stored [K, M]: the weight gradient dW = Xᵀ·dY.</summary>
    TN,

    /// <summary>C = A·Bᵀ, B stored [N, K]: the input gradient dX = dY·Wᵀ.</summary>
    NT,
}
