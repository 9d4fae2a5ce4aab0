using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Reports;

namespace FastBackprop.Benchmarks.Results;

/// <summary>
/// How one benchmark report was made: the command that reproduces it, the commit and the date. Written beside
/// BenchmarkDotNet's report as <c>&lt;Type&gt;-run.txt</c> when the run ends, and read by <see cref="ResultsFiler"/>.
/// The processor's <see cref="Results.Microarchitecture"/> goes with it, where it is known, because
/// BenchmarkDotNet's own name for a cloud processor ("AMD EPYC") can stand for several generations.
/// </summary>
public sealed record RunRecord(string Command, string Commit, string Date, string? Microarchitecture = null)
{
    /// <summary>How this program is meant to be started; the arguments after "--" are the recorded ones.</summary>
    public const string CommandPrefix = "dotnet run -c Release --project bench/FastBackprop.Benchmarks --";

    const string SidecarSuffix = "-run.txt";

    /// <summary>The record of the report of type <paramref name="typeFullName"/> in <paramref name="resultsDirectory"/>.</summary>
    public static string PathFor(string resultsDirectory, string typeFullName) =>
        Path.Combine(resultsDirectory, typeFullName + SidecarSuffix);

    /// <summary>Writes a record beside every single-type summary's reports.</summary>
    public static void WriteAll(IEnumerable<Summary> summaries, string[] args)
    {
        var record = new RunRecord(
            CommandPrefix + string.Concat(args.Select(a => " " + Quote(a))),
            Git.Commit(),
            DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            Results.Microarchitecture.Current());
        foreach (var summary in summaries)
        {
            // BenchmarkDotNet names a report after its type when the summary holds one type (the default
            // without --join); a joined summary has no per-bench report to file.
            var types = summary.BenchmarksCases.Select(c => c.Descriptor.Type).Distinct().ToArray();
            if (types.Length != 1 || summary.ResultsDirectoryPath is null)
            {
                continue;
            }

            string path = PathFor(summary.ResultsDirectoryPath, types[0].FullName!);
            string microarchitecture = record.Microarchitecture is { } name ? $"microarchitecture: {name}\n" : "";
            File.WriteAllText(path, $"command: {record.Command}\ncommit: {record.Commit}\ndate: {record.Date}\n{microarchitecture}");
        }
    }

    /// <summary>The record at <paramref name="path"/>, or null when there is none.</summary>
    public static RunRecord? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in File.ReadAllLines(path))
        {
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0)
            {
                values[line[..colon]] = line[(colon + 2)..];
            }
        }

        return values.TryGetValue("command", out string? command)
            && values.TryGetValue("commit", out string? commit)
            && values.TryGetValue("date", out string? date)
            ? new RunRecord(command, commit, date, values.GetValueOrDefault("microarchitecture"))
            : null;
    }

    /// <summary>Quotes an argument for a POSIX shell when it holds anything but plain word characters.</summary>
    static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c, StringComparison.Ordinal))
            ? arg
            : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
