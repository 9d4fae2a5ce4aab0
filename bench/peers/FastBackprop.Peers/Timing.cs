namespace FastBackprop.Peers;

/// <summary>What <see cref="StepTimer"/> measured: per-step nanoseconds (median, fastest and slowest sample), k steps per sample.</summary>
internal readonly record struct Timing(double MedianNs, double MinNs, double MaxNs, int StepsPerSample, int Samples);
