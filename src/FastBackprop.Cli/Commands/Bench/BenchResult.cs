namespace FastBackprop.Cli.Commands.Bench;

/// <summary>The measured time of one workload.</summary>
/// <param name="Workload">What ran.</param>
/// <param name="SecondsPerStep">The median over the rounds of the mean time of a step.</param>
/// <param name="Steps">Steps timed in all.</param>
internal sealed record BenchResult(BenchWorkload Workload, double SecondsPerStep, long Steps)
{
    /// <summary>Steps per second.</summary>
    public double StepsPerSecond => 1 / SecondsPerStep;

    /// <summary>Samples per second.</summary>
    public double SamplesPerSecond => Workload.Batch / SecondsPerStep;
}
