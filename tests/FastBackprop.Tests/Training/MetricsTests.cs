using System;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using FastBackprop.Optimizers;
using FastBackprop.Training;
using Xunit;

namespace FastBackprop.Tests.Training;

/// <summary>
/// The per-epoch measures (loss, accuracy, MSE, MAE, bit fails) and the confusion matrix against values counted by
/// hand on a network whose outputs are known exactly.
/// </summary>
public class MetricsTests
{
    // One input, two identity outputs: y0 = x + 0.5, y1 = 1 - x, exact in binary for these inputs. The differences
    // y - t are, sample by sample, (0, 0), (-0.25, 0.25), (0, -0.5), (1, -1).
    static readonly double[] s_inputs = [-0.5, -0.25, 0, 0.5];
    static readonly double[] s_targets = [0, 1.5, 0.5, 1.0, 0.5, 1.5, 0, 1.5];

    static Network<double> KnownNet()
    {
        var net = new Network<double>(1, Loss.SquaredError, new LayerSpec(2, Activation.Identity));
        net.Weights(0)[0] = 1;
        net.Weights(0)[1] = -1;
        net.Biases(0)[0] = 0.5;
        net.Biases(0)[1] = 1;
        return net;
    }

    // A learning rate so small that every update is below half an ulp of parameters of magnitude 0.5 or more: the
    // epoch runs, but the parameters it is measured on are still the ones set by hand.
    static Trainer<double> Frozen(Network<double> net, Dataset<double> data, Dataset<double>? validation = null, double threshold = 0.35) =>
        new(net, new Sgd<double>(net.ParameterCount, 1e-300), data, validation,
            new TrainingOptions { BatchSize = TrainingOptions.FullBatch, Shuffle = false, Threads = 1, BitFailThreshold = threshold });

    [Fact]
    public void Epoch_report_measures_match_the_hand_count()
    {
        Network<double> net = KnownNet();
        var data = new Dataset<double>(s_inputs, s_targets, 1, 2);
        using Trainer<double> trainer = Frozen(net, data, data);
        EpochReport report = trainer.RunEpoch();

        Assert.Equal([1, -1, 0.5, 1], net.Parameters.ToArray());

        // Squares 0, 0, 1/16, 1/16, 0, 1/4, 1, 1 (sum 19/8) and magnitudes 0, 0, 1/4, 1/4, 0, 1/2, 1, 1 (sum 3) over
        // 8 values; the squared-error loss is ½ Σ (y - t)² per sample, 19/16 over 4 samples.
        Assert.Equal(19.0 / 64, report.TrainingMse);
        Assert.Equal(3.0 / 8, report.TrainingMae);
        Assert.Equal(19.0 / 64, report.TrainingLoss);

        // Bit fails at 0.35: 0.5, 1 and 1.
        Assert.Equal(3, report.TrainingBitFails);

        // Classes by argmax, the first on ties: outputs 1, 1, 1, 0 against targets 1, 1, 1, 1.
        Assert.Equal(0.75, report.TrainingAccuracy);

        Assert.Equal(report.TrainingMse, report.ValidationMse);
        Assert.Equal(report.TrainingMae, report.ValidationMae);
        Assert.Equal(report.TrainingLoss, report.ValidationLoss);
        Assert.Equal(report.TrainingAccuracy, report.ValidationAccuracy);
        Assert.Equal(report.TrainingBitFails, report.ValidationBitFails);
    }

    [Fact]
    public void A_difference_equal_to_the_threshold_is_a_bit_fail_as_in_FANN()
    {
        // At 0.25 the two differences of exactly 0.25 count too (FANN: |diff| >= bit_fail_limit): 5; just above, 3.
        var data = new Dataset<double>(s_inputs, s_targets, 1, 2);
        using (Trainer<double> at = Frozen(KnownNet(), data, threshold: 0.25))
        {
            Assert.Equal(5, at.RunEpoch().TrainingBitFails);
        }

        using (Trainer<double> above = Frozen(KnownNet(), data, threshold: 0.2500001))
        {
            Assert.Equal(3, above.RunEpoch().TrainingBitFails);
        }

        using Trainer<double> all = Frozen(KnownNet(), data, threshold: 1e-9);
        Assert.Equal(5, all.RunEpoch().TrainingBitFails);
    }

