namespace FastBackprop.Recurrent.Sequence;

/// <summary>Where a <see cref="SequenceNetwork{T}"/> produces outputs and takes its loss.</summary>
public enum SequenceOutput
{
    /// <summary>
    /// Many-to-one: the output layer reads the last step's hidden state only. Outputs and targets are
    /// [batch, outputs]; the loss is averaged over the batch.
    /// </summary>
    LastStep = 0,

    /// <summary>
    /// Many-to-many: the output layer reads every step's hidden state. Outputs and targets are
    /// [batch, time, outputs] row-major; the loss is averaged over batch × time, i.e. it is the engine's loss
    /// over batch·time rows, each step's loss weighing equally.
    /// </summary>
    EveryStep = 1,
}
