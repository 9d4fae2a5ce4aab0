namespace FastBackprop.Cli;

/// <summary>The process exit codes, the same for every command.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command ran and failed: unreadable data, a model that does not fit, a failed gradient check.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself was wrong: an unknown option, a missing or malformed value.</summary>
    public const int UsageError = 2;
}
