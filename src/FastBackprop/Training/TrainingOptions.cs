using System;
using FastBackprop.Optimizers;

namespace FastBackprop.Training;

/// <summary>How a <see cref="Trainer{T}"/> batches, shuffles and decides to stop. Any stopping rule that fires stops training.</summary>
public sealed record TrainingOptions
{
    /// <summary>Use as <see cref="BatchSize"/> for full-batch training (clamped to the sample count).</summary>
    public const int FullBatch = int.MaxValue;

    /// <summary>Samples per update: 1 for online training (the default, as in the seeds), or any mini-batch size.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Whether to visit the samples in a fresh seeded order each epoch (default true).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seed of the shuffling; the same seed gives the same order.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Stop after this many epochs of one <see cref="Trainer{T}.Train"/> call (default 1000). The count is per call:
    /// a second call, or a call after <see cref="Trainer{T}.Restore"/>, may run this many more (which is what resuming
    /// k epochs after a checkpoint of k needs); <see cref="Trainer{T}.Epoch"/> counts them all.
    /// </summary>
    public int MaxEpochs { get; init; } = 1000;

    /// <summary>Stop once the training loss is at or below this value; null (the default) disables the rule.</summary>
    public double? TargetLoss { get; init; }

    /// <summary>Stop once every training example is classified correctly (default false).</summary>
    public bool StopWhenAllCorrect { get; init; }

    /// <summary>
    /// FANN's bit-fail rule (<c>FANN_STOPFUNC_BIT</c>): stop once at most this many training outputs are bit fails
    /// (see <see cref="BitFailThreshold"/>), counted over every output of every sample. FANN passes this count as
    /// <c>fann_train_on_data</c>'s desired error. Null (the default) disables the rule; 0 asks for no bit fail at all.
    /// </summary>
    public int? BitFailLimit { get; init; }

    /// <summary>
    /// How far an output may miss its target before it counts as a bit fail: |t − y| ≥ this value, as FANN's
    /// <c>fann_set_bit_fail_limit</c> (default 0.35, as FANN's). As in FANN, the difference is halved first when the
    /// output activation is symmetric (tanh), so that the same threshold serves outputs in [−1, 1] and in [0, 1].
    /// The bit fails are reported every epoch whether or not <see cref="BitFailLimit"/> is set.
    /// </summary>
    public double BitFailThreshold { get; init; } = 0.35;

    /// <summary>
    /// Early stopping: stop when the validation loss has not improved for this many epochs and restore the
    /// parameters of the best epoch. 0 (the default) disables it; it needs a validation set.
    /// </summary>
    public int Patience { get; init; }

    /// <summary>Stop after the first epoch that ends past this wall-clock budget; null (the default) disables it.</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>
    /// A learning-rate schedule: before each step the optimizer's learning rate is set to the schedule's rate at the
    /// optimizer's step count (times ½ for each divergence halving of this trainer). Null (the default) leaves the
    /// learning rate alone. Rprop only reads its learning rate (Δ₀) on Reset, so a schedule does not steer it.
    /// </summary>
    public ILearningRateSchedule? Schedule { get; init; }

    /// <summary>
    /// Clip each batch's gradient to this global L2 norm before the step (<see cref="GradientClipping.ClipByGlobalNorm"/>);
    /// null (the default) does not clip.
    /// </summary>
    public double? MaxGradientNorm { get; init; }

    /// <summary>What to do when the loss or a parameter becomes NaN or infinite (default: stop, keeping the last good parameters).</summary>
    public DivergencePolicy OnDivergence { get; init; } = DivergencePolicy.Stop;

    /// <summary>With <see cref="DivergencePolicy.HalveLearningRate"/>: how many times a run may halve the learning rate (default 10).</summary>
    public int MaxDivergenceRetries { get; init; } = 10;

    /// <summary>Threads of the workspaces; 0 (the default) lets the engine choose.</summary>
    public int Threads { get; init; }

    /// <summary>Throws if an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be at least 1.");
        }

        if (MaxEpochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEpochs), MaxEpochs, "The maximum number of epochs must be at least 1.");
        }

        if (TargetLoss is double target && (double.IsNaN(target) || double.IsInfinity(target)))
        {
            throw new ArgumentOutOfRangeException(nameof(TargetLoss), target, "The target loss must be finite.");
        }

        if (BitFailLimit is int limit && limit < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BitFailLimit), limit, "The bit-fail limit must not be negative.");
        }

        if (!(BitFailThreshold > 0) || double.IsInfinity(BitFailThreshold))
        {
            throw new ArgumentOutOfRangeException(nameof(BitFailThreshold), BitFailThreshold, "The bit-fail threshold must be positive and finite.");
        }

        if (MaxGradientNorm is double norm && (!(norm > 0) || double.IsInfinity(norm)))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxGradientNorm), norm, "The maximum gradient norm must be positive and finite.");
        }

        if (Patience < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "The patience must not be negative.");
        }

        if (TimeBudget is TimeSpan budget && budget <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(TimeBudget), budget, "The time budget must be positive.");
        }

        if (!Enum.IsDefined(OnDivergence))
        {
            throw new ArgumentOutOfRangeException(nameof(OnDivergence), OnDivergence, "Unknown divergence policy.");
        }

        if (MaxDivergenceRetries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDivergenceRetries), MaxDivergenceRetries, "The number of divergence retries must not be negative.");
        }

        if (Threads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "The thread count must not be negative.");
        }
    }
}
