using System;
using System.Globalization;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace FastBackprop.Benchmarks.Columns;

/// <summary>
/// GFLOP/s: the floating-point operations of one invocation over its mean time. For a product the operations
/// are 2·M·N·K, read from the case's parameters (parameters named M, N and K, or one parameter whose value has
/// M, N and K properties, such as <see cref="GemmShape"/>); otherwise from a property named Flops, evaluated
/// with the case's parameters set (so <see cref="PeakBench"/> can report its FMA count).
/// </summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Floating-point operations per second, in 10^9 (2·M·N·K or the benchmark's Flops / mean time)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        double? flops = FlopsOf(benchmarkCase);
        if (meanNs is null or <= 0 || flops is null)
        {
            return "-";
        }

        // flops / (ns · 1e-9) / 1e9 = flops / ns.
        double gflops = flops.Value / meanNs.Value;
        return gflops.ToString("N1", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => FlopsOf(c) is not null);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <summary>The floating-point operations of one invocation of <paramref name="benchmarkCase"/>, or null when it does not say.</summary>
    public static double? FlopsOf(BenchmarkCase benchmarkCase)
    {
        int? m = null, n = null, k = null;
        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            switch (parameter.Name)
            {
                case "M": m = parameter.Value as int?; break;
                case "N": n = parameter.Value as int?; break;
                case "K": k = parameter.Value as int?; break;
                default:
                    if (parameter.Value is { } value
                        && IntProperty(value, "M") is int pm && IntProperty(value, "N") is int pn && IntProperty(value, "K") is int pk)
                    {
                        (m, n, k) = (pm, pn, pk);
                    }

                    break;
            }
        }

        if (m is not null && n is not null && k is not null)
        {
            return 2.0 * m.Value * n.Value * k.Value;
        }

        return FlopsProperty(benchmarkCase);
    }

    static int? IntProperty(object value, string name) =>
        value.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)?.GetValue(value) as int?;

    static double? FlopsProperty(BenchmarkCase benchmarkCase)
    {
        var type = benchmarkCase.Descriptor.Type;
        var property = type.GetProperty("Flops", BindingFlags.Public | BindingFlags.Instance);
        if (property is null)
        {
            return null;
        }

        // Flops may depend on the parameters (PeakBench's vector width), so evaluate it on an instance with them set.
        object instance = Activator.CreateInstance(type)!;
        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            type.GetProperty(parameter.Name)?.SetValue(instance, parameter.Value);
        }

        return property.GetValue(instance) switch
        {
            double d => d,
            long l => l,
            int i => i,
            _ => null,
        };
    }
}
