namespace FastBackprop.Losses;

/// <summary>
/// The cost a network minimises. Every loss is summed over a sample's outputs and averaged over the samples
/// of the batch, and its gradient is the exact gradient of that value: no hidden factors, no flat-spot fixes.
/// </summary>
public enum Loss
{
    /// <summary>
    /// The seeds' quadratic cost C = (1/n) Σ_samples ½ Σ_j (t_j - o_j)². Works with any output activation;
    /// with sigmoid outputs its output delta is (o - t) o (1 - o) / n, the seeds' formula.
    /// </summary>
    SquaredError = 0,

    /// <summary>
    /// Cross-entropy of a softmax output, C = -(1/n) Σ_samples Σ_j t_j log o_j, evaluated from the logits so it
    /// never takes the log of 0. Fused with the softmax: the output delta is (o - t) / n. Requires a
    /// <see cref="Layers.Activation.Softmax"/> output layer and targets in [0, 1] (one-hot or probabilities).
    /// </summary>
    SoftmaxCrossEntropy = 1,

    /// <summary>
    /// Binary cross-entropy of sigmoid outputs, C = -(1/n) Σ_samples Σ_j [t_j log o_j + (1 - t_j) log(1 - o_j)],
    /// evaluated from the logits. Fused with the sigmoid: the output delta is (o - t) / n. Requires a
    /// <see cref="Layers.Activation.Sigmoid"/> output layer and targets in [0, 1].
    /// </summary>
    SigmoidBinaryCrossEntropy = 2,
}
