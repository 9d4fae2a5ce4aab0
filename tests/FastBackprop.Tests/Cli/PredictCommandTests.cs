using System;
using System.Globalization;
using System.IO;
using System.Linq;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using FastBackprop.Persistence;
using Xunit;

namespace FastBackprop.Tests.Cli;

public class PredictCommandTests
{
    static Network<float> SavedClassifier(string path)
    {
        var network = new Network<float>(3, Loss.SoftmaxCrossEntropy, new LayerSpec(5, Activation.Tanh), new LayerSpec(4, Activation.Softmax));
        network.InitializeWeights(seed: 3);
        ModelFile.Save(path, network);
        return network;
    }

    static readonly float[][] s_rows = [[0.5f, -1.25f, 2f], [0f, 0f, 0f], [1e-3f, 7.5f, -0.3f], [-2f, 0.125f, 1f]];

    [Fact]
    public void Csv_in_csv_out_round_trips_the_models_outputs_exactly_with_the_class()
    {
        using TemporaryDirectory dir = CliRun.TemporaryDirectory();
        Network<float> network = SavedClassifier(dir.File("m.fbp"));
        File.WriteAllText(dir.File("in.csv"), "a,b,c\n" + string.Join("\n", s_rows.Select(r => string.Join(",", r.Select(v => v.ToString("R", CultureInfo.InvariantCulture))))) + "\n\n");

        (int code, string output, string error) = CliRun.Run("predict", "--model", dir.File("m.fbp"), "--input", dir.File("in.csv"), "--output", dir.File("out.csv"));
        Assert.True(code == 0, error);
        Assert.Equal(string.Empty, output);
        string[] lines = File.ReadAllLines(dir.File("out.csv"));
        Assert.Equal("output_0,output_1,output_2,output_3,class", lines[0]);
        Assert.Equal(s_rows.Length + 1, lines.Length);

        // The same rows through the library in one batch, as the tool sends them (a batch of one may round differently).
        using Workspace<float> ws = network.CreateWorkspace(s_rows.Length);
        float[] all = network.Forward(s_rows.SelectMany(r => r).ToArray(), ws).ToArray();
        for (int r = 0; r < s_rows.Length; r++)
        {
            float[] expected = all[(r * 4)..((r + 1) * 4)];
            string[] fields = lines[r + 1].Split(',');
            float[] got = fields[..4].Select(f => float.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(expected, got); // "R" formatting: bit for bit
            Assert.Equal(Array.IndexOf(expected, expected.Max()), int.Parse(fields[4], CultureInfo.InvariantCulture));
            Assert.Equal(1.0, got.Sum(), 5); // softmax outputs
        }
    }

    [Fact]
    public void Without_output_the_csv_goes_to_standard_output()
    {
        using TemporaryDirectory dir = CliRun.TemporaryDirectory();
        SavedClassifier(dir.File("m.fbp"));
        File.WriteAllText(dir.File("in.csv"), "1,2,3\n");
        (int code, string output, _) = CliRun.Run("predict", "--model", dir.File("m.fbp"), "--input", dir.File("in.csv"));
        Assert.Equal(0, code);
        Assert.Equal(2, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory]
    [InlineData("1,2,3\n4,5\n", "line 2", "expected 3")]
    [InlineData("x,y,z\n1,2,3\n1,two,3\n", "line 3, column 2", "'two'")]
    [InlineData("1,2,NaN\n", "line 1, column 3", "'NaN'")]
    public void Malformed_input_names_the_line_and_leaves_the_output_file_alone(string csv, string where, string what)
    {
        using TemporaryDirectory dir = CliRun.TemporaryDirectory();
        SavedClassifier(dir.File("m.fbp"));
        File.WriteAllText(dir.File("in.csv"), csv);
        File.WriteAllText(dir.File("out.csv"), "previous");
        (int code, string output, string error) = CliRun.Run("predict", "--model", dir.File("m.fbp"), "--input", dir.File("in.csv"), "--output", dir.File("out.csv"));
        Assert.Equal(1, code);
        Assert.Contains(where, error, StringComparison.Ordinal);
        Assert.Contains(what, error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("previous", File.ReadAllText(dir.File("out.csv")));
        Assert.Equal(string.Empty, output);
    }
}
