namespace FastBackprop.Training;

/// <summary>Which stopping rule ended a <see cref="Trainer{T}.Train"/> run.</summary>
public enum StopReason
{
    /// <summary><see cref="TrainingOptions.MaxEpochs"/> epochs ran.</summary>
    MaxEpochs,

    /// <summary>The training loss fell to <see cref="TrainingOptions.TargetLoss"/> or below.</summary>
    TargetLossReached,

    /// <summary>Every training example was classified correctly.</summary>
    AllClassifiedCorrectly,

    /// <summary>The validation loss did not improve for <see cref="TrainingOptions.Patience"/> epochs.</summary>
    EarlyStopping,

    /// <summary><see cref="TrainingOptions.TimeBudget"/> was used up.</summary>
    TimeBudgetExceeded,

    /// <summary>The cancellation token was signalled.</summary>
    Cancelled,

    /// <summary>
    /// The loss or a parameter became NaN or infinite (and, with <see cref="DivergencePolicy.HalveLearningRate"/>,
    /// the retries ran out); the network holds the parameters of the start of the epoch that diverged.
    /// </summary>
    Diverged,

    /// <summary>
    /// At most <see cref="TrainingOptions.BitFailLimit"/> training outputs missed their targets by
    /// <see cref="TrainingOptions.BitFailThreshold"/> or more (FANN's <c>FANN_STOPFUNC_BIT</c>).
    /// </summary>
    BitFailLimitReached,
}
