using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using FastBackprop.Persistence;
using FastBackprop.Tests.TestUtilities;
using Xunit;

namespace FastBackprop.Tests.Persistence;

/// <summary>
/// .npz interchange: files NumPy wrote (make_npz_fixtures.py) import with the weights and outputs NumPy gives,
/// exports reproduce NumPy's own .npy bytes, round trips are exact, and a mismatch names the array and shapes.
/// </summary>
public sealed class NpzFileTests : IDisposable
{
    readonly string _directory = Directory.CreateTempSubdirectory("fbp-npz-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void NumPy_written_worked_example_imports_with_the_design_weights()
    {
        Network<double> net = WorkedExample.Create<double>();
        net.InitializeWeights(seed: 9);
        NpzFile.Import(ModelFiles.Fixture("worked-example-torch.npz"), net);

        Assert.Equal(ModelFiles.WorkedExampleParameters, net.Parameters.ToArray());
        using Workspace<double> ws = net.CreateWorkspace(1);
        double[] outputs = new double[2];
        net.Predict(WorkedExample.Inputs, outputs, ws);
        Assert.Equal(0.751365070, outputs[0], 1e-9);
        Assert.Equal(0.772928465, outputs[1], 1e-9);
    }

    [Fact]
    public void NumPy_written_float32_mlp_in_fortran_order_and_deflated_gives_numpys_outputs()
    {
        var net = new Network<float>(3, Loss.SquaredError, new LayerSpec(4, Activation.Tanh), new LayerSpec(2, Activation.Sigmoid));
        NpzFile.Import(ModelFiles.Fixture("mlp-3-4-2-float32.npz"), net);

        using Workspace<float> ws = net.CreateWorkspace(1);
        int samples = 0;
        foreach (string line in File.ReadAllLines(ModelFiles.Fixture("mlp-3-4-2-float32.expected.txt")))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            double[] values = Array.ConvertAll(line.Split(' '), v => double.Parse(v, CultureInfo.InvariantCulture));
            float[] x = [(float)values[0], (float)values[1], (float)values[2]];
            float[] y = new float[2];
            net.Predict(x, y, ws);
            Assert.Equal(values[3], y[0], 1e-6);
            Assert.Equal(values[4], y[1], 1e-6);
            samples++;
        }

        Assert.Equal(3, samples);
    }

    [Fact]
    public void Export_writes_the_same_npy_arrays_as_numpy()
    {
        string path = Path.Combine(_directory, "worked.npz");
        NpzFile.Export(path, WorkedExample.Create<double>());
        using ZipArchive ours = ZipFile.OpenRead(path);
        using ZipArchive numpy = ZipFile.OpenRead(ModelFiles.Fixture("worked-example-torch.npz"));
        Assert.Equal(numpy.Entries.Count, ours.Entries.Count);
        foreach (ZipArchiveEntry expected in numpy.Entries)
        {
            ZipArchiveEntry? actual = ours.GetEntry(expected.FullName);
            Assert.NotNull(actual);
            Assert.Equal(ReadAll(expected), ReadAll(actual));
        }
    }

    [Fact]
    public void Round_trip_is_exact_for_both_element_types()
    {
        RoundTrip(ModelFiles.Random<float>(seed: 4));
        RoundTrip(ModelFiles.Random<double>(seed: 5));

        void RoundTrip<T>(Network<T> original)
            where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
        {
            string path = Path.Combine(_directory, $"round-trip-{typeof(T).Name}.npz");
            NpzFile.Export(path, original);
            Network<T> copy = ModelFiles.Random<T>(seed: 99);
            NpzFile.Import(path, copy);
            ModelFileTests.AssertSame(original, copy);
            Assert.Equal([path], Directory.GetFiles(_directory, $"*{typeof(T).Name}*"));
        }
    }

