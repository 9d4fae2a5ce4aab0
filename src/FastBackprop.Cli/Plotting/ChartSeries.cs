using System.Collections.Generic;

namespace FastBackprop.Cli.Plotting;

/// <summary>One line of a chart: a name for the legend, a colour, and y values over x values (NaN: no point).</summary>
/// <param name="Name">The legend's text.</param>
/// <param name="Color">An SVG colour, e.g. <c>#1f77b4</c>.</param>
/// <param name="X">The x values.</param>
/// <param name="Y">The y values, as many as <paramref name="X"/>; NaN or infinite values break the line.</param>
/// <param name="Dashed">Draw the line dashed (validation and test series).</param>
internal sealed record ChartSeries(string Name, string Color, IReadOnlyList<double> X, IReadOnlyList<double> Y, bool Dashed = false);
