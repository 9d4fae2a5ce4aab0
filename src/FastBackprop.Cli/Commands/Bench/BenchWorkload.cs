using System;

namespace FastBackprop.Cli.Commands.Bench;

/// <summary>One named workload of DESIGN.md: a description and a function that runs its step a given number of times.</summary>
/// <param name="Id">W1 … W5.</param>
/// <param name="Network">The network, e.g. 784-128-10.</param>
/// <param name="Work">What one step is.</param>
/// <param name="Batch">Samples per step.</param>
/// <param name="Run">Runs the step that many times (the loop is inside, so the delegate call is paid once per batch of steps).</param>
/// <param name="Dispose">Releases the workload's workspace.</param>
internal sealed record BenchWorkload(string Id, string Network, string Work, int Batch, Action<int> Run, Action Dispose);
