using System;
using System.IO;

namespace FastBackprop.Cli;

/// <summary>
/// Where a command writes, and whether its standard output is a terminal (live display) or not (plain lines).
/// Tests pass string writers; <see cref="Program"/> passes the process's console.
/// </summary>
/// <param name="Out">Standard output: progress, tables, the JSON summary.</param>
/// <param name="Error">Standard error: the one-line error messages.</param>
/// <param name="IsTerminal">True when <paramref name="Out"/> is an interactive terminal.</param>
internal sealed record CliContext(TextWriter Out, TextWriter Error, bool IsTerminal)
{
    /// <summary>The process's console, interactive unless standard output is redirected.</summary>
    public static CliContext FromConsole() => new(Console.Out, Console.Error, !Console.IsOutputRedirected);
}
