using System;
using FastBackprop.Cli.Commands.Train;
using FastBackprop.Training;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace FastBackprop.Cli.Display;

/// <summary>
/// The terminal display: a header, a table that grows by one row per epoch (loss, accuracy, samples/s, time) under
/// a progress bar with the time left, redrawn in place; then a summary table.
/// </summary>
internal sealed class LiveTrainingDisplay(IAnsiConsole console) : ITrainingDisplay
{
    const int BarWidth = 36;

    public TrainingResult Run(TrainingPlan plan, Func<IProgress<EpochReport>, TrainingResult> train)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(train);
        var header = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach ((string label, string value) in SummaryRows.Header(plan))
        {
            header.AddRow(new Markup($"[grey]{label}[/]"), new Markup(Markup.Escape(value)));
        }

        console.Write(new Rule("[bold]fastbackprop train[/]").LeftJustified());
        console.Write(header);
        console.WriteLine();

        Table table = CreateTable(plan);
        IRenderable Frame(int done, TimeSpan elapsed) => new Rows(table, ProgressLine(plan, done, elapsed));
        return console.Live(Frame(0, TimeSpan.Zero)).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).Start(context =>
            train(new ProgressRelay<EpochReport>(report =>
            {
                AddRow(table, plan, report);
                context.UpdateTarget(Frame(report.Epoch, report.Elapsed));
                context.Refresh();
            })));
    }

    public void ShowSummary(TrainingSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]summary[/]").HideHeaders()
            .AddColumn(new TableColumn(string.Empty).NoWrap()).AddColumn(new TableColumn(string.Empty));
        foreach ((string label, string value) in SummaryRows.Result(summary))
        {
            string shown = label == "test" ? $"[bold green]{Markup.Escape(value)}[/]" : Markup.Escape(value);
            table.AddRow(new Markup($"[grey]{label}[/]"), new Markup(shown));
        }

        console.WriteLine();
        console.Write(table);
    }

    static Table CreateTable(TrainingPlan plan)
    {
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn(new TableColumn("epoch").RightAligned());
        table.AddColumn(new TableColumn("train loss").RightAligned());
        if (plan.IsClassification)
        {
            table.AddColumn(new TableColumn("train acc").RightAligned());
        }

        if (plan.MonitorSamples > 0)
        {
            table.AddColumn(new TableColumn($"{plan.MonitorName} loss").RightAligned());
            if (plan.IsClassification)
            {
                table.AddColumn(new TableColumn($"{plan.MonitorName} acc").RightAligned());
            }
        }

        table.AddColumn(new TableColumn("samples/s").RightAligned());
        table.AddColumn(new TableColumn("time").RightAligned());
        return table;
    }

    static void AddRow(Table table, TrainingPlan plan, EpochReport report)
    {
        var cells = new System.Collections.Generic.List<string>
        {
            $"{report.Epoch}/{plan.MaxEpochs}",
            Format.Loss(report.TrainingLoss),
        };
        if (plan.IsClassification)
        {
            cells.Add(Format.Percent(report.TrainingAccuracy));
        }

        if (plan.MonitorSamples > 0)
        {
            cells.Add(Format.Loss(report.ValidationLoss));
            if (plan.IsClassification)
            {
                cells.Add($"[bold]{Format.Percent(report.ValidationAccuracy)}[/]");
            }
        }

        cells.Add(Format.Rate(report.SamplesPerSecond));
        cells.Add(Format.Duration(report.Elapsed));
        table.AddRow(cells.ToArray());
    }

    static Markup ProgressLine(TrainingPlan plan, int done, TimeSpan elapsed)
    {
        int filled = plan.MaxEpochs == 0 ? 0 : (int)Math.Round((double)BarWidth * Math.Min(done, plan.MaxEpochs) / plan.MaxEpochs);
        string bar = new string('━', filled) + "[grey]" + new string('━', BarWidth - filled) + "[/]";
        string status = done == 0
            ? "epoch 1 running…"
            : $"{done}/{plan.MaxEpochs} epochs · {Format.Duration(elapsed)} elapsed · ~{Format.Seconds(TimeLeft.Estimate(done, plan.MaxEpochs, elapsed))} left";
        return new Markup($"[green]{bar}[/] {Markup.Escape(status)}");
    }
}
