using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using Xunit;

namespace FastBackprop.Tests.Cli;

public class CsvTrainingTests
{
    // Points of a 9 x 9 grid on [0, 1]², class 1 above the line x + y = 1, leaving out a margin of 0.1 around it.
    static string Classes(bool labelFirst)
    {
        var text = new StringBuilder(labelFirst ? "label,x,y\n" : "x,y,label\n");
        for (int i = 0; i <= 8; i++)
        {
            for (int j = 0; j <= 8; j++)
            {
                double x = i / 8.0, y = j / 8.0;
                if (Math.Abs(x + y - 1) < 0.1)
                {
                    continue;
                }

                string label = x + y > 1 ? "1" : "0", xy = string.Create(CultureInfo.InvariantCulture, $"{x},{y}");
                text.Append(labelFirst ? $"{label},{xy}\n" : $"{xy},{label}\n");
            }
        }

        return text.ToString();
    }

    [Fact]
    public void A_csv_with_a_named_label_column_trains_a_classifier_and_a_test_file_is_measured()
    {
        using TemporaryDirectory dir = CliRun.TemporaryDirectory();
        File.WriteAllText(dir.File("train.csv"), Classes(labelFirst: true));
        File.WriteAllText(dir.File("test.csv"), "label,x,y\n1,0.9,0.95\n0,0.1,0.2\n");
        (int code, string output, string error) = CliRun.Run(
            "train", "--data", dir.File("train.csv"), "--test", dir.File("test.csv"), "--label", "label", "--layers", "8:tanh",
            "--batch-size", "8", "--epochs", "300", "--learning-rate", "0.03", "--stop-when-all-correct", "--json", "--out", "none", "--plot", "none");
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.Equal(2, root.GetProperty("network").GetProperty("inputs").GetInt32());
        Assert.Equal(2, root.GetProperty("network").GetProperty("layers")[1].GetProperty("units").GetInt32()); // classes 0 and 1, one-hot
        Assert.Equal("cross-entropy", root.GetProperty("network").GetProperty("loss").GetString());
        Assert.Equal(2, root.GetProperty("data").GetProperty("testSamples").GetInt32());
        Assert.True(root.GetProperty("final").GetProperty("training").GetProperty("accuracy").GetDouble() >= 0.95);
        Assert.Equal(1.0, root.GetProperty("final").GetProperty("test").GetProperty("accuracy").GetDouble());
    }

    // y = 2x - z + 0.5 exactly: a network without hidden layer (linear regression) fits it to a tiny loss.
    [Fact]
    public void A_csv_with_regression_targets_fits_numbers_and_reports_no_accuracy()
    {
        using TemporaryDirectory dir = CliRun.TemporaryDirectory();
        var text = new StringBuilder();
        for (int i = 0; i < 40; i++)
        {
            double x = (i % 8) / 8.0, z = (i / 8) / 5.0;
            text.Append(string.Create(CultureInfo.InvariantCulture, $"{x},{z},{(2 * x) - z + 0.5}\n"));
        }

        File.WriteAllText(dir.File("line.csv"), text.ToString());
        (int code, string output, string error) = CliRun.Run(
            "train", "--data", dir.File("line.csv"), "--regression", "--layers", "none", "--batch-size", "40", "--epochs", "2000",
            "--learning-rate", "0.05", "--target-loss", "1e-6", "--json", "--out", "none", "--plot", "none");
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.Equal("squared-error", root.GetProperty("network").GetProperty("loss").GetString());
        Assert.Equal("identity", root.GetProperty("network").GetProperty("layers")[0].GetProperty("activation").GetString());
        Assert.False(root.GetProperty("data").GetProperty("classification").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("final").GetProperty("training").GetProperty("accuracy").ValueKind);
        Assert.True(root.GetProperty("final").GetProperty("training").GetProperty("loss").GetDouble() <= 1e-6);
        Assert.Equal("TargetLossReached", root.GetProperty("result").GetProperty("stopReason").GetString());
    }

    [Fact]
    public void Class_names_in_the_label_column_become_classes_in_the_given_order()
    {
        using TemporaryDirectory dir = CliRun.TemporaryDirectory();
        File.WriteAllText(dir.File("named.csv"), Classes(labelFirst: false).Replace(",1\n", ",high\n", StringComparison.Ordinal).Replace(",0\n", ",low\n", StringComparison.Ordinal));
        (int code, string output, string error) = CliRun.Run(
            "train", "--data", dir.File("named.csv"), "--class-names", "low,high,unused", "--layers", "8:tanh", "--batch-size", "8", "--epochs", "300",
            "--learning-rate", "0.03", "--stop-when-all-correct", "--json", "--out", dir.File("named.fbp"), "--plot", "none");
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal(3, json.RootElement.GetProperty("network").GetProperty("layers")[1].GetProperty("units").GetInt32());

        // "high" is class 1: a point far above the line x + y = 1 must be predicted as 1.
        File.WriteAllText(dir.File("in.csv"), "0.95,0.9\n0.05,0.1\n");
        (code, output, error) = CliRun.Run("predict", "--model", dir.File("named.fbp"), "--input", dir.File("in.csv"));
        Assert.True(code == 0, error);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",1", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",0", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_csv_is_one_line_naming_the_line_and_column()
    {
        using TemporaryDirectory dir = CliRun.TemporaryDirectory();
        File.WriteAllText(dir.File("bad.csv"), "x,y,label\n0.1,0.2,0\n0.3,oops,1\n");
        (int code, _, string error) = CliRun.Run("train", "--data", dir.File("bad.csv"), "--out", "none", "--plot", "none");
        Assert.Equal(1, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("line 3", error, StringComparison.Ordinal);
        Assert.Contains("oops", error, StringComparison.Ordinal);
    }
}
