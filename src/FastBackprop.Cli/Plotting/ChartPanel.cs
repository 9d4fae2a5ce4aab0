using System.Collections.Generic;

namespace FastBackprop.Cli.Plotting;

/// <summary>One plot of a chart: a title, axis labels and its series.</summary>
/// <param name="Title">Shown above the plot.</param>
/// <param name="XLabel">Under the x axis.</param>
/// <param name="YLabel">Beside the y axis.</param>
/// <param name="Series">The lines, drawn in order.</param>
/// <param name="IntegerX">Ticks on whole numbers only (epochs).</param>
internal sealed record ChartPanel(string Title, string XLabel, string YLabel, IReadOnlyList<ChartSeries> Series, bool IntegerX = true);
