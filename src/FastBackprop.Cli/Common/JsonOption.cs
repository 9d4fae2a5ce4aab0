using System.CommandLine;

namespace FastBackprop.Cli.Common;

/// <summary>The <c>--json</c> flag every reporting command takes.</summary>
internal static class JsonOption
{
    /// <summary>A fresh <c>--json</c> option (an option belongs to one command).</summary>
    public static Option<bool> Create() => new("--json")
    {
        Description = "Print one JSON summary object on standard output and nothing else (for scripts).",
    };
}
