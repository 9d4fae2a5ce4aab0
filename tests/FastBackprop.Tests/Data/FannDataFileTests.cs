using System;
using System.IO;
using System.Text;
using FastBackprop.Data;
using FastBackprop.Training;
using Xunit;

namespace FastBackprop.Tests.Data;

/// <summary>
/// FANN .data files: an XOR file in FANN's layout reads to the XOR table, the writer produces FANN's layout, round trips are
/// exact in float and double, and malformed files are reported at their line and column.
/// </summary>
public sealed class FannDataFileTests : IDisposable
{
    // XOR on -1/1 in FANN's layout, as FANN's xor example trains it.
    const string XorData = "4 2 1\n-1 -1\n-1\n-1 1\n1\n1 -1\n1\n1 1\n-1\n";

    readonly string _directory = Directory.CreateTempSubdirectory("fbp-fann-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Xor_data_reads_as_the_xor_table()
    {
        Dataset<float> set = FannDataFile.Read<float>(DataFiles.Utf8(XorData));

        Assert.Equal(4, set.SampleCount);
        Assert.Equal(2, set.InputCount);
        Assert.Equal(1, set.OutputCount);
        Assert.Equal([-1f, -1, -1, 1, 1, -1, 1, 1], set.Features.ToArray());
        Assert.Equal([-1f, 1, 1, -1], set.Targets.ToArray());
    }

    [Fact]
    public void Tabs_blank_lines_exponents_and_CRLF_are_accepted()
    {
        const string text = "2 3 2\r\n\r\n0.5\t-2e-3  1E2\r\n.25 4\r\n\r\n-0 +7 1e+1\r\n1.5 -1.5\r\n\r\n";
        Dataset<double> set = FannDataFile.Read<double>(DataFiles.Utf8(text));

        Assert.Equal([0.5, -0.002, 100, 0, 7, 10], set.Features.ToArray());
        Assert.Equal([0.25, 4, 1.5, -1.5], set.Targets.ToArray());
    }

    [Fact]
    public void Writer_produces_FANNs_layout()
    {
        var set = new Dataset<double>([0.5, -2, 3, 0.1], [1, 0.25], inputCount: 2, outputCount: 1);
        using var stream = new MemoryStream();

        FannDataFile.Write(stream, set);

        Assert.Equal("2 2 1\n0.5 -2\n1\n3 0.1\n0.25\n", Encoding.ASCII.GetString(stream.ToArray()));
    }

    [Fact]
    public void Round_trip_through_a_file_is_exact_in_float_and_double()
    {
        var random = new Random(5);
        double[] features = new double[50 * 3];
        double[] targets = new double[50 * 2];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 30));
        }

        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = random.NextDouble();
        }

        features[0] = double.Epsilon;
        features[1] = double.MaxValue;
        var doubles = new Dataset<double>(features, targets, 3, 2);
        string path = Path.Combine(_directory, "d.data");
        FannDataFile.Write(path, doubles);
        Dataset<double> backDoubles = FannDataFile.Read<double>(path);
        Assert.Equal(doubles.Features.ToArray(), backDoubles.Features.ToArray());
        Assert.Equal(doubles.Targets.ToArray(), backDoubles.Targets.ToArray());

        float[] singleFeatures = Array.ConvertAll(features, v => (float)Math.Clamp(v, -1e30, 1e30));
        var floats = new Dataset<float>(singleFeatures, Array.ConvertAll(targets, v => (float)v), 3, 2);
        FannDataFile.Write(path, floats);
        Dataset<float> backFloats = FannDataFile.Read<float>(path);
        Assert.Equal(floats.Features.ToArray(), backFloats.Features.ToArray());
        Assert.Equal(floats.Targets.ToArray(), backFloats.Targets.ToArray());
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("4 2\n", "line 1: expected 3 numbers 'pairs inputs outputs', got 2")]
    [InlineData("4 two 1\n", "line 1, column 3: expected an integer of at least 1 for the number of inputs, got 'two'")]
    [InlineData("0 2 1\n", "line 1, column 1: expected an integer of at least 1 for the number of pairs, got '0'")]
    [InlineData("2 2 1\n1 2\n3\n4 5 6\n7\n", "line 4: expected 2 input values for pair 2, got 3")]
    [InlineData("2 2 1\n1 2\n3\n4 5\n", "expected 2 pairs (as line 1 says), but the file ends after 1 and the inputs of the next (line 4)")]
    [InlineData("2 2 1\n1 2\n3\n", "expected 2 pairs (as line 1 says), but the file ends after 1 (line 3)")]
    [InlineData("1 2 1\n1 2\n3 4\n", "line 3: expected 1 output values for pair 1, got 2")]
    [InlineData("1 2 1\n1 2,5\n3\n", "line 2, column 3: expected a number for input 2 of pair 1, got '2,5'")]
    [InlineData("1 2 1\n1 2\nNaN\n", "line 3, column 1: output 1 of pair 1 is 'NaN'; expected a finite number")]
    [InlineData("1 2 1\n1 1e999\n0\n", "line 2, column 3: input 2 of pair 1 is '1e999'; expected a finite number")]
    [InlineData("1 2 1\n1 2\n3\n\n4 5\n", "line 5: expected the end of the file after the 1 pairs the first line announces, got '4 5'")]
    public void Malformed_files_are_reported_where_they_go_wrong(string text, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => FannDataFile.Read<double>(DataFiles.Utf8(text), "bad.data"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("bad.data: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_header_does_not_allocate_what_it_claims()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => FannDataFile.Read<double>(DataFiles.Utf8("100000000 20 1\n1\n")));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8 << 20);
        Assert.Contains("line 2: expected 20 input values for pair 1, got 1", e.Message, StringComparison.Ordinal);
    }
}
