using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace FastBackprop.Benchmarks.Results;

/// <summary>
/// A BenchmarkDotNet GitHub-markdown report (<c>*-report-github.md</c>) taken apart: the environment block
/// BenchmarkDotNet prints first (its version, OS, CPU, SDK, runtimes and job) and the results table after it.
/// </summary>
public sealed partial class BenchReport
{
    const string Fence = "```";

    BenchReport(string bench, List<string> header, string table)
    {
        Bench = bench;
        Header = header;
        Table = table;
        string first = header.FirstOrDefault(l => l.StartsWith("BenchmarkDotNet ", StringComparison.Ordinal)) ?? "";
        int firstIndex = Math.Max(0, header.IndexOf(first));
        BenchmarkDotNet = first.Length > 0 ? Before(first["BenchmarkDotNet ".Length..], ',') : "unknown";
        Os = After(first, ',');

        // The CPU line follows the BenchmarkDotNet line: "<name>[ <frequency>], 1 CPU, 2 logical and 2 physical cores".
        Cpu = header.Count > firstIndex + 1 ? Before(header[firstIndex + 1], ',') : "Unknown CPU";
        Sdk = header.FirstOrDefault(l => l.StartsWith(".NET SDK ", StringComparison.Ordinal))?[".NET SDK ".Length..].Trim() ?? "unknown";
        string host = header.FirstOrDefault(l => l.TrimStart().StartsWith("[Host]", StringComparison.Ordinal)) ?? "";
        Runtime = After(host, ':');
        Match version = RuntimeVersion().Match(Runtime);
        RuntimeShort = version.Success ? version.Value : Runtime;
    }

    /// <summary>The benchmark class: "GemmBench" from "FastBackprop.Benchmarks.GemmBench-report-github.md".</summary>
    public string Bench { get; }

    /// <summary>The environment block's lines, as BenchmarkDotNet printed them.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>The results table, as BenchmarkDotNet printed it.</summary>
    public string Table { get; }

    /// <summary>"v0.15.8".</summary>
    public string BenchmarkDotNet { get; }

    public string Os { get; }

    /// <summary>The processor as BenchmarkDotNet names it, e.g. "AMD EPYC 2.60GHz".</summary>
    public string Cpu { get; }

    /// <summary>
    /// The processor without its nominal frequency, with the widest vector ISA the JIT targeted, for headings and
    /// folder names: "AMD EPYC, AVX-512". Cloud machines often name no model ("AMD EPYC" was a Zen 4 with AVX-512
    /// on one day and a Zen 3 without it on another), so the ISA level keeps their results apart.
    /// </summary>
    public string CpuName => Frequency().Replace(Cpu, "").Trim()
        + (Microarchitecture is { } microarchitecture ? " (" + microarchitecture + ")" : "")
        + (IsaLevel is { } level ? ", " + level : "");

    /// <summary>
    /// The microarchitecture the run recorded ("Zen 5"), which the report itself does not name; part of
    /// <see cref="CpuName"/> when known, so that "AMD EPYC (Zen 5), AVX-512" files apart from a Zen 4's results.
    /// </summary>
    public string? Microarchitecture { get; set; }

    /// <summary>"AVX-512" or "AVX2" from the runtime line's x86-64-v4 or x86-64-v3; null for other levels and machines.</summary>
    public string? IsaLevel =>
        Runtime.Contains("x86-64-v4", StringComparison.Ordinal) ? "AVX-512"
        : Runtime.Contains("x86-64-v3", StringComparison.Ordinal) ? "AVX2"
        : null;

    /// <summary>A folder name for the processor: "AMD-EPYC-AVX-512", or "AMD-EPYC-Zen-5-AVX-512" with the microarchitecture.</summary>
    public string CpuFolder => NotWordCharacters().Replace(CpuName, "-").Trim('-') is { Length: > 0 } name ? name : "Unknown-CPU";

    /// <summary>"10.0.401".</summary>
    public string Sdk { get; }

    /// <summary>The host process's runtime line: ".NET 10.0.12 (10.0.12, 10.0.1226.42308), X64 RyuJIT x86-64-v4".</summary>
    public string Runtime { get; }

    /// <summary>".NET 10.0.12".</summary>
    public string RuntimeShort { get; }

    /// <summary>The report file name's suffix; what precedes it names the benchmark class.</summary>
    public const string FileSuffix = "-report-github.md";

    /// <summary>Reads and takes apart the report at <paramref name="path"/>; BenchmarkDotNet's name or a filed copy's (&lt;Bench&gt;.md) both work.</summary>
    public static BenchReport Read(string path)
    {
        string name = Path.GetFileName(path);
        name = name.EndsWith(FileSuffix, StringComparison.Ordinal) ? name[..^FileSuffix.Length] : Path.GetFileNameWithoutExtension(name);
        string bench = name[(name.LastIndexOf('.') + 1)..];
        return Parse(bench, File.ReadAllText(path));
    }

    /// <summary>Takes apart a report's <paramref name="text"/>: a fenced environment block, then the table.</summary>
    public static BenchReport Parse(string bench, string text)
    {
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        int open = Array.FindIndex(lines, l => l.Trim() == Fence);
        int close = open < 0 ? -1 : Array.FindIndex(lines, open + 1, l => l.Trim() == Fence);
        if (open < 0 || close < 0)
        {
            throw new FormatException($"The report of {bench} has no fenced environment block; is it a BenchmarkDotNet GitHub-markdown report?");
        }

        // Blank lines inside the block (between the runtimes and the job) stay; those around it go.
        var header = lines[(open + 1)..close].Select(l => l.TrimEnd()).SkipWhile(l => l.Length == 0).ToList();
        while (header.Count > 0 && header[^1].Length == 0)
        {
            header.RemoveAt(header.Count - 1);
        }

        string table = string.Join('\n', lines[(close + 1)..]).Trim();
        return new BenchReport(bench, header, table);
    }

    static string Before(string text, char separator)
    {
        int i = text.IndexOf(separator, StringComparison.Ordinal);
        return (i < 0 ? text : text[..i]).Trim();
    }

    static string After(string text, char separator)
    {
        int i = text.IndexOf(separator, StringComparison.Ordinal);
        return i < 0 ? "" : text[(i + 1)..].Trim();
    }

    [GeneratedRegex(@"\s*\d+(\.\d+)?\s*[GM]Hz\b", RegexOptions.IgnoreCase)]
    private static partial Regex Frequency();

    [GeneratedRegex(@"[^A-Za-z0-9]+")]
    private static partial Regex NotWordCharacters();

    [GeneratedRegex(@"^\.NET( Core)? \d+(\.\d+)*")]
    private static partial Regex RuntimeVersion();
}
