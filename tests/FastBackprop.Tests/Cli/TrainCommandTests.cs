using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Xml.Linq;
using FastBackprop.Data;
using FastBackprop.Networks;
using FastBackprop.Persistence;
using FastBackprop.Training;
using Xunit;

namespace FastBackprop.Tests.Cli;

public class TrainCommandTests
{
    const int Limit = 300;

    static string RepositoryFile(params string[] parts)
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "FastBackprop.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return Path.Combine([dir ?? throw new InvalidOperationException("repository root not found"), .. parts]);
    }

    // The first `count` digits of data/mnist read straight from the repository's files (not the tool's embedded copy).
    static Dataset<float> RepositoryDigits(string images, string labels, int count)
    {
        Dataset<float> all = IdxFile.LoadDataset<float>(RepositoryFile("data", "mnist", images), RepositoryFile("data", "mnist", labels), classCount: 10);
        return new Dataset<float>(all.Features[..(count * 784)], all.Targets[..(count * 10)], 784, 10);
    }

    static double Accuracy(Network<float> network, Dataset<float> data)
    {
        using Workspace<float> ws = network.CreateWorkspace(1);
        int correct = 0;
        for (int s = 0; s < data.SampleCount; s++)
        {
            ReadOnlySpan<float> y = network.Forward(data.FeatureRow(s), ws);
            ReadOnlySpan<float> t = data.TargetRow(s);
            int best = 0, label = 0;
            for (int j = 1; j < 10; j++)
            {
                best = y[j] > y[best] ? j : best;
                label = t[j] > t[label] ? j : label;
            }

            correct += best == label ? 1 : 0;
        }

        return (double)correct / data.SampleCount;
    }

    [Fact]
    public void Json_summary_is_one_object_whose_fields_match_the_run_and_the_files_it_wrote()
    {
        using TemporaryDirectory dir = CliRun.TemporaryDirectory();
        string model = dir.File("m.fbp"), plot = dir.File("c.svg");
        (int code, string output, string error) = CliRun.Run(
            "train", "--limit", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture), "--epochs", "2", "--layers", "32:tanh",
            "--batch-size", "20", "--seed", "7", "--json", "--out", model, "--plot", plot);
        Assert.True(code == 0, error);
        Assert.Equal(string.Empty, error);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);

        using JsonDocument json = JsonDocument.Parse(lines[0]);
        JsonElement root = json.RootElement;
        Assert.Equal("train", root.GetProperty("command").GetString());
        Assert.Equal("mnist", root.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal(Limit, root.GetProperty("data").GetProperty("trainingSamples").GetInt32());
        Assert.Equal(Limit, root.GetProperty("data").GetProperty("testSamples").GetInt32());
        Assert.Equal("test", root.GetProperty("data").GetProperty("monitor").GetString());

        JsonElement network = root.GetProperty("network");
        Assert.Equal(784, network.GetProperty("inputs").GetInt32());
        Assert.Equal(new[] { (32, "tanh"), (10, "softmax") },
            network.GetProperty("layers").EnumerateArray().Select(l => (l.GetProperty("units").GetInt32(), l.GetProperty("activation").GetString()!)).ToArray());
        Assert.Equal((784 * 32) + 32 + (32 * 10) + 10, network.GetProperty("parameters").GetInt32());
        Assert.Equal("cross-entropy", network.GetProperty("loss").GetString());

        JsonElement training = root.GetProperty("training");
        Assert.Equal("adam", training.GetProperty("optimizer").GetString());
        Assert.Equal(0.001, training.GetProperty("learningRate").GetDouble(), 9);
        Assert.Equal(20, training.GetProperty("batchSize").GetInt32());
        Assert.Equal(7, training.GetProperty("seed").GetInt32());

        Assert.Equal("MaxEpochs", root.GetProperty("result").GetProperty("stopReason").GetString());
        Assert.Equal(2, root.GetProperty("result").GetProperty("epochs").GetInt32());
        JsonElement[] epochs = root.GetProperty("epochs").EnumerateArray().ToArray();
        Assert.Equal(new[] { 1, 2 }, epochs.Select(e => e.GetProperty("epoch").GetInt32()));
        Assert.True(epochs[1].GetProperty("trainingLoss").GetDouble() < epochs[0].GetProperty("trainingLoss").GetDouble());

        // The reported test accuracy is what the saved model scores on the first 300 test digits of the
        // repository's own files, counted here independently of the tool.
        Network<float> saved = ModelFile.Load<float>(model);
        Dataset<float> test = RepositoryDigits(IdxFile.TestImagesFileName, IdxFile.TestLabelsFileName, Limit);
        Dataset<float> train = RepositoryDigits(IdxFile.TrainImagesFileName, IdxFile.TrainLabelsFileName, Limit);
        JsonElement final = root.GetProperty("final");
        Assert.Equal(Limit, final.GetProperty("test").GetProperty("samples").GetInt32());
        Assert.Equal(Accuracy(saved, test), final.GetProperty("test").GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(Accuracy(saved, train), final.GetProperty("training").GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(epochs[1].GetProperty("monitorAccuracy").GetDouble(), final.GetProperty("test").GetProperty("accuracy").GetDouble(), 12);
        Assert.True(final.GetProperty("test").GetProperty("accuracy").GetDouble() > 0.5, "300 digits and 2 epochs already beat chance (10%) by far");

        Assert.Equal(Path.GetFullPath(model), root.GetProperty("files").GetProperty("model").GetString());
        Assert.Equal(Path.GetFullPath(plot), root.GetProperty("files").GetProperty("plot").GetString());
        Assert.Equal(2, XDocument.Load(plot).Descendants().Count(e => (string?)e.Attribute("class") == "panel"));
    }

    [Fact]
    public void Plain_output_has_one_line_per_epoch_and_a_summary_and_none_skips_the_files()
    {
        (int code, string output, string error) = CliRun.Run("train", "--limit", "200", "--epochs", "2", "--layers", "16", "--out", "none", "--plot", "none");
        Assert.True(code == 0, error);
        string[] lines = output.Split('\n');
        Assert.Equal(2, lines.Count(l => l.StartsWith("epoch ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("test:", StringComparison.Ordinal) && l.Contains("held out", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("model:", StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', output); // no terminal escape codes in a pipe
    }

    [Fact]
    public void A_validation_split_is_watched_instead_of_the_test_set_and_early_stopping_needs_one()
    {
        (int code, string output, string error) = CliRun.Run(
            "train", "--limit", "200", "--epochs", "1", "--layers", "8", "--validation-split", "0.25", "--json", "--out", "none", "--plot", "none");
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement data = json.RootElement.GetProperty("data");
        Assert.Equal(150, data.GetProperty("trainingSamples").GetInt32());
        Assert.Equal("validation", data.GetProperty("monitor").GetString());
        Assert.Equal(50, data.GetProperty("monitorSamples").GetInt32());
        Assert.Equal(200, data.GetProperty("testSamples").GetInt32());

        (code, _, error) = CliRun.Run("train", "--limit", "200", "--patience", "2", "--out", "none", "--plot", "none");
        Assert.Equal(1, code);
        Assert.Contains("--validation-split", error, StringComparison.Ordinal);
    }
}