    [Fact]
    public void A_shape_mismatch_names_the_array_and_both_shapes_and_leaves_the_network_unchanged()
    {
        var net = new Network<double>(3, Loss.SquaredError, new LayerSpec(2, Activation.Sigmoid), new LayerSpec(2, Activation.Sigmoid));
        double[] before = net.Parameters.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => NpzFile.Import(ModelFiles.Fixture("worked-example-torch.npz"), net));
        Assert.Equal("Array 'layers.0.weight' has shape (2, 2), but the network expects (2, 3).", e.Message);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void Missing_and_extra_arrays_are_named()
    {
        var deeper = new Network<double>(2, Loss.SquaredError, new LayerSpec(2, Activation.Sigmoid), new LayerSpec(2, Activation.Sigmoid), new LayerSpec(1, Activation.Identity));
        var e = Assert.Throws<InvalidDataException>(() => NpzFile.Import(ModelFiles.Fixture("worked-example-torch.npz"), deeper));
        Assert.Contains("no array 'layers.2.weight' (expected shape (1, 2))", e.Message);

        var shallower = new Network<double>(2, Loss.SquaredError, new LayerSpec(2, Activation.Sigmoid));
        double[] before = shallower.Parameters.ToArray();
        e = Assert.Throws<InvalidDataException>(() => NpzFile.Import(ModelFiles.Fixture("worked-example-torch.npz"), shallower));
        Assert.Contains("holds array 'layers.1.", e.Message);
        Assert.Equal(before, shallower.Parameters.ToArray());
    }

    [Fact]
    public void Non_finite_values_wrong_types_and_non_zip_files_are_refused()
    {
        string nan = WriteNpz("nan.npz", "<f8", [double.NaN, 0, 0, 0]);
        var net = new Network<double>(2, Loss.SquaredError, new LayerSpec(2, Activation.Sigmoid));
        var e = Assert.Throws<InvalidDataException>(() => NpzFile.Import(nan, net));
        Assert.Contains("Array 'layers.0.weight' element [0, 0] is NaN", e.Message);

        string ints = WriteNpz("ints.npz", "<i4", [0, 0, 0, 0]);
        e = Assert.Throws<InvalidDataException>(() => NpzFile.Import(ints, net));
        Assert.Contains("element type '<i4'", e.Message);

        string text = Path.Combine(_directory, "text.npz");
        File.WriteAllText(text, "not a zip archive");
        Assert.Throws<InvalidDataException>(() => NpzFile.Import(text, net));

        // A float64 value beyond float32's range is refused rather than imported as infinity.
        string big = WriteNpz("big.npz", "<f8", [1e300, 0, 0, 0]);
        e = Assert.Throws<InvalidDataException>(() => NpzFile.Import(big, new Network<float>(2, Loss.SquaredError, new LayerSpec(2, Activation.Sigmoid))));
        Assert.Contains("beyond the range of Single", e.Message);
    }

    [Fact]
    public void Export_refuses_non_finite_parameters_without_touching_the_file()
    {
        string path = Path.Combine(_directory, "model.npz");
        File.WriteAllBytes(path, [7]);
        Network<float> net = WorkedExample.Create<float>();
        net.Parameters[4] = float.PositiveInfinity;
        var e = Assert.Throws<ArgumentException>(() => NpzFile.Export(path, net));
        Assert.Equal("network", e.ParamName);
        Assert.Equal([7], File.ReadAllBytes(path));
    }

    /// <summary>An .npz with a [2, 2] layers.0.weight of the given descr and a zero bias, written by hand.</summary>
    string WriteNpz(string name, string descr, double[] weight)
    {
        string path = Path.Combine(_directory, name);
        using (ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            Write(zip, "layers.0.weight.npy", descr, "(2, 2)", weight);
            Write(zip, "layers.0.bias.npy", "<f8", "(2,)", [0, 0]);
        }

        return path;

        static void Write(ZipArchive zip, string entry, string descr, string shape, double[] values)
        {
            using Stream s = zip.CreateEntry(entry).Open();
            string header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
            header = header.PadRight(64 - 10 - 1) + "\n";
            s.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0]);
            s.Write(System.Text.Encoding.ASCII.GetBytes(header));
            foreach (double v in values)
            {
                if (descr == "<i4")
                {
                    s.Write(BitConverter.GetBytes((int)v));
                }
                else
                {
                    s.Write(BitConverter.GetBytes(v));
                }
            }
        }
    }

    static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using Stream s = entry.Open();
        var copy = new MemoryStream();
        s.CopyTo(copy);
        return copy.ToArray();
    }
}
