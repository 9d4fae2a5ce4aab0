using System.Globalization;
using System.IO;

namespace FastBackprop.Benchmarks.Results;

/// <summary>
/// The processor's microarchitecture, from Linux's /proc/cpuinfo, to tell apart machines that BenchmarkDotNet
/// names alike: cloud hosts call a Zen 3, a Zen 4 and a Zen 5 all "AMD EPYC", and two of those have AVX-512.
/// </summary>
public static class Microarchitecture
{
    /// <summary>"Zen 5", or "family 6 model 143" for a processor the table does not name; null where /proc/cpuinfo is not.</summary>
    public static string? Current()
    {
        const string CpuInfo = "/proc/cpuinfo";
        if (!File.Exists(CpuInfo))
        {
            return null;
        }

        string? vendor = null;
        int family = -1, model = -1;
        foreach (string line in File.ReadLines(CpuInfo))
        {
            // The first processor's block is enough: the machines measured here have one kind of core.
            if (line.Length == 0)
            {
                break;
            }

            int colon = line.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }

            string value = line[(colon + 1)..].Trim();
            switch (line[..colon].Trim())
            {
                case "vendor_id":
                    vendor = value;
                    break;
                case "cpu family":
                    family = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "model":
                    model = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
            }
        }

        return family < 0 || model < 0 ? null : Name(vendor, family, model);
    }

    /// <summary>
    /// AMD's Zen generations by family and model (family 19h holds both Zen 3 and Zen 4, told apart by model
    /// ranges); any other processor by its numbers.
    /// </summary>
    public static string Name(string? vendor, int family, int model) => (vendor, family) switch
    {
        ("AuthenticAMD", 0x17) => model >= 0x30 ? "Zen 2" : "Zen",
        ("AuthenticAMD", 0x19) => model is (>= 0x10 and <= 0x1F) or (>= 0x60 and <= 0x7F) or (>= 0xA0 and <= 0xAF) ? "Zen 4" : "Zen 3",
        ("AuthenticAMD", 0x1A) => "Zen 5",
        _ => $"family {family} model {model}",
    };
}
