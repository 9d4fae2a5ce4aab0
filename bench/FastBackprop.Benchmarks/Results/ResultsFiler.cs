using System;
using System.IO;
using System.Linq;

namespace FastBackprop.Benchmarks.Results;

/// <summary>
/// The --file-results command: copies BenchmarkDotNet's GitHub-markdown reports to
/// bench/results/&lt;cpu&gt;/&lt;Bench&gt;.md, records in Versions.txt what produced each, and regenerates the
/// README's benchmark section from every filed report.
/// </summary>
public static class ResultsFiler
{
    public const string Command = "--file-results";

    /// <summary>
    /// Files the reports under <c>&lt;artifacts&gt;/results</c>; <paramref name="args"/> may name the artifacts
    /// folder (BenchmarkDotNet's --artifacts), by default ./BenchmarkDotNet.Artifacts. Returns the exit code.
    /// </summary>
    public static int Run(ReadOnlySpan<string> args)
    {
        string artifacts = args.Length > 0 ? args[0] : Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts");
        string reports = Path.Combine(artifacts, "results");
        string? root = RepositoryRoot();
        if (root is null)
        {
            Console.Error.WriteLine($"{Command}: run from inside the repository (no FastBackprop.sln above {Directory.GetCurrentDirectory()}).");
            return 1;
        }

        string[] paths = Directory.Exists(reports)
            ? Directory.GetFiles(reports, "*" + BenchReport.FileSuffix).Order(StringComparer.Ordinal).ToArray()
            : [];
        if (paths.Length == 0)
        {
            Console.Error.WriteLine($"{Command}: no *{BenchReport.FileSuffix} in {reports}; run the benchmarks first.");
            return 1;
        }

        string results = Path.Combine(root, "bench", "results");
        foreach (string path in paths)
        {
            var report = BenchReport.Read(path);

            // A report made without this program's recording (another entry point, an older run) keeps what
            // can still be known: the report's own date, and no command rather than a guessed one.
            string typeName = Path.GetFileName(path)[..^BenchReport.FileSuffix.Length];
            var record = RunRecord.Read(RunRecord.PathFor(reports, typeName))
                ?? new RunRecord("not recorded", Git.Commit() + " (at filing, not at the run)", File.GetLastWriteTimeUtc(path).ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture));
            report.Microarchitecture = record.Microarchitecture;
            string folder = Path.Combine(results, report.CpuFolder);
            Directory.CreateDirectory(folder);
            File.Copy(path, Path.Combine(folder, report.Bench + ".md"), overwrite: true);
            var versions = VersionsFile.Read(folder);
            versions.Set(report.Bench, record, report);
            versions.Keep(Directory.GetFiles(folder, "*.md").Select(p => Path.GetFileNameWithoutExtension(p)));
            versions.Write(folder);
            Console.WriteLine($"Filed {report.Bench} ({report.Cpu}) as {Path.GetRelativePath(root, folder)}/{report.Bench}.md");
        }

        string readme = Path.Combine(root, "README.md");
        if (!ReadmeBenchmarks.Update(readme, results, out string? problem))
        {
            Console.Error.WriteLine($"{Command}: {problem}");
            return 1;
        }

        Console.WriteLine($"Regenerated the benchmark section of {Path.GetRelativePath(Directory.GetCurrentDirectory(), readme)} from {Path.GetRelativePath(root, results)}.");
        return 0;
    }

    /// <summary>The nearest folder at or above the current one that holds FastBackprop.sln.</summary>
    static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FastBackprop.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
