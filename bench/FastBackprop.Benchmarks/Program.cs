using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;
using FastBackprop.Benchmarks.Columns;

namespace FastBackprop.Benchmarks;

/// <summary>Entry point: dotnet run -c Release --project bench/FastBackprop.Benchmarks -- --filter '*TrainStep*'.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        // Start from the default config: it carries the loggers and exporters a ManualConfig lacks.
        IConfig config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(new SamplesPerSecondColumn());
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
