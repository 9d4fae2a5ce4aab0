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

        // The benchmark processes BenchmarkDotNet starts inherit this: tier-1 code as soon as a method has had its
        // 30 calls, rather than after 100 ms without new tier-0 compilation. The harness compiles code of its own
        // between iterations, which kept restarting that delay: W3's step measured 155 µs in some processes and
        // 430-480 µs in others, where perf found the GEMM micro-kernel and the packing still running their tier-0
        // code (a call per multiply-add) seconds into the run (Zen 5, 2026-12-06). A training loop in a program
        // of its own reached tier 1 within its first 2,000 steps in every run.
        Environment.SetEnvironmentVariable("DOTNET_TC_CallCountingDelayMs", "0");

        // And methods with loops compiled fully optimised at once, instead of starting in tier-0 code that moves
        // to optimised code in mid-loop (on-stack replacement). Those moves allocate on the thread that makes them:
        // in a plain loop of W1 steps, 6 of 8 processes saw 24 or 6,216 bytes once, early on, and none of 8 with
        // this setting (or with tiered compilation off); the harness's own loops make such moves too, a source of
        // the few bytes per call some rows read (not the only one: see bench/README.md). The steps measured the
        // same either way when the machine was fast (W1 31 ns, W3 155-158 µs, W5 2.68-2.72 µs, 2026-12-06).
        Environment.SetEnvironmentVariable("DOTNET_TC_OnStackReplacement", "0");

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
