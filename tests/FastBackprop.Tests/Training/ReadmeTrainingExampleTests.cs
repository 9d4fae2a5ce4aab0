using System;
using System.IO;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using FastBackprop.Optimizers;
using FastBackprop.Training;
using Xunit;

namespace FastBackprop.Tests.Training;

/// <summary>
/// Keeps the README's training example honest: the code between the markers below is compiled and run here, and the
/// README's "Training loop" section must show exactly those lines (as ReadmeExampleTests does for the first example).
/// </summary>
public class ReadmeTrainingExampleTests
{
    [Fact]
    public void The_example_trains_three_classes_and_reports_every_epoch()
    {
        using var log = new StringWriter();
        (TrainingResult result, ConfusionMatrix confusion) = TrainThreeClasses(log);

        Assert.True(
            result.Reason is StopReason.AllClassifiedCorrectly or StopReason.BitFailLimitReached,
            $"stopped by {result.Reason} after {result.Epochs} epochs");
        Assert.InRange(result.Epochs, 1, 199);
        Assert.Equal(1.0, result.LastReport.TrainingAccuracy);

        // One line per epoch, the last one the result's.
        string[] lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(result.Epochs + 2, lines.Length);
        Assert.StartsWith($"epoch {result.Epochs}:", lines[result.Epochs - 1], StringComparison.Ordinal);

        // The validation points come from the same three well-separated clusters.
        Assert.Equal(60, confusion.Total);
        Assert.True(confusion.Accuracy >= 0.95, $"validation accuracy {confusion.Accuracy}");
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(20, confusion.ActualCount(c));
        }
    }

    [Fact]
    public void The_readme_shows_the_example_as_compiled()
    {
        string root = RepositoryRoot();
        string source = File.ReadAllText(Path.Combine(root, "tests", "FastBackprop.Tests", "Training", "ReadmeTrainingExampleTests.cs"));
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        const string Begin = "// README training example begins\n", End = "    // README training example ends";
        int start = source.IndexOf(Begin, StringComparison.Ordinal) + Begin.Length;
        int end = source.IndexOf(End, start, StringComparison.Ordinal);
        string[] lines = source[start..end].Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        string example = string.Join('\n', Array.ConvertAll(lines, l => l.Length >= 4 ? l[4..] : l.TrimStart()));

        int section = readme.IndexOf("\n## Training loop\n", StringComparison.Ordinal);
        int next = readme.IndexOf("\n## ", section + 1, StringComparison.Ordinal);
        Assert.True(section >= 0 && next > section, "README.md has no \"## Training loop\" section");
        Assert.Contains(example, readme[section..next], StringComparison.Ordinal);
    }

    // README training example begins
    static (TrainingResult Result, ConfusionMatrix Validation) TrainThreeClasses(TextWriter log)
    {
        // 300 points in three clusters around (cos 2πc/3, sin 2πc/3), c = 0, 1, 2: 240 train, 60 validate.
        var random = new Random(1);
        float[] features = new float[300 * 2];
        int[] labels = new int[300];
        for (int i = 0; i < 300; i++)
        {
            labels[i] = i % 3;
            double angle = 2 * Math.PI * labels[i] / 3;
            features[2 * i] = (float)(Math.Cos(angle) + (0.4 * (random.NextDouble() - 0.5)));
            features[(2 * i) + 1] = (float)(Math.Sin(angle) + (0.4 * (random.NextDouble() - 0.5)));
        }

        Dataset<float> training = Dataset<float>.FromClassLabels(features.AsSpan(0, 480), 2, labels.AsSpan(0, 240), 3);
        Dataset<float> validation = Dataset<float>.FromClassLabels(features.AsSpan(480), 2, labels.AsSpan(240), 3);

        var net = new Network<float>(inputs: 2, Loss.SoftmaxCrossEntropy,
            new LayerSpec(8, Activation.Tanh),
            new LayerSpec(3, Activation.Softmax));
        net.InitializeWeights(seed: 1);
        var adam = new Adam<float>(net.ParameterCount, learningRate: 0.02);

        var options = new TrainingOptions
        {
            BatchSize = 16,                       // mini-batches in a fresh seeded order each epoch
            Seed = 7,
            Schedule = new LinearWarmupSchedule(new CosineSchedule(0.02, 0.002, steps: 3_000), warmupSteps: 30),
            MaxGradientNorm = 5,                  // clip each batch's gradient to norm 5
            Threads = 1,
            MaxEpochs = 200,                      // any rule that fires stops training:
            StopWhenAllCorrect = true,            // every training example classified correctly,
            BitFailLimit = 0,                     // no output 0.35 or more off its target (FANN's rule),
            Patience = 20,                        // 20 epochs without a better validation loss,
            TimeBudget = TimeSpan.FromMinutes(1), // or a minute gone (and a CancellationToken, if given).
        };

        using var trainer = new Trainer<float>(net, adam, training, validation, options);
        TrainingResult result = trainer.Train(new EpochLog(log));
        log.WriteLine($"stopped by {result.Reason} after {result.Epochs} epochs");

        ConfusionMatrix confusion = trainer.ConfusionMatrix(validation);
        log.WriteLine($"validation accuracy {confusion.Accuracy:P1}, recall of class 0 {confusion.Recall(0):P1}");
        return (result, confusion);
    }

    // Reports arrive synchronously, on the training thread, once per completed epoch.
    sealed class EpochLog(TextWriter log) : IProgress<EpochReport>
    {
        public void Report(EpochReport r) =>
            log.WriteLine($"epoch {r.Epoch}: loss {r.TrainingLoss:F4}, accuracy {r.TrainingAccuracy:P0}, " +
                $"MSE {r.TrainingMse:F4}, bit fails {r.TrainingBitFails}, validation loss {r.ValidationLoss:F4}, " +
                $"{r.SamplesPerSecond:F0} samples/s");
    }
    // README training example ends

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FastBackprop.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("FastBackprop.sln not found above " + AppContext.BaseDirectory);
    }
}
