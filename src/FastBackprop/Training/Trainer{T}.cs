using System;
using System.Diagnostics;
using System.Numerics;
using System.Threading;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using FastBackprop.Optimizers;

namespace FastBackprop.Training;

/// <summary>
/// Trains a <see cref="Network{T}"/> with an <see cref="IOptimizer{T}"/> over a <see cref="Dataset{T}"/>: online,
/// mini-batch or full batch, in a seeded shuffled order, until a stopping rule of <see cref="TrainingOptions"/> fires.
/// </summary>
/// <remarks>
/// Every buffer (permutation, gathered batch, workspaces, best parameters) is allocated by the constructor, so an
/// epoch allocates nothing. Not thread-safe. Dispose it to release the workspaces' threads.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Trainer<T> : IDisposable
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    // Evaluation walks the set in contiguous chunks of at most this many rows, bounding the workspace's size.
    const int EvaluationChunk = 256;

    readonly Network<T> _network;
    readonly IOptimizer<T> _optimizer;
    readonly Dataset<T> _training;
    readonly Dataset<T>? _validation;
    readonly TrainingOptions _options;
    readonly int _batchSize;
    readonly int[] _permutation;
    readonly ShuffleRandom _random;
    readonly T[] _batchFeatures;
    readonly T[] _batchTargets;
    readonly T[] _bestParameters;

    // The last good state, taken as each epoch begins: what a diverged epoch goes back to.
    readonly T[] _goodParameters;
    readonly T[] _goodOptimizerState;
    readonly ulong[] _goodRandom = new ulong[ShuffleRandom.StateLength];
    long _goodStepCount;
    readonly Workspace<T> _trainWorkspace;
    readonly Workspace<T> _evalWorkspace;
    readonly Activation _outputActivation;
    readonly bool _clip;
    readonly T _maxGradientNorm;
    int _epoch;

    // Divergence halvings, as a factor on the schedule's rate (without a schedule they change the rate itself).
    double _rateScale = 1;
    double _bestValidation = double.PositiveInfinity;
    int _bestEpoch;

    /// <summary>Prepares training; nothing is trained until <see cref="Train"/> or <see cref="RunEpoch"/>.</summary>
    /// <param name="network">The network whose parameters are trained in place.</param>
    /// <param name="optimizer">The update rule, sized for <paramref name="network"/>.</param>
    /// <param name="training">The training set, shaped like the network.</param>
    /// <param name="validation">An optional validation set evaluated each epoch.</param>
    /// <param name="options">Batching and stopping rules; null for the defaults.</param>
    /// <exception cref="ArgumentException">Shapes disagree, or an option is out of range.</exception>
    public Trainer(Network<T> network, IOptimizer<T> optimizer, Dataset<T> training, Dataset<T>? validation = null, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(training);
        options ??= new TrainingOptions();
        options.Validate();
        _clip = options.MaxGradientNorm is not null;
        _maxGradientNorm = T.CreateTruncating(options.MaxGradientNorm ?? 1);
        if (!(T.IsFinite(_maxGradientNorm) && _maxGradientNorm > T.Zero))
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.MaxGradientNorm, $"The maximum gradient norm {options.MaxGradientNorm} is not positive and finite in {typeof(T).Name}.");
        }

        CheckShape(network, training, nameof(training));
        if (validation is not null)
        {
            CheckShape(network, validation, nameof(validation));
        }

        if (optimizer.ParameterCount != network.ParameterCount)
        {
            throw new ArgumentException(
                $"The optimizer is sized for {optimizer.ParameterCount} parameters, the network has {network.ParameterCount}.", nameof(optimizer));
        }

        _network = network;
        _optimizer = optimizer;
        _training = training;
        _validation = validation;
        _options = options;
        _batchSize = Math.Min(options.BatchSize, training.SampleCount);
        _permutation = new int[training.SampleCount];
        for (int i = 0; i < _permutation.Length; i++)
        {
            _permutation[i] = i;
        }

        _random = new ShuffleRandom(unchecked((ulong)options.Seed));
        _batchFeatures = new T[_batchSize * network.InputCount];
        _batchTargets = new T[_batchSize * network.OutputCount];
        _bestParameters = new T[network.ParameterCount];
        _goodParameters = new T[network.ParameterCount];
        _goodOptimizerState = new T[optimizer.State.Length];
        int evalRows = Math.Min(EvaluationChunk, Math.Max(training.SampleCount, validation?.SampleCount ?? 0));
        _trainWorkspace = network.CreateWorkspace(_batchSize, options.Threads);
        _evalWorkspace = network.CreateWorkspace(evalRows, options.Threads);
        _outputActivation = network.GetLayer(network.LayerCount - 1).Activation;
    }

    /// <summary>Epochs completed so far by this trainer.</summary>
    public int Epoch => _epoch;

    /// <summary>
    /// Trains until a stopping rule fires, reporting each epoch to <paramref name="progress"/> (synchronously, on
    /// this thread). The rules are checked after each completed epoch, in this order: all correct, bit fails, target
    /// loss, early stopping, time budget, maximum epochs (of this call); cancellation also between batches, and an
    /// epoch cut short is neither counted nor reported.
    /// </summary>
    public TrainingResult Train(IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        long start = Stopwatch.GetTimestamp();
        int startEpoch = _epoch;
        EpochReport last = new(
            0, double.NaN, double.NaN, double.NaN, double.NaN, -1, double.NaN, double.NaN, double.NaN, double.NaN, -1, double.NaN, TimeSpan.Zero);
        StopReason reason;
        int retries = 0;
        while (true)
        {
            EpochReport report = default;
            EpochOutcome outcome = cancellationToken.IsCancellationRequested
                ? EpochOutcome.Cancelled
                : RunEpochCore(out report, start, cancellationToken);
            if (outcome == EpochOutcome.Cancelled)
            {
                reason = StopReason.Cancelled;
                break;
            }

            if (outcome == EpochOutcome.Diverged)
            {
                // RunEpochCore has gone back to the state the epoch began with; try again slower, or stop there.
                if (_options.OnDivergence == DivergencePolicy.HalveLearningRate && retries < _options.MaxDivergenceRetries)
                {
                    retries++;
                    _optimizer.LearningRate /= T.CreateTruncating(2);
                    _rateScale /= 2;
                    // Rprop's learning rate is only Δ₀; its running step sizes are what move the parameters.
                    (_optimizer as Rprop<T>)?.HalveStepSizes();

                    continue;
                }

                reason = StopReason.Diverged;
                break;
            }

            last = report;
            progress?.Report(report);
            if (_validation is not null && report.ValidationLoss < _bestValidation)
            {
                _bestValidation = report.ValidationLoss;
                _bestEpoch = report.Epoch;
                _network.Parameters.CopyTo(_bestParameters);
            }

            if (_options.StopWhenAllCorrect && report.TrainingAccuracy == 1.0)
            {
                reason = StopReason.AllClassifiedCorrectly;
                break;
            }

            if (_options.BitFailLimit is int bitFailLimit && report.TrainingBitFails <= bitFailLimit)
            {
                reason = StopReason.BitFailLimitReached;
                break;
            }

            if (_options.TargetLoss is double target && report.TrainingLoss <= target)
            {
                reason = StopReason.TargetLossReached;
                break;
            }

            if (_validation is not null && _options.Patience > 0 && report.Epoch - _bestEpoch >= _options.Patience)
            {
                // Back to the weights that generalised best, as early stopping promises; if no epoch ever
                // recorded a comparable (non-NaN) validation loss, there is nothing better to go back to.
                if (_bestEpoch > 0)
                {
                    _bestParameters.CopyTo(_network.Parameters);
                }

                reason = StopReason.EarlyStopping;
                break;
            }

            if (_options.TimeBudget is TimeSpan budget && report.Elapsed >= budget)
            {
                reason = StopReason.TimeBudgetExceeded;
                break;
            }

            if (_epoch - startEpoch >= _options.MaxEpochs)
            {
                reason = StopReason.MaxEpochs;
                break;
            }
        }

        bool validated = _validation is not null && _bestEpoch > 0;
        return new TrainingResult(
            reason,
            _epoch - startEpoch,
            last.TrainingLoss,
            last.ValidationLoss,
            validated ? _bestValidation : double.NaN,
            _bestEpoch,
            Stopwatch.GetElapsedTime(start),
            last);
    }

    /// <summary>
    /// Runs one epoch of updates and measures it, without the stopping rules and without the early-stopping
    /// bookkeeping (best validation loss and parameters are recorded by <see cref="Train"/> only). Allocates nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The loss or a parameter became NaN or infinite; the network, optimizer and shuffling state are back where
    /// the epoch began.
    /// </exception>
    public EpochReport RunEpoch()
    {
        if (RunEpochCore(out EpochReport report, Stopwatch.GetTimestamp(), CancellationToken.None) == EpochOutcome.Diverged)
        {
            throw new InvalidOperationException(
                $"Epoch {_epoch + 1} diverged (the loss or a parameter became NaN or infinite); the parameters are back where the epoch began.");
        }

        return report;
    }

    /// <summary>
    /// Everything besides the network's parameters needed to continue this run exactly: the epoch count, the
    /// optimizer's step count, learning rate and state, the shuffling generator's state and the early-stopping
    /// bookkeeping (best validation loss, its epoch and parameters). Save it with the parameters; a fresh trainer
    /// over a network holding those parameters and an optimizer of the same kind, given the same data and options,
    /// continues bit for bit as this one would after <see cref="Restore"/>.
    /// </summary>
    public TrainingCheckpoint<T> CreateCheckpoint()
    {
        ulong[] random = new ulong[ShuffleRandom.StateLength];
        _random.SaveState(random);
        bool best = _bestEpoch > 0;
        return new TrainingCheckpoint<T>
        {
            Epoch = _epoch,
            OptimizerName = _optimizer.GetType().Name,
            OptimizerStepCount = _optimizer.StepCount,
            LearningRate = double.CreateTruncating(_optimizer.LearningRate),
            OptimizerState = _optimizer.State.ToArray(),
            RandomState = random,
            BestValidationLoss = best ? _bestValidation : double.NaN,
            BestEpoch = _bestEpoch,
            BestParameters = best ? (T[])_bestParameters.Clone() : [],
        };
    }

    /// <summary>
    /// Takes back a checkpoint of <see cref="CreateCheckpoint"/>: epoch count, optimizer state, shuffling state and
    /// early-stopping bookkeeping. The network's parameters are not part of it; set them before or after. The
    /// checkpoint is checked completely first, and nothing is changed if any part does not fit.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="checkpoint"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The checkpoint is of another optimizer kind, its optimizer state, generator state or best parameters have the
    /// wrong length, or a value is out of range; the message says which.
    /// </exception>
    public void Restore(TrainingCheckpoint<T> checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        const string Name = nameof(checkpoint);
        string optimizerName = _optimizer.GetType().Name;
        if (checkpoint.OptimizerName != optimizerName)
        {
            throw new ArgumentException($"The checkpoint is of optimizer {checkpoint.OptimizerName}, the trainer's is {optimizerName}.", Name);
        }

        if (checkpoint.OptimizerState is null || checkpoint.OptimizerState.Length != _optimizer.State.Length)
        {
            throw new ArgumentException(
                $"Expected {_optimizer.State.Length} optimizer state values, got {checkpoint.OptimizerState?.Length.ToString() ?? "null"}.", Name);
        }

        if (checkpoint.RandomState is null || !ShuffleRandom.IsValidState(checkpoint.RandomState))
        {
            throw new ArgumentException(
                $"Expected {ShuffleRandom.StateLength} generator state words, not all zero; got {checkpoint.RandomState?.Length.ToString() ?? "null"}.", Name);
        }

        if (checkpoint.Epoch < 0 || checkpoint.OptimizerStepCount < 0)
        {
            throw new ArgumentException(
                $"Expected an epoch and a step count of 0 or more, got {checkpoint.Epoch} and {checkpoint.OptimizerStepCount}.", Name);
        }

        T rate = T.CreateTruncating(checkpoint.LearningRate);
        if (!T.IsFinite(rate) || rate <= T.Zero)
        {
            throw new ArgumentException($"Expected a positive, finite learning rate, got {checkpoint.LearningRate}.", Name);
        }

        if (checkpoint.BestEpoch < 0 || checkpoint.BestEpoch > checkpoint.Epoch)
        {
            throw new ArgumentException($"Expected a best epoch in [0, {checkpoint.Epoch}], got {checkpoint.BestEpoch}.", Name);
        }

        int expectedBest = checkpoint.BestEpoch > 0 ? _network.ParameterCount : 0;
        if (checkpoint.BestParameters is null || checkpoint.BestParameters.Length != expectedBest)
        {
            throw new ArgumentException(
                $"Expected {expectedBest} best parameters for best epoch {checkpoint.BestEpoch}, got {checkpoint.BestParameters?.Length.ToString() ?? "null"}.", Name);
        }

        if (checkpoint.BestEpoch > 0 ? !double.IsFinite(checkpoint.BestValidationLoss) : !double.IsNaN(checkpoint.BestValidationLoss))
        {
            throw new ArgumentException(
                $"Expected a finite best validation loss with a best epoch and NaN without one, got {checkpoint.BestValidationLoss} at epoch {checkpoint.BestEpoch}.", Name);
        }

        if (checkpoint.BestEpoch > 0 && _validation is null)
        {
            throw new ArgumentException("The checkpoint holds a best validation epoch, but this trainer has no validation set.", Name);
        }

        // Everything fits: from here on nothing can fail.
        _epoch = checkpoint.Epoch;
        _optimizer.StepCount = checkpoint.OptimizerStepCount;
        _optimizer.LearningRate = rate;
        checkpoint.OptimizerState.CopyTo(_optimizer.State);
        _random.RestoreState(checkpoint.RandomState);
        _bestEpoch = checkpoint.BestEpoch;
        _bestValidation = _bestEpoch > 0 ? checkpoint.BestValidationLoss : double.PositiveInfinity;
        if (_bestEpoch > 0)
        {
            checkpoint.BestParameters.CopyTo(_bestParameters, 0);
        }
    }

    /// <summary>
    /// Classifies every example of <paramref name="data"/> with the current parameters and counts (actual, predicted)
    /// classes: <see cref="Training.ConfusionMatrix"/> says how classes are read from outputs and targets. Allocates
    /// the matrix only.
    /// </summary>
    /// <param name="data">A dataset shaped like the network (the training set, the validation set or another).</param>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The data's shape differs from the network's.</exception>
    public ConfusionMatrix ConfusionMatrix(Dataset<T> data)
    {
        CheckShape(_network, data, nameof(data));
        int inputs = _network.InputCount, outputs = _network.OutputCount, samples = data.SampleCount;
        var matrix = new ConfusionMatrix(outputs == 1 ? 2 : outputs);
        int chunk = _evalWorkspace.MaxBatch;
        for (int first = 0; first < samples; first += chunk)
        {
            int rows = Math.Min(chunk, samples - first);
            ReadOnlySpan<T> y = _network.Forward(data.Features.Slice(first * inputs, rows * inputs), _evalWorkspace);
            ReadOnlySpan<T> t = data.Targets.Slice(first * outputs, rows * outputs);
            for (int r = 0; r < rows; r++)
            {
                matrix.Add(Classifier.ClassOf(t.Slice(r * outputs, outputs)), Classifier.ClassOf(y.Slice(r * outputs, outputs)));
            }
        }

        return matrix;
    }

    /// <summary>Releases the workspaces.</summary>
    public void Dispose()
    {
        _trainWorkspace.Dispose();
        _evalWorkspace.Dispose();
    }

    EpochOutcome RunEpochCore(out EpochReport report, long start, CancellationToken cancellationToken)
    {
        report = default;
        long epochStart = Stopwatch.GetTimestamp();
        int samples = _training.SampleCount, inputs = _network.InputCount, outputs = _network.OutputCount;
        SaveGoodState();
        if (_options.Shuffle)
        {
            // Fisher-Yates of the identity from the one seeded generator: the order depends only on the generator's
            // state, which a checkpoint holds, and not on the previous epoch's order, which it does not.
            for (int i = 0; i < samples; i++)
            {
                _permutation[i] = i;
            }

            for (int i = samples - 1; i > 0; i--)
            {
                int j = _random.NextInt(i + 1);
                (_permutation[i], _permutation[j]) = (_permutation[j], _permutation[i]);
            }
        }

        ReadOnlySpan<T> features = _training.Features, targets = _training.Targets;
        for (int first = 0; first < samples; first += _batchSize)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return EpochOutcome.Cancelled;
            }

            int rows = Math.Min(_batchSize, samples - first);
            for (int r = 0; r < rows; r++)
            {
                int s = _permutation[first + r];
                features.Slice(s * inputs, inputs).CopyTo(_batchFeatures.AsSpan(r * inputs, inputs));
                targets.Slice(s * outputs, outputs).CopyTo(_batchTargets.AsSpan(r * outputs, outputs));
            }

            T loss = _network.ComputeGradients(
                _batchFeatures.AsSpan(0, rows * inputs), _batchTargets.AsSpan(0, rows * outputs), _trainWorkspace);
            if (!T.IsFinite(loss))
            {
                RestoreGoodState();
                return EpochOutcome.Diverged;
            }

            if (_clip)
            {
                GradientClipping.ClipByGlobalNorm(_trainWorkspace.Gradients, _maxGradientNorm);
            }

            if (_options.Schedule is ILearningRateSchedule schedule)
            {
                _optimizer.LearningRate = T.CreateTruncating(schedule.Rate(_optimizer.StepCount) * _rateScale);
            }

            _optimizer.Step(_network.Parameters, _trainWorkspace.Gradients, loss);
        }

        // A finite last loss does not prove the last update finite: check every parameter once per epoch.
        foreach (T parameter in _network.Parameters)
        {
            if (!T.IsFinite(parameter))
            {
                RestoreGoodState();
                return EpochOutcome.Diverged;
            }
        }

        double seconds = Stopwatch.GetElapsedTime(epochStart).TotalSeconds;
        SetMetrics train = Measure(_training);
        if (!double.IsFinite(train.Loss))
        {
            RestoreGoodState();
            return EpochOutcome.Diverged;
        }

        _epoch++;
        SetMetrics valid = _validation is null ? SetMetrics.None : Measure(_validation);
        report = new EpochReport(
            _epoch, train.Loss, train.Accuracy, train.Mse, train.Mae, train.BitFails,
            valid.Loss, valid.Accuracy, valid.Mse, valid.Mae, valid.BitFails,
            seconds > 0 ? samples / seconds : double.PositiveInfinity, Stopwatch.GetElapsedTime(start));
        return EpochOutcome.Completed;
    }

    void SaveGoodState()
    {
        _network.Parameters.CopyTo(_goodParameters);
        _optimizer.State.CopyTo(_goodOptimizerState);
        _goodStepCount = _optimizer.StepCount;
        _random.SaveState(_goodRandom);
    }

    void RestoreGoodState()
    {
        _goodParameters.CopyTo(_network.Parameters);
        _goodOptimizerState.CopyTo(_optimizer.State);
        _optimizer.StepCount = _goodStepCount;
        _random.RestoreState(_goodRandom);
    }

    // Every per-set measure of the current parameters from one forward pass per chunk: the loss from the outputs and
    // logits the pass leaves in the workspace, the rest from the outputs. Contiguous chunks, so no gathering.
    SetMetrics Measure(Dataset<T> data)
    {
        int inputs = _network.InputCount, outputs = _network.OutputCount, samples = data.SampleCount;
        int chunk = _evalWorkspace.MaxBatch;
        // FANN halves the difference of symmetric (tanh) outputs, so that one threshold fits [-1, 1] and [0, 1].
        double bitFailScale = _outputActivation == Activation.Tanh ? 0.5 : 1.0;
        double threshold = _options.BitFailThreshold;
        double lossSum = 0, squareSum = 0, absoluteSum = 0;
        int correct = 0, bitFails = 0;
        for (int first = 0; first < samples; first += chunk)
        {
            int rows = Math.Min(chunk, samples - first);
            ReadOnlySpan<T> y = _network.Forward(data.Features.Slice(first * inputs, rows * inputs), _evalWorkspace);
            ReadOnlySpan<T> t = data.Targets.Slice(first * outputs, rows * outputs);

            // The loss function returns the chunk's mean; weight it by the chunk's rows for the set's mean.
            T loss = LossFunction.Evaluate(_network.Loss, _outputActivation, _evalWorkspace.Logits(rows), y, t, rows, outputs, Span<T>.Empty);
            lossSum += double.CreateTruncating(loss) * rows;
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<T> yr = y.Slice(r * outputs, outputs), tr = t.Slice(r * outputs, outputs);
                if (Classifier.ClassOf(yr) == Classifier.ClassOf(tr))
                {
                    correct++;
                }

                for (int j = 0; j < outputs; j++)
                {
                    double difference = Math.Abs(double.CreateTruncating(yr[j]) - double.CreateTruncating(tr[j]));
                    squareSum += difference * difference;
                    absoluteSum += difference;
                    if (difference * bitFailScale >= threshold)
                    {
                        bitFails++;
                    }
                }
            }
        }

        double values = (double)samples * outputs;
        return new SetMetrics(lossSum / samples, (double)correct / samples, squareSum / values, absoluteSum / values, bitFails);
    }

    static void CheckShape(Network<T> network, Dataset<T> data, string name)
    {
        ArgumentNullException.ThrowIfNull(data, name);
        if (data.InputCount != network.InputCount || data.OutputCount != network.OutputCount)
        {
            throw new ArgumentException(
                $"The data have {data.InputCount} inputs and {data.OutputCount} outputs, the network {network.InputCount} and {network.OutputCount}.", name);
        }
    }

    enum EpochOutcome
    {
        Completed,
        Cancelled,
        Diverged,
    }

    readonly record struct SetMetrics(double Loss, double Accuracy, double Mse, double Mae, int BitFails)
    {
        public static SetMetrics None => new(double.NaN, double.NaN, double.NaN, double.NaN, -1);
    }

    static class Classifier
    {
        // One output: two classes split at 0.5. Several: the index of the largest value, the first on ties.
        public static int ClassOf(ReadOnlySpan<T> v) => v.Length == 1 ? (v[0] >= T.CreateTruncating(0.5) ? 1 : 0) : ArgMax(v);

        static int ArgMax(ReadOnlySpan<T> v)
        {
            int best = 0;
            for (int i = 1; i < v.Length; i++)
            {
                if (v[i] > v[best])
                {
                    best = i;
                }
            }

            return best;
        }
    }
}
