using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace FastBackprop.Tests.Cli;

public class FannTrainingTests
{
    // FANN's own xor.data layout: "pairs inputs outputs", then input and output lines.
    const string Xor = "4 2 1\n0 0\n0\n0 1\n1\n1 0\n1\n1 1\n0\n";

    [Fact]
    public void A_fann_file_trains_to_every_case_right_and_predict_gives_the_xor_table()
    {
        using TemporaryDirectory dir = CliRun.TemporaryDirectory();
        File.WriteAllText(dir.File("xor.data"), Xor);
        (int code, string output, string error) = CliRun.Run(
            "train", "--data", dir.File("xor.data"), "--layers", "8:tanh", "--batch-size", "4", "--epochs", "2000", "--learning-rate", "0.05",
            "--stop-when-all-correct", "--seed", "2", "--json", "--out", dir.File("xor.fbp"), "--plot", "none");
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.Equal("xor", root.GetProperty("data").GetProperty("name").GetString());
        Assert.True(root.GetProperty("data").GetProperty("classification").GetBoolean());
        Assert.Equal("binary-cross-entropy", root.GetProperty("network").GetProperty("loss").GetString());
        Assert.Equal("AllClassifiedCorrectly", root.GetProperty("result").GetProperty("stopReason").GetString());
        Assert.Equal(1.0, root.GetProperty("final").GetProperty("training").GetProperty("accuracy").GetDouble());

        File.WriteAllText(dir.File("in.csv"), "0,0\n0,1\n1,0\n1,1\n");
        (code, output, error) = CliRun.Run("predict", "--model", dir.File("xor.fbp"), "--input", dir.File("in.csv"));
        Assert.True(code == 0, error);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("output_0,class", lines[0]);
        Assert.Equal(new[] { "0", "1", "1", "0" }, lines.Skip(1).Select(l => l.Split(',')[1]));
    }

    [Fact]
    public void A_malformed_fann_file_is_one_line_naming_the_line()
    {
        using TemporaryDirectory dir = CliRun.TemporaryDirectory();
        File.WriteAllText(dir.File("bad.data"), "2 2 1\n0 0\n0\n0 x\n1\n");
        (int code, _, string error) = CliRun.Run("train", "--data", dir.File("bad.data"), "--out", "none", "--plot", "none");
        Assert.Equal(1, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("line 4", error, StringComparison.Ordinal);
    }
}