    [Fact]
    public void Tanh_outputs_halve_the_difference_before_the_threshold_as_in_FANN()
    {
        // One tanh unit y = tanh(x + 0.5); targets off by 0.1, 0.6, 0.8 and -0.9: halved 0.05, 0.3, 0.4 and 0.45,
        // so two bit fails at 0.35 (three if the difference were not halved).
        var net = new Network<double>(1, Loss.SquaredError, new LayerSpec(1, Activation.Tanh));
        net.Weights(0)[0] = 1;
        net.Biases(0)[0] = 0.5;
        double[] x = [-1, -0.5, 0.5, 1], offsets = [0.1, 0.6, 0.8, -0.9], t = new double[4];
        for (int i = 0; i < 4; i++)
        {
            t[i] = Math.Tanh(x[i] + 0.5) + offsets[i];
        }

        using Trainer<double> trainer = Frozen(net, new Dataset<double>(x, t, 1, 1));
        EpochReport report = trainer.RunEpoch();
        Assert.Equal(2, report.TrainingBitFails);
        Assert.Equal((0.01 + 0.36 + 0.64 + 0.81) / 4, report.TrainingMse, 12);
        Assert.Equal((0.1 + 0.6 + 0.8 + 0.9) / 4, report.TrainingMae, 12);
    }

    [Fact]
    public void Without_a_validation_set_the_validation_measures_are_absent()
    {
        var data = new Dataset<double>(s_inputs, s_targets, 1, 2);
        using Trainer<double> trainer = Frozen(KnownNet(), data);
        EpochReport report = trainer.RunEpoch();
        Assert.True(double.IsNaN(report.ValidationLoss) && double.IsNaN(report.ValidationAccuracy));
        Assert.True(double.IsNaN(report.ValidationMse) && double.IsNaN(report.ValidationMae));
        Assert.Equal(-1, report.ValidationBitFails);
        Assert.True(report.SamplesPerSecond > 0);
    }

    [Fact]
    public void Confusion_matrix_of_the_known_net_matches_the_hand_count()
    {
        var data = new Dataset<double>(s_inputs, s_targets, 1, 2);
        using Trainer<double> trainer = Frozen(KnownNet(), data);
        ConfusionMatrix m = trainer.ConfusionMatrix(data);

        // (actual, predicted): (1, 1) three times, (1, 0) once.
        Assert.Equal(2, m.ClassCount);
        Assert.Equal(4, m.Total);
        Assert.Equal(0, m[0, 0]);
        Assert.Equal(0, m[0, 1]);
        Assert.Equal(1, m[1, 0]);
        Assert.Equal(3, m[1, 1]);
        Assert.Equal(0.75, m.Accuracy);
        Assert.Equal(0.0, m.Precision(0));
        Assert.True(double.IsNaN(m.Recall(0)), "no example is of class 0");
        Assert.Equal(1.0, m.Precision(1));
        Assert.Equal(0.75, m.Recall(1));
    }

    [Fact]
    public void Confusion_matrix_of_a_single_output_splits_at_one_half()
    {
        // y = x through one identity unit; targets 0/1. Outputs 0.2, 0.5, 0.7, 0.4, 0.9 read as 0, 1, 1, 0, 1
        // against targets 0, 0, 1, 1, 1.
        var net = new Network<double>(1, Loss.SquaredError, new LayerSpec(1, Activation.Identity));
        net.Weights(0)[0] = 1;
        var data = new Dataset<double>([0.2, 0.5, 0.7, 0.4, 0.9], [0, 0, 1, 1, 1], 1, 1);
        using Trainer<double> trainer = Frozen(net, data);
        ConfusionMatrix m = trainer.ConfusionMatrix(data);

        Assert.Equal(1, m[0, 0]);
        Assert.Equal(1, m[0, 1]);
        Assert.Equal(1, m[1, 0]);
        Assert.Equal(2, m[1, 1]);
        Assert.Equal(3.0 / 5, m.Accuracy);
        Assert.Equal(2.0 / 3, m.Precision(1));
        Assert.Equal(2.0 / 3, m.Recall(1));
        Assert.Equal(1.0 / 2, m.Precision(0));
        Assert.Equal(1.0 / 2, m.Recall(0));
    }

