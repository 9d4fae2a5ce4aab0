namespace FastBackprop.Cli.Common;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a small, fast, seeded generator for the tool's own draws (validation
/// splits, benchmark and gradient-check data). Reproducible on every platform, unlike <see cref="System.Random"/>'s
/// unspecified algorithm.
/// </summary>
internal sealed class SeededRandom(ulong seed)
{
    ulong _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1), from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double NextDouble(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>Uniform in [0, <paramref name="bound"/>), bound positive (the tiny modulo bias does not matter here).</summary>
    public int NextInt(int bound) => (int)(NextUInt64() % (ulong)bound);
}
