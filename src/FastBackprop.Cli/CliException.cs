using System;

namespace FastBackprop.Cli;

/// <summary>
/// A problem the user can fix (a bad option value, a missing file, data that does not fit the model): reported as
/// one line on standard error with exit code 1, never with a stack trace.
/// </summary>
internal sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CliException()
    {
    }
}
