using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace FastBackprop.Benchmarks.Results;

/// <summary>
/// bench/results/&lt;cpu&gt;/Versions.txt: for each filed bench, the commit, date and command that made it and the
/// versions it ran on, one "[Bench]" section each. Filing one bench rewrites its section and keeps the others,
/// so that benches filed from different runs each keep their own provenance.
/// </summary>
public sealed class VersionsFile
{
    public const string FileName = "Versions.txt";

    readonly SortedDictionary<string, List<KeyValuePair<string, string>>> _sections = new(StringComparer.Ordinal);

    /// <summary>The file in <paramref name="folder"/>, or an empty one when there is none yet.</summary>
    public static VersionsFile Read(string folder)
    {
        var file = new VersionsFile();
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return file;
        }

        List<KeyValuePair<string, string>>? section = null;
        foreach (string line in File.ReadAllLines(path))
        {
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = [];
                file._sections[line[1..^1]] = section;
            }
            else if (section is not null && line.IndexOf(": ", StringComparison.Ordinal) is int colon and > 0)
            {
                section.Add(new(line[..colon], line[(colon + 2)..]));
            }
        }

        return file;
    }

    /// <summary>Replaces <paramref name="bench"/>'s section.</summary>
    public void Set(string bench, RunRecord record, BenchReport report)
    {
        List<KeyValuePair<string, string>> section =
        [
            new("commit", record.Commit),
            new("date", record.Date),
            new("command", record.Command),
            new("BenchmarkDotNet", report.BenchmarkDotNet),
            new(".NET SDK", report.Sdk),
            new("runtime", report.Runtime),
            new("OS", report.Os),
            new("CPU", report.Cpu),
        ];
        if (record.Microarchitecture is { } microarchitecture)
        {
            section.Add(new(MicroarchitectureKey, microarchitecture));
        }

        _sections[bench] = section;
    }

    /// <summary>The key of the processor's microarchitecture in a section, where the run recorded it.</summary>
    public const string MicroarchitectureKey = "microarchitecture";

    /// <summary>The value of <paramref name="key"/> in <paramref name="bench"/>'s section, or null.</summary>
    public string? Get(string bench, string key) =>
        _sections.TryGetValue(bench, out var section) ? section.FirstOrDefault(p => p.Key == key).Value : null;

    /// <summary>Drops the sections of benches that have no report in the folder any more.</summary>
    public void Keep(IEnumerable<string> benches)
    {
        var keep = benches.ToHashSet(StringComparer.Ordinal);
        foreach (string bench in _sections.Keys.Where(b => !keep.Contains(b)).ToArray())
        {
            _sections.Remove(bench);
        }
    }

    public void Write(string folder)
    {
        var text = new StringBuilder();
        text.Append("# What produced each report in this folder; written by\n");
        text.Append("# ").Append(RunRecord.CommandPrefix).Append(' ').Append(ResultsFiler.Command).Append('\n');
        foreach (var (bench, section) in _sections)
        {
            text.Append('\n').Append('[').Append(bench).Append("]\n");
            foreach (var (key, value) in section)
            {
                text.Append(key).Append(": ").Append(value).Append('\n');
            }
        }

        File.WriteAllText(Path.Combine(folder, FileName), text.ToString());
    }
}
