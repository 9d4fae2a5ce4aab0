using System;
using System.CommandLine;

namespace FastBackprop.Cli.Common;

/// <summary>The options that say which data a command reads, shared by <c>train</c> and <c>eval</c>.</summary>
internal sealed class DataOptions
{
    public Option<string?> Data { get; } = new("--data", "-d")
    {
        Description = "Training data: a directory of IDX files (train-images-idx3-ubyte[.gz] and so on), a .csv file or a FANN .data file. Default: the 10,000 MNIST digits embedded in the tool.",
        HelpName = "PATH",
    };

    public Option<string?> Test { get; } = new("--test")
    {
        Description = "A held-out test file in the same format (an IDX directory's t10k files are found by themselves).",
        HelpName = "PATH",
    };

    public Option<string?> Label { get; } = new("--label")
    {
        Description = "CSV: the label column, by header name or zero-based index (default: the last column).",
        HelpName = "COLUMN",
    };

    public Option<string?> ClassNames { get; } = new("--class-names")
    {
        Description = "CSV: the labels are these names, comma-separated, class 0 first (e.g. setosa,versicolor,virginica); default: class numbers from 0.",
        HelpName = "LIST",
    };

    public Option<bool> Regression { get; } = new("--regression")
    {
        Description = "CSV: the target column holds numbers to fit, not class labels.",
    };

    public Option<int?> Limit { get; } = new("--limit")
    {
        Description = "Use only the first N training samples and the first N test samples (quick tries).",
        HelpName = "N",
    };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Data);
        command.Options.Add(Test);
        command.Options.Add(Label);
        command.Options.Add(ClassNames);
        command.Options.Add(Regression);
        command.Options.Add(Limit);
    }

    /// <summary>The request the parsed options make.</summary>
    public Data.DataRequest Read(ParseResult parse) => new()
    {
        Path = parse.GetValue(Data),
        TestPath = parse.GetValue(Test),
        LabelColumn = parse.GetValue(Label),
        ClassNames = parse.GetValue(ClassNames) is string names
            ? names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : null,
        Regression = parse.GetValue(Regression),
        Limit = parse.GetValue(Limit),
    };
}
