using System;

namespace FastBackprop.Cli.Display;

/// <summary>Estimates the time to the epoch limit from the mean epoch time so far.</summary>
internal static class TimeLeft
{
    /// <summary>Seconds left if every remaining epoch takes as long as the mean so far; 0 at the limit.</summary>
    public static double Estimate(int epochsDone, int maxEpochs, TimeSpan elapsed, TimeSpan? budget = null)
    {
        if (epochsDone <= 0)
        {
            return double.NaN;
        }

        double left = elapsed.TotalSeconds / epochsDone * Math.Max(0, maxEpochs - epochsDone);
        if (budget is TimeSpan b)
        {
            left = Math.Min(left, Math.Max(0, (b - elapsed).TotalSeconds));
        }

        return left;
    }
}
