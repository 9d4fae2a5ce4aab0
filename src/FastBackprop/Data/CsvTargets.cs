namespace FastBackprop.Data;

/// <summary>What a CSV file's target columns hold.</summary>
public enum CsvTargets
{
    /// <summary>One column of class numbers 0, 1, 2, …, made into one-hot target rows (classification).</summary>
    ClassLabel,

    /// <summary>One or more columns of continuous values, taken as they are (regression).</summary>
    Regression,
}
