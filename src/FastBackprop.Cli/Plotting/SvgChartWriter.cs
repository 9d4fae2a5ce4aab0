using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace FastBackprop.Cli.Plotting;

/// <summary>
/// Writes line charts as a standalone SVG file (no script, no external fonts or styles): panels side by side, each
/// with a framed plot area, x and y axes with ticks and labels, a legend, and one polyline per run of finite values
/// of each series. Elements carry classes (plot-area, x-axis, y-axis, tick, tick-label, legend, series) so that
/// tools and tests can find them.
/// </summary>
internal static class SvgChartWriter
{
    /// <summary>The size of one panel in pixels.</summary>
    public const int PanelWidth = 480, PanelHeight = 340;

    // The plot area inside a panel; the margins hold the title, legend, tick labels and axis labels.
    const int MarginLeft = 64, MarginRight = 20, MarginTop = 64, MarginBottom = 52, HeaderHeight = 30;

    /// <summary>Writes the chart to <paramref name="path"/>, replacing it only once the whole chart is written.</summary>
    public static void Save(string path, string title, IReadOnlyList<ChartPanel> panels)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = Path.GetFullPath(path);
        string? directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        string temporary = full + ".tmp";
        try
        {
            using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(false)))
            {
                Write(writer, title, panels);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>The chart as SVG text.</summary>
    public static string Render(string title, IReadOnlyList<ChartPanel> panels)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(writer, title, panels);
        return writer.ToString();
    }

    /// <summary>Writes the chart as SVG to <paramref name="writer"/>.</summary>
    public static void Write(TextWriter writer, string title, IReadOnlyList<ChartPanel> panels)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(panels);
        int width = Math.Max(1, panels.Count) * PanelWidth, height = PanelHeight + HeaderHeight;
        writer.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        writer.Write($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        writer.Write($"<title>{Escape(title)}</title>\n");
        writer.Write($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        writer.Write($"<text class=\"chart-title\" x=\"{width / 2}\" y=\"20\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{Escape(title)}</text>\n");
        for (int p = 0; p < panels.Count; p++)
        {
            WritePanel(writer, panels[p], p * PanelWidth, HeaderHeight);
        }

        writer.Write("</svg>\n");
    }

    static void WritePanel(TextWriter w, ChartPanel panel, double originX, double originY)
    {
        double left = originX + MarginLeft, right = originX + PanelWidth - MarginRight;
        double top = originY + MarginTop, bottom = originY + PanelHeight - MarginBottom;
        (double xMin, double xMax, double yMin, double yMax, bool any) = Bounds(panel.Series);
        AxisScale xs = AxisScale.Create(any ? xMin : 0, any ? xMax : 1, 8, panel.IntegerX);
        AxisScale ys = AxisScale.Create(any ? yMin : 0, any ? yMax : 1, 6);

        w.Write($"<g class=\"panel\" data-title=\"{Escape(panel.Title)}\">\n");
        w.Write($"<text class=\"panel-title\" x=\"{F((left + right) / 2)}\" y=\"{F(originY + 18)}\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">{Escape(panel.Title)}</text>\n");
        w.Write($"<rect class=\"plot-area\" x=\"{F(left)}\" y=\"{F(top)}\" width=\"{F(right - left)}\" height=\"{F(bottom - top)}\" fill=\"none\" stroke=\"#999\"/>\n");

        // Grid lines and ticks; the data values of the ticks are in data-value for anyone reading the file back.
        w.Write("<g class=\"x-axis\">\n");
        w.Write($"<line class=\"axis-line\" x1=\"{F(left)}\" y1=\"{F(bottom)}\" x2=\"{F(right)}\" y2=\"{F(bottom)}\" stroke=\"black\"/>\n");
        foreach (double tick in xs.Ticks())
        {
            double x = xs.Map(tick, left, right);
            w.Write($"<line class=\"grid\" x1=\"{F(x)}\" y1=\"{F(top)}\" x2=\"{F(x)}\" y2=\"{F(bottom)}\" stroke=\"#e5e5e5\"/>\n");
            w.Write($"<line class=\"tick\" data-value=\"{R(tick)}\" x1=\"{F(x)}\" y1=\"{F(bottom)}\" x2=\"{F(x)}\" y2=\"{F(bottom + 5)}\" stroke=\"black\"/>\n");
            w.Write($"<text class=\"tick-label\" x=\"{F(x)}\" y=\"{F(bottom + 18)}\" text-anchor=\"middle\">{xs.Format(tick)}</text>\n");
        }

        w.Write($"<text class=\"axis-label\" x=\"{F((left + right) / 2)}\" y=\"{F(bottom + 40)}\" text-anchor=\"middle\">{Escape(panel.XLabel)}</text>\n");
        w.Write("</g>\n<g class=\"y-axis\">\n");
        w.Write($"<line class=\"axis-line\" x1=\"{F(left)}\" y1=\"{F(top)}\" x2=\"{F(left)}\" y2=\"{F(bottom)}\" stroke=\"black\"/>\n");
        foreach (double tick in ys.Ticks())
        {
            double y = ys.Map(tick, bottom, top);
            w.Write($"<line class=\"grid\" x1=\"{F(left)}\" y1=\"{F(y)}\" x2=\"{F(right)}\" y2=\"{F(y)}\" stroke=\"#e5e5e5\"/>\n");
            w.Write($"<line class=\"tick\" data-value=\"{R(tick)}\" x1=\"{F(left - 5)}\" y1=\"{F(y)}\" x2=\"{F(left)}\" y2=\"{F(y)}\" stroke=\"black\"/>\n");
            w.Write($"<text class=\"tick-label\" x=\"{F(left - 8)}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{ys.Format(tick)}</text>\n");
        }

        double labelX = originX + 16, labelY = (top + bottom) / 2;
        w.Write($"<text class=\"axis-label\" x=\"{F(labelX)}\" y=\"{F(labelY)}\" text-anchor=\"middle\" transform=\"rotate(-90 {F(labelX)} {F(labelY)})\">{Escape(panel.YLabel)}</text>\n");
        w.Write("</g>\n");

        if (!any)
        {
            w.Write($"<text class=\"no-data\" x=\"{F((left + right) / 2)}\" y=\"{F((top + bottom) / 2)}\" text-anchor=\"middle\" fill=\"#777\">no data</text>\n");
        }

        foreach (ChartSeries series in panel.Series)
        {
            WriteSeries(w, series, xs, ys, left, right, top, bottom);
        }

        WriteLegend(w, panel.Series, left, originY + 28);
        w.Write("</g>\n");
    }

    static void WriteSeries(TextWriter w, ChartSeries series, AxisScale xs, AxisScale ys, double left, double right, double top, double bottom)
    {
        int count = Math.Min(series.X.Count, series.Y.Count);
        string dash = series.Dashed ? " stroke-dasharray=\"6 3\"" : string.Empty;
        var points = new StringBuilder();
        var markers = new StringBuilder();
        for (int i = 0; i <= count; i++)
        {
            bool finite = i < count && double.IsFinite(series.X[i]) && double.IsFinite(series.Y[i]);
            if (finite)
            {
                double x = xs.Map(series.X[i], left, right), y = ys.Map(series.Y[i], bottom, top);
                points.Append(points.Length == 0 ? string.Empty : " ").Append(F(x)).Append(',').Append(F(y));
                markers.Append($"<circle class=\"marker\" cx=\"{F(x)}\" cy=\"{F(y)}\" r=\"2.5\" fill=\"{Escape(series.Color)}\"/>\n");
                continue;
            }

            // A NaN (or the end) closes the run of points before it.
            if (points.Length > 0)
            {
                w.Write($"<polyline class=\"series\" data-series=\"{Escape(series.Name)}\" points=\"{points}\" fill=\"none\" stroke=\"{Escape(series.Color)}\" stroke-width=\"2\"{dash}/>\n");
                points.Clear();
            }
        }

        w.Write(markers.ToString());
    }

    static void WriteLegend(TextWriter w, IReadOnlyList<ChartSeries> series, double left, double y)
    {
        w.Write("<g class=\"legend\">\n");
        double x = left;
        foreach (ChartSeries s in series)
        {
            string dash = s.Dashed ? " stroke-dasharray=\"6 3\"" : string.Empty;
            w.Write($"<line x1=\"{F(x)}\" y1=\"{F(y)}\" x2=\"{F(x + 22)}\" y2=\"{F(y)}\" stroke=\"{Escape(s.Color)}\" stroke-width=\"2\"{dash}/>\n");
            w.Write($"<text class=\"legend-label\" x=\"{F(x + 27)}\" y=\"{F(y + 4)}\">{Escape(s.Name)}</text>\n");
            x += 40 + (7 * s.Name.Length);
        }

        w.Write("</g>\n");
    }

    static (double XMin, double XMax, double YMin, double YMax, bool Any) Bounds(IReadOnlyList<ChartSeries> series)
    {
        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity, yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
        foreach (ChartSeries s in series)
        {
            int count = Math.Min(s.X.Count, s.Y.Count);
            for (int i = 0; i < count; i++)
            {
                if (double.IsFinite(s.X[i]) && double.IsFinite(s.Y[i]))
                {
                    xMin = Math.Min(xMin, s.X[i]);
                    xMax = Math.Max(xMax, s.X[i]);
                    yMin = Math.Min(yMin, s.Y[i]);
                    yMax = Math.Max(yMax, s.Y[i]);
                }
            }
        }

        return (xMin, xMax, yMin, yMax, xMin <= xMax);
    }

    static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    static string Escape(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal);
}
