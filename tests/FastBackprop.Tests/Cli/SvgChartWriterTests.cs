using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using FastBackprop.Cli.Plotting;
using Xunit;

namespace FastBackprop.Tests.Cli;

public class SvgChartWriterTests
{
    static readonly XNamespace s_svg = "http://www.w3.org/2000/svg";

    static XDocument Render(params ChartPanel[] panels) => XDocument.Parse(SvgChartWriter.Render("title", panels));

    static double Attr(XElement e, string name) => double.Parse(e.Attribute(name)!.Value, CultureInfo.InvariantCulture);

    static IEnumerable<XElement> WithClass(XContainer root, string cls) =>
        root.Descendants().Where(e => (string?)e.Attribute("class") == cls);

    static XElement Axis(XElement panel, string name) => WithClass(panel, name).Single();

    static ChartPanel LossPanel(IReadOnlyList<double> x, IReadOnlyList<double> y, string name = "training") =>
        new("Loss", "epoch", "loss", [new ChartSeries(name, "#1f77b4", x, y)]);

    [Fact]
    public void The_chart_is_well_formed_svg_with_axes_ticks_labels_and_a_legend()
    {
        XDocument doc = Render(
            LossPanel([1, 2, 3], [0.3, 0.2, 0.1]),
            new ChartPanel("Accuracy", "epoch", "accuracy (%)", [new ChartSeries("training", "#1f77b4", [1.0, 2, 3], [90.0, 95, 97]), new ChartSeries("test", "#d62728", [1.0, 2, 3], [89.0, 93, 94], Dashed: true)]));
        XElement root = doc.Root!;
        Assert.Equal(s_svg + "svg", root.Name);
        Assert.Equal(2 * SvgChartWriter.PanelWidth, Attr(root, "width"));
        List<XElement> panels = WithClass(root, "panel").ToList();
        Assert.Equal(2, panels.Count);
        foreach (XElement panel in panels)
        {
            Assert.Single(WithClass(panel, "plot-area"));
            foreach (string axis in new[] { "x-axis", "y-axis" })
            {
                XElement a = Axis(panel, axis);
                Assert.True(WithClass(a, "tick").Count() >= 3, axis);
                Assert.Equal(WithClass(a, "tick").Count(), WithClass(a, "tick-label").Count());
                Assert.Single(WithClass(a, "axis-label"));
            }
        }

        Assert.Equal(new[] { "epoch", "loss" }, WithClass(panels[0], "axis-label").Select(e => e.Value));
        Assert.Equal(new[] { "training" }, WithClass(panels[0], "legend-label").Select(e => e.Value));
        Assert.Equal(new[] { "training", "test" }, WithClass(panels[1], "legend-label").Select(e => e.Value));
        Assert.Equal("6 3", WithClass(panels[1], "series").Single(e => (string?)e.Attribute("data-series") == "test").Attribute("stroke-dasharray")!.Value);
        Assert.Equal(new[] { "1", "2", "3" }, WithClass(Axis(panels[0], "x-axis"), "tick-label").Select(e => e.Value));
    }

    // Every point must sit where the axes' own ticks say its value is: pixel = linear map through the first and last
    // tick (their data-value and pixel position), independent of the writer's internal scale.
    [Fact]
    public void Points_are_placed_where_the_ticks_say()
    {
        double[] x = [1, 2, 3, 4, 5], y = [0.31, 0.2, 0.15, 0.07, 0.05];
        XElement panel = WithClass(Render(LossPanel(x, y)).Root!, "panel").Single();
        (double value, double pixel)[] xt = WithClass(Axis(panel, "x-axis"), "tick").Select(t => (Attr(t, "data-value"), Attr(t, "x1"))).ToArray();
        (double value, double pixel)[] yt = WithClass(Axis(panel, "y-axis"), "tick").Select(t => (Attr(t, "data-value"), Attr(t, "y1"))).ToArray();
        Assert.True(xt[0].value <= 1 && xt[^1].value >= 5);
        Assert.True(yt[0].value <= 0.05 && yt[^1].value >= 0.31);
        Assert.True(yt[^1].pixel < yt[0].pixel, "larger values are higher on the page");

        XElement rect = WithClass(panel, "plot-area").Single();
        Assert.Equal(Attr(rect, "x"), xt[0].pixel, 1);
        Assert.Equal(Attr(rect, "x") + Attr(rect, "width"), xt[^1].pixel, 1);
        Assert.Equal(Attr(rect, "y") + Attr(rect, "height"), yt[0].pixel, 1);

        string[] points = WithClass(panel, "series").Single().Attribute("points")!.Value.Split(' ');
        Assert.Equal(5, points.Length);
        for (int i = 0; i < 5; i++)
        {
            double[] p = points[i].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            double expectedX = xt[0].pixel + ((x[i] - xt[0].value) / (xt[^1].value - xt[0].value) * (xt[^1].pixel - xt[0].pixel));
            double expectedY = yt[0].pixel + ((y[i] - yt[0].value) / (yt[^1].value - yt[0].value) * (yt[^1].pixel - yt[0].pixel));
            Assert.Equal(expectedX, p[0], 0.01);
            Assert.Equal(expectedY, p[1], 0.01);
        }
    }

    [Fact]
    public void NaN_values_break_the_line_and_are_not_drawn()
    {
        XElement panel = WithClass(Render(LossPanel([1, 2, 3, 4, 5], [0.5, 0.25, double.NaN, 0.1, double.PositiveInfinity])).Root!, "panel").Single();
        List<XElement> lines = WithClass(panel, "series").ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal(2, lines[0].Attribute("points")!.Value.Split(' ').Length);
        Assert.Single(lines[1].Attribute("points")!.Value.Split(' '));
        Assert.Equal(3, WithClass(panel, "marker").Count());
        Assert.DoesNotContain("NaN", panel.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", panel.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_or_all_NaN_chart_still_has_axes_and_says_no_data()
    {
        foreach (ChartPanel panel in new[] { LossPanel([], []), LossPanel([1, 2], [double.NaN, double.NaN]), new ChartPanel("Loss", "epoch", "loss", []) })
        {
            XElement p = WithClass(Render(panel).Root!, "panel").Single();
            Assert.Empty(WithClass(p, "series"));
            Assert.Equal("no data", WithClass(p, "no-data").Single().Value);
            Assert.True(WithClass(Axis(p, "x-axis"), "tick").Count() >= 2);
            Assert.True(WithClass(Axis(p, "y-axis"), "tick").Count() >= 2);
        }
    }

    [Fact]
    public void Names_are_escaped_and_a_saved_file_parses()
    {
        using TemporaryDirectory dir = CliRun.TemporaryDirectory();
        string path = dir.File("sub/curves.svg");
        SvgChartWriter.Save(path, "a <title> & more", [LossPanel([1], [0.5], name: "x<y & \"z\"")]);
        XDocument doc = XDocument.Load(path);
        Assert.Equal("a <title> & more", doc.Root!.Element(s_svg + "title")!.Value);
        Assert.Equal("x<y & \"z\"", WithClass(doc.Root, "legend-label").Single().Value);
        Assert.False(File.Exists(path + ".tmp"));
    }
}
