using System;

namespace FastBackprop.Cli.Display;

/// <summary>
/// Calls an action for each report, on the reporting thread. <see cref="Progress{T}"/> would post to a
/// synchronization context instead, and a console program has none, so its reports could arrive late or reordered.
/// </summary>
internal sealed class ProgressRelay<T>(Action<T> onReport) : IProgress<T>
{
    public void Report(T value) => onReport(value);
}
