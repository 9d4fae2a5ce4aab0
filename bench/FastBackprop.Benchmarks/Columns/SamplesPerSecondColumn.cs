using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace FastBackprop.Benchmarks.Columns;

/// <summary>Samples per second: the benchmark's batch size (a parameter or property named Batch) over its mean time.</summary>
public sealed class SamplesPerSecondColumn : IColumn
{
    public string Id => nameof(SamplesPerSecondColumn);

    public string ColumnName => "Samples/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Samples processed per second (batch size / mean time)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        double? meanNs = report?.ResultStatistics?.Mean;
        int? batch = BatchOf(benchmarkCase);
        if (meanNs is null or <= 0 || batch is null)
        {
            return "-";
        }

        double perSecond = batch.Value / (meanNs.Value * 1e-9);
        return perSecond.ToString("N0", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => BatchOf(c) is not null);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    static int? BatchOf(BenchmarkCase benchmarkCase)
    {
        var type = benchmarkCase.Descriptor.Type;
        var property = type.GetProperty("Batch");
        if (property is null)
        {
            return null;
        }

        // Batch is derived from the parameters, so evaluate it on an instance with those parameters set.
        object instance = System.Activator.CreateInstance(type)!;
        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            type.GetProperty(parameter.Name)?.SetValue(instance, parameter.Value);
        }

        return property.GetValue(instance) as int?;
    }
}
