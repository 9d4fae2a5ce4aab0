namespace FastBackprop.Data;

/// <summary>Whether the first record of a CSV file names the columns.</summary>
public enum CsvHeader
{
    /// <summary>The first record is a header if any of its fields is neither a number nor one of the class names (<see cref="CsvDatasetOptions.ClassNames"/>).</summary>
    Auto,

    /// <summary>The first record is a header.</summary>
    Present,

    /// <summary>Every record is data.</summary>
    Absent,
}
