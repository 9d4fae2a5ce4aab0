using System;
using Xunit;

namespace FastBackprop.Tests.Cli;

public class ArgumentErrorTests
{
    static void AssertOneLineError(string[] args, int expectedCode, string mustContain)
    {
        (int code, string output, string error) = CliRun.Run(args);
        Assert.Equal(expectedCode, code);
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line, got:\n{error}");
        Assert.StartsWith("fastbackprop: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(mustContain, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal); // no stack trace
        Assert.Equal(string.Empty, output);
    }

    [Theory]
    [InlineData(new[] { "train", "--no-such-option" }, "--no-such-option")]
    [InlineData(new[] { "train", "--epochs", "many" }, "many")]
    [InlineData(new[] { "frobnicate", "now" }, "frobnicate")]
    [InlineData(new[] { "predict", "--input", "x.csv" }, "--model")]
    [InlineData(new[] { "eval" }, "--model")]
    public void A_malformed_command_line_is_one_line_and_exit_code_2(string[] args, string mustContain) =>
        AssertOneLineError(args, 2, mustContain);

    [Theory]
    [InlineData(new[] { "train", "--layers", "12x", "--out", "none", "--plot", "none" }, "'12x'")]
    [InlineData(new[] { "train", "--layers", "8:swish", "--out", "none", "--plot", "none" }, "swish")]
    [InlineData(new[] { "train", "--optimizer", "lbfgs", "--out", "none", "--plot", "none" }, "lbfgs")]
    [InlineData(new[] { "train", "--loss", "hinge", "--out", "none", "--plot", "none" }, "hinge")]
    [InlineData(new[] { "train", "--epochs", "0", "--out", "none", "--plot", "none" }, "--epochs")]
    [InlineData(new[] { "train", "--data", "/no/such/place.csv", "--out", "none", "--plot", "none" }, "/no/such/place.csv")]
    [InlineData(new[] { "train", "--limit", "50", "--plot", "curves.png", "--out", "none" }, ".svg")]
    [InlineData(new[] { "eval", "--model", "/no/such/model.fbp" }, "/no/such/model.fbp")]
    [InlineData(new[] { "bench", "--workloads", "W9" }, "W9")]
    [InlineData(new[] { "gradcheck", "--layers", "0:tanh" }, "'0:tanh'")]
    [InlineData(new[] { "train", "--label", "species", "--out", "none", "--plot", "none" }, "CSV")]
    public void A_bad_value_is_one_line_and_exit_code_1(string[] args, string mustContain) =>
        AssertOneLineError(args, 1, mustContain);

    [Fact]
    public void Help_works_for_every_command()
    {
        foreach (string[] args in new[] { new[] { "--help" }, ["train", "--help"], ["eval", "--help"], ["predict", "--help"], ["bench", "--help"], ["gradcheck", "--help"], ["example", "--help"] })
        {
            (int code, string output, string error) = CliRun.Run(args);
            Assert.True(code == 0, string.Join(' ', args) + ": " + error);
            Assert.Contains("Usage:", output, StringComparison.Ordinal);
            Assert.Contains("--help", output, StringComparison.Ordinal);
        }
    }
}