    [Fact]
    public void Confusion_matrix_counts_three_classes_by_hand()
    {
        var m = new ConfusionMatrix(3);
        (int Actual, int Predicted)[] pairs = [(0, 0), (0, 0), (0, 1), (1, 1), (1, 2), (2, 2), (2, 2), (2, 0), (2, 2)];
        foreach ((int a, int p) in pairs)
        {
            m.Add(a, p);
        }

        Assert.Equal(9, m.Total);
        Assert.Equal(6, m.Correct);
        Assert.Equal(6.0 / 9, m.Accuracy);
        Assert.Equal(2, m[0, 0]);
        Assert.Equal(1, m[2, 0]);
        Assert.Equal(3, m.ActualCount(0));
        Assert.Equal(4, m.ActualCount(2));
        Assert.Equal(3, m.PredictedCount(0));
        Assert.Equal(4, m.PredictedCount(2));

        // Class 0: TP 2, predicted 3, actual 3. Class 1: TP 1, predicted 2, actual 2. Class 2: TP 3, predicted 4, actual 4.
        Assert.Equal(2.0 / 3, m.Precision(0));
        Assert.Equal(2.0 / 3, m.Recall(0));
        Assert.Equal(1.0 / 2, m.Precision(1));
        Assert.Equal(1.0 / 2, m.Recall(1));
        Assert.Equal(3.0 / 4, m.Precision(2));
        Assert.Equal(3.0 / 4, m.Recall(2));
    }

    [Fact]
    public void Confusion_matrix_accuracy_agrees_with_the_epoch_report_on_a_trained_classifier()
    {
        // Three Gaussian blobs, a 2-6-3 softmax classifier, a few epochs: the two counts of correct examples are
        // made by different code (the epoch's measure and the matrix), and must agree.
        var random = new Random(8);
        const int n = 90;
        double[] x = new double[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 3;
            x[2 * i] = (labels[i] - 1) + (0.6 * (random.NextDouble() - 0.5));
            x[(2 * i) + 1] = (labels[i] == 1 ? 1 : -1) + (0.6 * (random.NextDouble() - 0.5));
        }

        Dataset<double> data = Dataset<double>.FromClassLabels(x, 2, labels, 3);
        var net = new Network<double>(2, Loss.SoftmaxCrossEntropy, new LayerSpec(6, Activation.Tanh), new LayerSpec(3, Activation.Softmax));
        net.InitializeWeights(2);
        using var trainer = new Trainer<double>(net, new Adam<double>(net.ParameterCount, 0.02), data, options: new TrainingOptions { BatchSize = 10, Seed = 4, Threads = 1 });
        EpochReport report = default;
        for (int e = 0; e < 3; e++)
        {
            report = trainer.RunEpoch();
        }

        ConfusionMatrix m = trainer.ConfusionMatrix(data);
        Assert.Equal(n, m.Total);
        Assert.Equal(report.TrainingAccuracy, m.Accuracy);
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(30, m.ActualCount(c));
        }
    }

    [Fact]
    public void Bad_classes_and_shapes_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(1));
        var m = new ConfusionMatrix(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Add(2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Add(0, -1));
        Assert.Equal(0, m.Total);
        Assert.Throws<ArgumentOutOfRangeException>(() => m[0, 2]);

        var data = new Dataset<double>(s_inputs, s_targets, 1, 2);
        using Trainer<double> trainer = Frozen(KnownNet(), data);
        var wrong = new Dataset<double>([1, 2], [0], 2, 1);
        ArgumentException e = Assert.Throws<ArgumentException>(() => trainer.ConfusionMatrix(wrong));
        Assert.Contains("2 inputs and 1 outputs", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { BitFailThreshold = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { BitFailThreshold = double.NaN }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { BitFailLimit = -1 }.Validate());
    }
}
