using System;
using System.Linq;
using System.Text.Json;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using FastBackprop.Persistence;
using Xunit;

namespace FastBackprop.Tests.Cli;

public class OtherCommandTests
{
    [Fact]
    public void Gradcheck_passes_on_a_correct_engine_and_reports_every_block()
    {
        (int code, string output, string error) = CliRun.Run("gradcheck", "--inputs", "3", "--layers", "4:tanh,3:sigmoid", "--outputs", "2", "--json");
        Assert.True(code == 0, error + output);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.True(root.GetProperty("passed").GetBoolean());
        Assert.Equal((3 * 4) + 4 + (4 * 3) + 3 + (3 * 2) + 2, root.GetProperty("parameters").GetInt32());
        JsonElement[] blocks = root.GetProperty("blocks").EnumerateArray().ToArray();
        Assert.Equal(6, blocks.Length);
        Assert.Equal(new[] { 12, 4, 12, 3, 6, 2 }, blocks.Select(b => b.GetProperty("count").GetInt32()));
        Assert.True(root.GetProperty("maxRelativeError").GetDouble() < 1e-5);
    }

    // A tolerance far below what double central differences can reach (their truncation error is ~h² ≈ 1e-12,
    // rounding ~1e-16/h ≈ 1e-10) must fail: the check can fail.
    [Fact]
    public void Gradcheck_fails_when_the_tolerance_is_impossibly_tight()
    {
        (int code, string output, _) = CliRun.Run("gradcheck", "--layers", "4:tanh", "--tolerance", "1e-15", "--step", "1e-2");
        Assert.Equal(1, code);
        Assert.Contains("FAILED", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_json_lists_the_workloads_asked_for()
    {
        (int code, string output, string error) = CliRun.Run("bench", "--workloads", "W1,W5", "--seconds", "0.05", "--json");
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement[] workloads = json.RootElement.GetProperty("workloads").EnumerateArray().ToArray();
        Assert.Equal(new[] { "W1", "W5" }, workloads.Select(w => w.GetProperty("id").GetString()));
        foreach (JsonElement w in workloads)
        {
            Assert.True(w.GetProperty("secondsPerStep").GetDouble() > 0);
            Assert.Equal(1 / w.GetProperty("secondsPerStep").GetDouble(), w.GetProperty("stepsPerSecond").GetDouble(), 6);
        }
    }

    // Seed 001's worked example: E_total 0.298371109 and dE/dw5 0.082167041 (DESIGN.md).
    [Fact]
    public void Example_prints_the_worked_example()
    {
        (int code, string output, _) = CliRun.Run("example");
        Assert.Equal(0, code);
        Assert.Contains("E_total = 0.298371109", output, StringComparison.Ordinal);
        Assert.Contains("dE/dw5 = 0.082167041", output, StringComparison.Ordinal);
        Assert.Contains("all four classified correctly", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_on_the_embedded_test_digits_reports_accuracy_and_a_confusion_matrix()
    {
        using TemporaryDirectory dir = CliRun.TemporaryDirectory();
        // An untrained network with all-zero weights outputs the same scores for every digit: arg-max is class 0
        // everywhere, so the accuracy is exactly the share of zeros among the first 100 test digits.
        var network = new Network<float>(784, Loss.SoftmaxCrossEntropy, new LayerSpec(10, Activation.Softmax));
        network.Parameters.Clear();
        ModelFile.Save(dir.File("zero.fbp"), network);
        (int code, string output, string error) = CliRun.Run("eval", "--model", dir.File("zero.fbp"), "--limit", "100", "--json");
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.Equal("test", root.GetProperty("part").GetString());
        Assert.Equal(100, root.GetProperty("samples").GetInt32());
        int[][] confusion = root.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        Assert.Equal(100, confusion.Sum(r => r.Sum()));
        Assert.All(confusion, r => Assert.Equal(r.Sum(), r[0])); // everything predicted as 0
        Assert.Equal(confusion[0][0] / 100.0, root.GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(Math.Log(10), root.GetProperty("loss").GetDouble(), 1e-5); // uniform softmax: -ln(1/10), in float
    }
}
