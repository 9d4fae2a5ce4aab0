using System;
using System.IO;
using System.Linq;
using System.Text;

namespace FastBackprop.Benchmarks.Results;

/// <summary>
/// Regenerates what lies between <see cref="Begin"/> and <see cref="End"/> in README.md from the filed reports
/// (bench/results/&lt;cpu&gt;/&lt;Bench&gt;.md and Versions.txt), so that the README quotes only filed numbers.
/// </summary>
public static class ReadmeBenchmarks
{
    public const string Begin = "<!-- BENCHMARKS:BEGIN -->";

    public const string End = "<!-- BENCHMARKS:END -->";

    /// <summary>Rewrites the section of <paramref name="readmePath"/>; false, with the reason, when the markers are missing.</summary>
    public static bool Update(string readmePath, string resultsFolder, out string? problem)
    {
        string text = File.ReadAllText(readmePath).Replace("\r\n", "\n", StringComparison.Ordinal);
        int begin = text.IndexOf(Begin + "\n", StringComparison.Ordinal);
        int end = text.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            problem = $"{readmePath} lacks the lines {Begin} and {End} (in that order) around its benchmark tables.";
            return false;
        }

        begin += Begin.Length + 1;
        File.WriteAllText(readmePath, string.Concat(text.AsSpan(0, begin), Generate(resultsFolder), text.AsSpan(end)));
        problem = null;
        return true;
    }

    /// <summary>Per CPU folder and filed bench: a heading, the environment in an ini block, the table and its provenance.</summary>
    public static string Generate(string resultsFolder)
    {
        var text = new StringBuilder();
        string[] folders = Directory.Exists(resultsFolder)
            ? Directory.GetDirectories(resultsFolder).Order(StringComparer.Ordinal).ToArray()
            : [];
        foreach (string folder in folders)
        {
            var versions = VersionsFile.Read(folder);
            foreach (string path in Directory.GetFiles(folder, "*.md").Order(StringComparer.Ordinal))
            {
                var report = BenchReport.Read(path);
                report.Microarchitecture = versions.Get(report.Bench, VersionsFile.MicroarchitectureKey);
                text.Append("#### ").Append(report.CpuName).Append(" – ").Append(report.Bench)
                    .Append(" (").Append(report.RuntimeShort).Append(")\n\n");
                text.Append("```ini\n");
                foreach (string line in report.Header)
                {
                    text.Append(line).Append('\n');
                }

                text.Append("```\n\n");

                // BenchmarkDotNet bolds rows to mark parameter groups; in a README every row came out bold.
                text.Append(report.Table.Replace("**", "", StringComparison.Ordinal)).Append("\n\n");
                string commit = versions.Get(report.Bench, "commit") ?? "unknown";
                string date = versions.Get(report.Bench, "date") ?? "unknown";
                string command = versions.Get(report.Bench, "command") ?? "not recorded";
                text.Append("Commit `").Append(commit).Append("`, ").Append(date).Append("; reproduce with `")
                    .Append(command).Append("`.\n\n");
            }
        }

        if (text.Length == 0)
        {
            text.Append("No results filed yet: see bench/README.md.\n\n");
        }

        return text.ToString();
    }
}
