namespace FastBackprop.Training;

/// <summary>What a <see cref="Trainer{T}"/> does when the loss or a parameter becomes NaN or infinite.</summary>
/// <remarks>
/// Either way the network first goes back to the last good state: the parameters, optimizer state and
/// shuffling state it had when the diverging epoch began (kept in buffers allocated once).
/// </remarks>
public enum DivergencePolicy
{
    /// <summary>Stop with <see cref="StopReason.Diverged"/>, the network holding the last good parameters (the default).</summary>
    Stop,

    /// <summary>
    /// Halve the optimizer's learning rate and run the epoch again from the last good state, at most
    /// <see cref="TrainingOptions.MaxDivergenceRetries"/> times in a run; then stop as <see cref="Stop"/> does.
    /// </summary>
    HalveLearningRate,
}
