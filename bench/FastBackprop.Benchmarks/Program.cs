using System;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;
using FastBackprop.Benchmarks.Columns;
using FastBackprop.Benchmarks.Results;

namespace FastBackprop.Benchmarks;

/// <summary>
/// Entry point: dotnet run -c Release --project bench/FastBackprop.Benchmarks -- --filter '*TrainStep*'.
/// With --file-results [artifacts folder] it files the last runs' reports under bench/results and regenerates
/// the README's tables instead (see bench/README.md).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == ResultsFiler.Command)
        {
            return ResultsFiler.Run(args.AsSpan(1));
        }

        // Start from the default config: it carries the loggers and exporters (the GitHub-markdown report
        // among them) a ManualConfig lacks. MemoryDiagnoser proves each body allocates nothing ("-").
        IConfig config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(new SamplesPerSecondColumn(), new GflopsColumn());
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);

        // The reports do not say how they were made; record it beside them for --file-results.
        RunRecord.WriteAll(summaries, args);
        return 0;
    }
}
