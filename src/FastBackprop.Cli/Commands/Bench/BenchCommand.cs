using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FastBackprop.Cli.Common;
using FastBackprop.Cli.Display;
using FastBackprop.Cli.Output;
using Spectre.Console;

namespace FastBackprop.Cli.Commands.Bench;

/// <summary>
/// <c>fastbackprop bench</c>: a quick in-process table of W1-W5 throughput on this machine. A rough guide only
/// (a few rounds of a fraction of a second each, median taken); the README's figures come from BenchmarkDotNet
/// (bench/FastBackprop.Benchmarks).
/// </summary>
internal static class BenchCommand
{
    const int Rounds = 5;

    /// <summary>The <c>bench</c> subcommand.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var seconds = new Option<double>("--seconds")
        {
            Description = "Time spent measuring each workload (after a warm-up).",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => 0.5,
        };
        var workloads = new Option<string>("--workloads", "-w")
        {
            Description = "Which workloads, comma-separated (W1 2-2-2 step, W2 784-128-10 online step, W3 batch-64 step, W4 1024-1024-1024-10 batch-256 step, W5 inference).",
            HelpName = "LIST",
            DefaultValueFactory = _ => "W1,W2,W3,W4,W5",
        };
        var threads = new Option<int>("--threads", "-t") { Description = "Worker threads for large products (W4); 0: one per processor.", HelpName = "N" };
        Option<bool> json = JsonOption.Create();
        var command = new Command("bench", "A quick in-process table of the W1-W5 workloads' throughput (rough; BenchmarkDotNet in bench/ gives the real figures).");
        command.Options.Add(seconds);
        command.Options.Add(workloads);
        command.Options.Add(threads);
        command.Options.Add(json);
        command.SetAction(parse => Run(parse.GetValue(seconds), parse.GetValue(workloads)!, parse.GetValue(threads), parse.GetValue(json), context));
        return command;
    }

    /// <summary>Measures and prints; returns the exit code.</summary>
    public static int Run(double seconds, string workloadList, int threads, bool json, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!(seconds > 0 && seconds <= 600))
        {
            throw new CliException($"--seconds: expected a positive number of seconds up to 600, got {seconds}.");
        }

        if (threads < 0)
        {
            throw new CliException($"--threads: expected 0 or more, got {threads}.");
        }

        var workloads = new List<BenchWorkload>();
        try
        {
            foreach (string id in workloadList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                workloads.Add(BenchWorkloads.Create(id, threads));
            }

            if (!json && !context.IsTerminal)
            {
                context.Out.WriteLine($"bench: {workloads.Count} workloads, float32, SIMD level {Kernels.Isa.Active}, ~{seconds.ToString(CultureInfo.InvariantCulture)} s each");
            }

            var results = new List<BenchResult>();
            foreach (BenchWorkload workload in workloads)
            {
                results.Add(Measure(workload, seconds));
                if (!json && !context.IsTerminal)
                {
                    WritePlain(context, results[^1]);
                }
            }

            if (json)
            {
                WriteJson(context, results, seconds);
            }
            else if (context.IsTerminal)
            {
                WriteTable(context, results);
            }

            return ExitCodes.Success;
        }
        finally
        {
            foreach (BenchWorkload workload in workloads)
            {
                workload.Dispose();
            }
        }
    }

    static BenchResult Measure(BenchWorkload workload, double seconds)
    {
        // Warm-up: the JIT's tier-0 code would otherwise be timed, then calibrate steps per round.
        long warm = Stopwatch.GetTimestamp();
        int batch = 1;
        while (Stopwatch.GetElapsedTime(warm).TotalSeconds < Math.Min(0.2, seconds / 2))
        {
            workload.Run(batch);
            batch = Math.Min(batch * 2, 1 << 20);
        }

        double roundSeconds = seconds / Rounds;
        long calibrate = Stopwatch.GetTimestamp();
        workload.Run(batch);
        double perStep = Math.Max(1e-9, Stopwatch.GetElapsedTime(calibrate).TotalSeconds / batch);
        int stepsPerRound = (int)Math.Clamp(roundSeconds / perStep, 1, int.MaxValue);
        double[] rounds = new double[Rounds];
        for (int r = 0; r < Rounds; r++)
        {
            long start = Stopwatch.GetTimestamp();
            workload.Run(stepsPerRound);
            rounds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds / stepsPerRound;
        }

        Array.Sort(rounds);
        return new BenchResult(workload, rounds[Rounds / 2], (long)stepsPerRound * Rounds);
    }

    static string Time(double seconds) => seconds switch
    {
        < 1e-6 => (seconds * 1e9).ToString("F1", CultureInfo.InvariantCulture) + " ns",
        < 1e-3 => (seconds * 1e6).ToString("F2", CultureInfo.InvariantCulture) + " µs",
        _ => (seconds * 1e3).ToString("F2", CultureInfo.InvariantCulture) + " ms",
    };

    static void WritePlain(CliContext context, BenchResult r) =>
        context.Out.WriteLine(
            $"{r.Workload.Id}  {r.Workload.Network}, batch {r.Workload.Batch}: {Time(r.SecondsPerStep)} per {r.Workload.Work}, {Format.Rate(r.StepsPerSecond)} steps, {Format.Rate(r.SamplesPerSecond)} samples");

    static void WriteTable(CliContext context, List<BenchResult> results)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Out) });
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]fastbackprop bench[/] · float32 · SIMD {Kernels.Isa.Active}")
            .Caption("[grey]in-process median of 5 rounds; for published figures use BenchmarkDotNet (bench/)[/]");
        table.AddColumn("id").AddColumn("network").AddColumn(new TableColumn("batch").RightAligned()).AddColumn("timed")
            .AddColumn(new TableColumn("time").RightAligned()).AddColumn(new TableColumn("steps/s").RightAligned())
            .AddColumn(new TableColumn("samples/s").RightAligned());
        foreach (BenchResult r in results)
        {
            table.AddRow(
                $"[bold]{r.Workload.Id}[/]", Markup.Escape(r.Workload.Network), r.Workload.Batch.ToString(CultureInfo.InvariantCulture),
                r.Workload.Work, Time(r.SecondsPerStep), Format.Rate(r.StepsPerSecond), Format.Rate(r.SamplesPerSecond));
        }

        console.Write(table);
    }

    static void WriteJson(CliContext context, List<BenchResult> results, double seconds) =>
        JsonOutput.Write(context.Out, w =>
        {
            w.WriteString("command", "bench");
            w.WriteString("isa", Kernels.Isa.Active.ToString());
            w.WriteNumber("secondsPerWorkload", seconds);
            w.WriteStartArray("workloads");
            foreach (BenchResult r in results)
            {
                w.WriteStartObject();
                w.WriteString("id", r.Workload.Id);
                w.WriteString("network", r.Workload.Network);
                w.WriteNumber("batch", r.Workload.Batch);
                w.WriteNumber("secondsPerStep", r.SecondsPerStep);
                w.WriteNumber("stepsPerSecond", r.StepsPerSecond);
                w.WriteNumber("samplesPerSecond", r.SamplesPerSecond);
                w.WriteNumber("stepsTimed", r.Steps);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
}
