using System;

namespace FastBackprop.Training;

/// <summary>
/// Counts of (actual class, predicted class) pairs over a set of examples, with the accuracy and each class's
/// precision and recall. <see cref="Trainer{T}.ConfusionMatrix"/> fills one from a dataset; <see cref="Add"/> fills
/// one by hand.
/// </summary>
/// <remarks>
/// The class of a row of several outputs (or targets) is the index of its largest value, the first on ties; a single
/// output stands for two classes, 1 when the value is at least 0.5 and 0 below, as the trainer's accuracy counts.
/// </remarks>
public sealed class ConfusionMatrix
{
    readonly long[] _counts;

    /// <summary>An empty matrix over <paramref name="classCount"/> classes.</summary>
    /// <param name="classCount">Number of classes, at least 2.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is less than 2.</exception>
    public ConfusionMatrix(int classCount)
    {
        if (classCount < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, $"Expected at least 2 classes, got {classCount}.");
        }

        ClassCount = classCount;
        _counts = new long[classCount * classCount];
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Examples counted.</summary>
    public long Total { get; private set; }

    /// <summary>Examples counted on the diagonal: predicted as their actual class.</summary>
    public long Correct { get; private set; }

    /// <summary>Fraction of the examples predicted as their actual class; NaN for an empty matrix.</summary>
    public double Accuracy => Total == 0 ? double.NaN : (double)Correct / Total;

    /// <summary>How many examples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A class is outside [0, <see cref="ClassCount"/>).</exception>
    public long this[int actual, int predicted]
    {
        get
        {
            CheckClass(actual, nameof(actual));
            CheckClass(predicted, nameof(predicted));
            return _counts[(actual * ClassCount) + predicted];
        }
    }

    /// <summary>Counts one example of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A class is outside [0, <see cref="ClassCount"/>); nothing is counted.</exception>
    public void Add(int actual, int predicted)
    {
        CheckClass(actual, nameof(actual));
        CheckClass(predicted, nameof(predicted));
        _counts[(actual * ClassCount) + predicted]++;
        Total++;
        if (actual == predicted)
        {
            Correct++;
        }
    }

    /// <summary>Examples whose actual class is <paramref name="actual"/> (a row sum).</summary>
    public long ActualCount(int actual)
    {
        CheckClass(actual, nameof(actual));
        long sum = 0;
        for (int p = 0; p < ClassCount; p++)
        {
            sum += _counts[(actual * ClassCount) + p];
        }

        return sum;
    }

    /// <summary>Examples predicted as <paramref name="predicted"/> (a column sum).</summary>
    public long PredictedCount(int predicted)
    {
        CheckClass(predicted, nameof(predicted));
        long sum = 0;
        for (int a = 0; a < ClassCount; a++)
        {
            sum += _counts[(a * ClassCount) + predicted];
        }

        return sum;
    }

    /// <summary>
    /// Of the examples predicted as <paramref name="classIndex"/>, the fraction that are of it: TP / (TP + FP); NaN
    /// when nothing was predicted as it.
    /// </summary>
    public double Precision(int classIndex)
    {
        long predicted = PredictedCount(classIndex);
        return predicted == 0 ? double.NaN : (double)_counts[(classIndex * ClassCount) + classIndex] / predicted;
    }

    /// <summary>
    /// Of the examples of class <paramref name="classIndex"/>, the fraction predicted as it: TP / (TP + FN); NaN when
    /// there are none.
    /// </summary>
    public double Recall(int classIndex)
    {
        long actual = ActualCount(classIndex);
        return actual == 0 ? double.NaN : (double)_counts[(classIndex * ClassCount) + classIndex] / actual;
    }

    void CheckClass(int value, string name)
    {
        if ((uint)value >= (uint)ClassCount)
        {
            throw new ArgumentOutOfRangeException(name, value, $"Expected a class in [0, {ClassCount}), got {value}.");
        }
    }
}
