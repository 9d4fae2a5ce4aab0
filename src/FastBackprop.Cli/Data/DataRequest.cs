namespace FastBackprop.Cli.Data;

/// <summary>Which data a command reads: a path (or the embedded MNIST digits) and how to interpret it.</summary>
internal sealed record DataRequest
{
    /// <summary>A directory of IDX files, a .csv file or a FANN .data file; null for the embedded MNIST digits.</summary>
    public string? Path { get; init; }

    /// <summary>A separate held-out test file in the same format, or null.</summary>
    public string? TestPath { get; init; }

    /// <summary>CSV: the label column, by header name or zero-based index; null for the last column.</summary>
    public string? LabelColumn { get; init; }

    /// <summary>CSV: the class labels as names, class 0 first; null for class numbers.</summary>
    public System.Collections.Generic.IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>CSV: targets are numbers to fit, not class labels.</summary>
    public bool Regression { get; init; }

    /// <summary>Use only the first this many training (and test) samples; null for all.</summary>
    public int? Limit { get; init; }
}
