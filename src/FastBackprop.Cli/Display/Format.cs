using System;
using System.Globalization;

namespace FastBackprop.Cli.Display;

/// <summary>How numbers look on screen: invariant culture, "-" for a value that does not exist (NaN).</summary>
internal static class Format
{
    /// <summary>A loss with four significant decimals.</summary>
    public static string Loss(double value) => double.IsFinite(value) ? value.ToString("F4", CultureInfo.InvariantCulture) : "-";

    /// <summary>An accuracy as a percentage with two decimals.</summary>
    public static string Percent(double fraction) =>
        double.IsFinite(fraction) ? (fraction * 100).ToString("F2", CultureInfo.InvariantCulture) + "%" : "-";

    /// <summary>A rate such as 412k/s.</summary>
    public static string Rate(double perSecond)
    {
        if (!double.IsFinite(perSecond))
        {
            return "-";
        }

        return perSecond switch
        {
            >= 1e9 => (perSecond / 1e9).ToString("F1", CultureInfo.InvariantCulture) + "G/s",
            >= 1e6 => (perSecond / 1e6).ToString("F1", CultureInfo.InvariantCulture) + "M/s",
            >= 1e4 => (perSecond / 1e3).ToString("F0", CultureInfo.InvariantCulture) + "k/s",
            _ => perSecond.ToString("F0", CultureInfo.InvariantCulture) + "/s",
        };
    }

    /// <summary>A duration: 0.42 s, 12.3 s, 2 min 05 s.</summary>
    public static string Duration(TimeSpan span) => Seconds(span.TotalSeconds);

    /// <summary>A duration in seconds: 0.42 s, 12.3 s, 2 min 05 s.</summary>
    public static string Seconds(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0)
        {
            return "-";
        }

        if (seconds < 10)
        {
            return seconds.ToString("F2", CultureInfo.InvariantCulture) + " s";
        }

        if (seconds < 60)
        {
            return seconds.ToString("F1", CultureInfo.InvariantCulture) + " s";
        }

        int whole = (int)Math.Round(seconds);
        return (whole / 60).ToString(CultureInfo.InvariantCulture) + " min " + (whole % 60).ToString("00", CultureInfo.InvariantCulture) + " s";
    }

    /// <summary>An integer with thousands separators: 8,000.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
