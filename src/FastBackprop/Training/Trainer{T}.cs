using System;
using System.Diagnostics;
using System.Numerics;
using System.Threading;
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
    readonly Random _random;
    readonly T[] _batchFeatures;
    readonly T[] _batchTargets;
    readonly T[] _bestParameters;
    readonly Workspace<T> _trainWorkspace;
    readonly Workspace<T> _evalWorkspace;
    int _epoch;

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

        _random = new Random(options.Seed);
        _batchFeatures = new T[_batchSize * network.InputCount];
        _batchTargets = new T[_batchSize * network.OutputCount];
        _bestParameters = new T[network.ParameterCount];
        int evalRows = Math.Min(EvaluationChunk, Math.Max(training.SampleCount, validation?.SampleCount ?? 0));
        _trainWorkspace = network.CreateWorkspace(_batchSize, options.Threads);
        _evalWorkspace = network.CreateWorkspace(evalRows, options.Threads);
    }

    /// <summary>Epochs completed so far by this trainer.</summary>
    public int Epoch => _epoch;

    /// <summary>
    /// Trains until a stopping rule fires, reporting each epoch to <paramref name="progress"/> (synchronously, on
    /// this thread). Cancellation is checked between batches; an epoch cut short is not reported.
    /// </summary>
    public TrainingResult Train(IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        long start = Stopwatch.GetTimestamp();
        double bestValidation = double.PositiveInfinity;
        int bestEpoch = 0, startEpoch = _epoch;
        EpochReport last = new(0, double.NaN, double.NaN, double.NaN, double.NaN, 0, TimeSpan.Zero);
        StopReason reason;
        while (true)
        {
            if (cancellationToken.IsCancellationRequested || !RunEpochCore(out EpochReport report, start, cancellationToken))
            {
                reason = StopReason.Cancelled;
                break;
            }

            last = report;
            progress?.Report(report);
            if (_validation is not null && report.ValidationLoss < bestValidation)
            {
                bestValidation = report.ValidationLoss;
                bestEpoch = report.Epoch;
                _network.Parameters.CopyTo(_bestParameters);
            }

            if (_options.StopWhenAllCorrect && report.TrainingAccuracy == 1.0)
            {
                reason = StopReason.AllClassifiedCorrectly;
                break;
            }

            if (_options.TargetLoss is double target && report.TrainingLoss <= target)
            {
                reason = StopReason.TargetLossReached;
                break;
            }

            if (_validation is not null && _options.Patience > 0 && report.Epoch - bestEpoch >= _options.Patience)
            {
                // Back to the weights that generalised best, as early stopping promises.
                _bestParameters.CopyTo(_network.Parameters);
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

        bool validated = _validation is not null && bestEpoch > 0;
        return new TrainingResult(
            reason,
            _epoch - startEpoch,
            last.TrainingLoss,
            last.ValidationLoss,
            validated ? bestValidation : double.NaN,
            bestEpoch,
            Stopwatch.GetElapsedTime(start));
    }

    /// <summary>Runs one epoch of updates and measures it. Allocates nothing.</summary>
    public EpochReport RunEpoch()
    {
        RunEpochCore(out EpochReport report, Stopwatch.GetTimestamp(), CancellationToken.None);
        return report;
    }

    /// <summary>Releases the workspaces.</summary>
    public void Dispose()
    {
        _trainWorkspace.Dispose();
        _evalWorkspace.Dispose();
    }

    bool RunEpochCore(out EpochReport report, long start, CancellationToken cancellationToken)
    {
        report = default;
        long epochStart = Stopwatch.GetTimestamp();
        int samples = _training.SampleCount, inputs = _network.InputCount, outputs = _network.OutputCount;
        if (_options.Shuffle)
        {
            // Fisher-Yates from the one seeded generator: the order depends only on the seed and the epoch.
            for (int i = samples - 1; i > 0; i--)
            {
                int j = _random.Next(i + 1);
                (_permutation[i], _permutation[j]) = (_permutation[j], _permutation[i]);
            }
        }

        ReadOnlySpan<T> features = _training.Features, targets = _training.Targets;
        for (int first = 0; first < samples; first += _batchSize)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return false;
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
            _optimizer.Step(_network.Parameters, _trainWorkspace.Gradients, loss);
        }

        double seconds = Stopwatch.GetElapsedTime(epochStart).TotalSeconds;
        _epoch++;
        (double trainLoss, double trainAccuracy) = Measure(_training);
        (double validLoss, double validAccuracy) = _validation is null ? (double.NaN, double.NaN) : Measure(_validation);
        report = new EpochReport(
            _epoch, trainLoss, trainAccuracy, validLoss, validAccuracy,
            seconds > 0 ? samples / seconds : double.PositiveInfinity, Stopwatch.GetElapsedTime(start));
        return true;
    }

    // Loss and accuracy of the current parameters over a whole set, in contiguous chunks (no gathering needed).
    (double Loss, double Accuracy) Measure(Dataset<T> data)
    {
        int inputs = _network.InputCount, outputs = _network.OutputCount, samples = data.SampleCount;
        int chunk = _evalWorkspace.MaxBatch;
        double lossSum = 0;
        int correct = 0;
        for (int first = 0; first < samples; first += chunk)
        {
            int rows = Math.Min(chunk, samples - first);
            ReadOnlySpan<T> x = data.Features.Slice(first * inputs, rows * inputs);
            ReadOnlySpan<T> t = data.Targets.Slice(first * outputs, rows * outputs);
            // Evaluate returns the chunk's mean; weight it by the chunk's rows for the set's mean.
            lossSum += double.CreateTruncating(_network.Evaluate(x, t, _evalWorkspace)) * rows;
            ReadOnlySpan<T> y = _network.Forward(x, _evalWorkspace);
            for (int r = 0; r < rows; r++)
            {
                if (Classifier.IsCorrect(y.Slice(r * outputs, outputs), t.Slice(r * outputs, outputs)))
                {
                    correct++;
                }
            }
        }

        return (lossSum / samples, (double)correct / samples);
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

    static class Classifier
    {
        // One output: a threshold at 0.5 on both sides. Several: the argmax of outputs must match that of targets.
        public static bool IsCorrect(ReadOnlySpan<T> y, ReadOnlySpan<T> t)
        {
            T half = T.CreateTruncating(0.5);
            if (y.Length == 1)
            {
                return (y[0] >= half) == (t[0] >= half);
            }

            return ArgMax(y) == ArgMax(t);
        }

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
