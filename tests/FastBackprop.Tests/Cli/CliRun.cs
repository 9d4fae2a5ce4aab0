using System;
using System.Globalization;
using System.IO;
using FastBackprop.Cli;

namespace FastBackprop.Tests.Cli;

/// <summary>Runs the tool in-process with captured output, as a pipe would see it (not a terminal).</summary>
internal static class CliRun
{
    public static (int ExitCode, string Out, string Error) Run(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        int code = CliApplication.Run(args, new CliContext(output, error, IsTerminal: false));
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A fresh temporary directory, deleted by the returned handle.</summary>
    public static TemporaryDirectory TemporaryDirectory() => new();
}

internal sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fastbackprop-cli-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
