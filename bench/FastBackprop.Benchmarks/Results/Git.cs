using System.Diagnostics;

namespace FastBackprop.Benchmarks.Results;

/// <summary>The little of git the results workflow needs, through the git command line.</summary>
public static class Git
{
    /// <summary>
    /// <c>git rev-parse --short HEAD</c>, with "+dirty" when tracked files other than the filed results and the
    /// README differ from it (so a number is never credited to a commit that did not produce it), or "unknown"
    /// outside a repository.
    /// </summary>
    public static string Commit()
    {
        string? commit = Run("rev-parse", "--short", "HEAD");
        if (string.IsNullOrEmpty(commit))
        {
            return "unknown";
        }

        string? changes = Run("status", "--porcelain", "--untracked-files=no", "--", ":(top)", ":(top,exclude)bench/results", ":(top,exclude)README.md");
        return string.IsNullOrEmpty(changes) ? commit : commit + "+dirty";
    }

    static string? Run(params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            string output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No git on the PATH.
            return null;
        }
    }
}
