using System;
using System.Collections.Generic;
using System.Globalization;

namespace FastBackprop.Cli.Plotting;

/// <summary>
/// An axis range widened to "nice" round ticks (1, 2 or 5 times a power of ten), after Heckbert's "Nice numbers for
/// graph labels" (Graphics Gems, 1990), and the linear map from values to pixels.
/// </summary>
internal sealed class AxisScale
{
    AxisScale(double min, double max, double step)
    {
        Min = min;
        Max = max;
        Step = step;
    }

    /// <summary>The first tick: the axis starts here.</summary>
    public double Min { get; }

    /// <summary>The last tick: the axis ends here.</summary>
    public double Max { get; }

    /// <summary>The distance between ticks.</summary>
    public double Step { get; }

    /// <summary>
    /// A scale covering [<paramref name="dataMin"/>, <paramref name="dataMax"/>] with about
    /// <paramref name="targetTicks"/> ticks. A single value gets a range around it; <paramref name="integerSteps"/>
    /// keeps the step at 1 or more (epochs).
    /// </summary>
    public static AxisScale Create(double dataMin, double dataMax, int targetTicks = 6, bool integerSteps = false)
    {
        if (!double.IsFinite(dataMin) || !double.IsFinite(dataMax) || dataMin > dataMax)
        {
            throw new ArgumentException($"Expected a finite range with min <= max, got [{dataMin}, {dataMax}].", nameof(dataMin));
        }

        if (dataMin == dataMax)
        {
            double pad = dataMin == 0 ? 1 : Math.Abs(dataMin) * 0.1;
            dataMin -= pad;
            dataMax += pad;
        }

        double range = NiceNumber(dataMax - dataMin, round: false);
        double step = NiceNumber(range / Math.Max(1, targetTicks - 1), round: true);
        if (integerSteps)
        {
            step = Math.Max(1, Math.Round(step));
        }

        double min = Math.Floor(dataMin / step) * step;
        double max = Math.Ceiling(dataMax / step) * step;
        return new AxisScale(min, max, step);
    }

    /// <summary>The tick values from <see cref="Min"/> to <see cref="Max"/>.</summary>
    public IReadOnlyList<double> Ticks()
    {
        int count = (int)Math.Round((Max - Min) / Step);
        var ticks = new double[count + 1];
        for (int i = 0; i <= count; i++)
        {
            // Multiplying (not accumulating) keeps 0.1 + 0.1 + 0.1 from drifting to 0.30000000000000004.
            ticks[i] = Math.Round(Min + (i * Step), 12);
        }

        return ticks;
    }

    /// <summary>A tick's label, with as many decimals as the step needs.</summary>
    public string Format(double value)
    {
        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(Step) + 1e-9));
        return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>Maps <paramref name="value"/> linearly so that <see cref="Min"/> goes to <paramref name="from"/> and <see cref="Max"/> to <paramref name="to"/>.</summary>
    public double Map(double value, double from, double to) => from + ((value - Min) / (Max - Min) * (to - from));

    // The nice number near x: 1, 2, 5 or 10 times a power of ten, rounded to the nearest or taken upwards.
    static double NiceNumber(double x, bool round)
    {
        double exponent = Math.Floor(Math.Log10(x));
        double power = Math.Pow(10, exponent);
        double fraction = x / power;
        double nice = round
            ? fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
            : fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }
}
