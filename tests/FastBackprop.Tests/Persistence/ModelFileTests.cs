using System;
using System.IO;
using System.Numerics;
using System.Runtime.CompilerServices;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using FastBackprop.Persistence;
using FastBackprop.Tests.TestUtilities;
using FastBackprop.Training;
using Xunit;

namespace FastBackprop.Tests.Persistence;

/// <summary>
/// The model file format: the checked-in version-1 files (written by an independent script from
/// docs/model-format.md) load with the worked example's weights from DESIGN.md, the writer reproduces them byte
/// for byte, round trips are bit-exact, and every kind of bad file is an InvalidDataException that says what is
/// wrong.
/// </summary>
public class ModelFileTests
{
    const string V1 = "worked-example-v1.fbp";
    const string V1Checkpoint = "worked-example-checkpoint-v1.fbp";

    // Offsets in a file of the 2-2-2 network (docs/model-format.md).
    const int VersionOffset = 8, ElementOffset = 10, LossOffset = 11, FlagsOffset = 12, ReservedOffset = 13;
    const int InputsOffset = 16, LayerCountOffset = 20, LayerTableOffset = 24, ParameterCountOffset = 40, ParametersOffset = 48;

    [Fact]
    public void Version1_file_loads_the_worked_example_with_the_design_weights()
    {
        Network<double> net = ModelFile.Load<double>(ModelFiles.Fixture(V1), out TrainingCheckpoint<double>? checkpoint);

        Assert.Null(checkpoint);
        Assert.Equal(2, net.InputCount);
        Assert.Equal(Loss.SquaredError, net.Loss);
        Assert.Equal(new LayerSpec(2, Activation.Sigmoid), net.GetLayer(0));
        Assert.Equal(new LayerSpec(2, Activation.Sigmoid), net.GetLayer(1));
        Assert.Equal(ModelFiles.WorkedExampleParameters, net.Parameters.ToArray());

        // And it computes the example's outputs (DESIGN.md, nine decimals).
        using Workspace<double> ws = net.CreateWorkspace(1);
        double[] outputs = new double[2];
        net.Predict(WorkedExample.Inputs, outputs, ws);
        Assert.Equal(0.751365070, outputs[0], 1e-9);
        Assert.Equal(0.772928465, outputs[1], 1e-9);
    }

    [Fact]
    public void Version1_file_with_checkpoint_loads_every_field()
    {
        Network<float> net = ModelFile.Load<float>(ModelFiles.Fixture(V1Checkpoint), out TrainingCheckpoint<float>? checkpoint);

        for (int i = 0; i < net.ParameterCount; i++)
        {
            Assert.Equal((float)ModelFiles.WorkedExampleParameters[i], net.Parameters[i]);
        }

        Assert.NotNull(checkpoint);
        AssertSame(ModelFiles.FixtureCheckpoint(), checkpoint);
    }

    [Fact]
    public void Save_writes_the_bytes_of_the_independent_version1_writer()
    {
        Assert.Equal(ModelFiles.FixtureBytes(V1), ModelFiles.Save(WorkedExample.Create<double>()));
        Assert.Equal(ModelFiles.FixtureBytes(V1Checkpoint), ModelFiles.Save(WorkedExample.Create<float>(), ModelFiles.FixtureCheckpoint()));
    }

    [Fact]
    public void ReadHeader_tells_the_element_type_layers_loss_and_checkpoint_without_T()
    {
        ModelFileInfo plain = ModelFile.ReadHeader(ModelFiles.Fixture(V1));
        Assert.Equal(1, plain.FormatVersion);
        Assert.Equal(ModelElementType.Float64, plain.ElementType);
        Assert.Equal(2, plain.InputCount);
        Assert.Equal([new LayerSpec(2, Activation.Sigmoid), new LayerSpec(2, Activation.Sigmoid)], plain.Layers);
        Assert.Equal(Loss.SquaredError, plain.Loss);
        Assert.Equal(12, plain.ParameterCount);
        Assert.False(plain.HasCheckpoint);

        ModelFileInfo withCheckpoint = ModelFile.ReadHeader(ModelFiles.Fixture(V1Checkpoint));
        Assert.Equal(ModelElementType.Float32, withCheckpoint.ElementType);
        Assert.True(withCheckpoint.HasCheckpoint);
    }

    [Fact]
    public void Round_trip_is_bit_exact_for_every_loss_and_both_element_types()
    {
        foreach (Loss loss in Enum.GetValues<Loss>())
        {
            RoundTrip<float>(loss);
            RoundTrip<double>(loss);
        }
    }

    static void RoundTrip<T>(Loss loss)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Network<T> original = ModelFiles.Random<T>(seed: 3 + (int)loss, loss);
        TrainingCheckpoint<T> saved = ModelFiles.Checkpoint(original, seed: 5);

        Network<T> plain = ModelFile.Load<T>(new MemoryStream(ModelFiles.Save(original)), out TrainingCheckpoint<T>? none);
        Assert.Null(none);
        AssertSame(original, plain);

        Network<T> loaded = ModelFile.Load<T>(new MemoryStream(ModelFiles.Save(original, saved)), out TrainingCheckpoint<T>? checkpoint);
        AssertSame(original, loaded);
        Assert.NotNull(checkpoint);
        AssertSame(saved, checkpoint);
    }

    [Fact]
    public void Path_round_trip_and_a_stream_that_cannot_seek()
    {
        string directory = Directory.CreateTempSubdirectory("fbp-").FullName;
        try
        {
            Network<double> original = ModelFiles.Random<double>(seed: 11);
            string path = Path.Combine(directory, "model.fbp");
            ModelFile.Save(path, original);
            AssertSame(original, ModelFile.Load<double>(path));
            AssertSame(original, ModelFile.Load<double>(new ForwardOnlyStream(File.ReadAllBytes(path))));
            Assert.Equal(ModelElementType.Float64, ModelFile.ReadHeader(new ForwardOnlyStream(File.ReadAllBytes(path))).ElementType);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Loading_as_the_other_element_type_says_which_to_use()
    {
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load<float>(ModelFiles.Fixture(V1)));
        Assert.Contains("Float64", e.Message);
        Assert.Contains("Network<double>", e.Message);
    }

    [Fact]
    public void Every_truncation_is_refused_as_truncated()
    {
        foreach (string name in new[] { V1, V1Checkpoint })
        {
            byte[] file = ModelFiles.FixtureBytes(name);
            for (int length = 0; length < file.Length; length++)
            {
                var e = name == V1
                    ? Assert.Throws<InvalidDataException>(() => ModelFile.Load<double>(new MemoryStream(file, 0, length)))
                    : Assert.Throws<InvalidDataException>(() => ModelFile.Load<float>(new MemoryStream(file, 0, length)));
                Assert.Contains(length < 8 ? "fewer than the 8-byte magic" : "truncated", e.Message);
                Assert.Throws<InvalidDataException>(() => ModelFile.ReadHeader(new MemoryStream(file, 0, length)));
            }
        }
    }

    [Fact]
    public void Wrong_magic_is_refused_as_not_a_model_file()
    {
        byte[] file = ModelFiles.FixtureBytes(V1);
        byte[] text = (byte[])file.Clone();
        text[4] = (byte)'\n';   // what a text-mode CR LF -> LF conversion does to the magic
        byte[] png = (byte[])file.Clone();
        "\x89PNG"u8.ToArray().CopyTo(png, 0);
        foreach (byte[] bad in new[] { text, png, "hello, world\n"u8.ToArray() })
        {
            var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load<double>(new MemoryStream(bad)));
            Assert.Contains("not a FastBackprop model file", e.Message);
        }
    }

    [Fact]
    public void Newer_and_impossible_versions_are_refused_with_the_version()
    {
        byte[] file = ModelFiles.FixtureBytes(V1);
        byte[] newer = (byte[])file.Clone();
        newer[VersionOffset] = 2;
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load<double>(new MemoryStream(ModelFiles.WithChecksum(newer))));
        Assert.Contains("format version 2, newer than this library reads (versions 1 to 1)", e.Message);

        // Even when all that is left of the newer file is its first ten bytes.
        e = Assert.Throws<InvalidDataException>(() => ModelFile.Load<double>(new MemoryStream(newer, 0, 10)));
        Assert.Contains("format version 2", e.Message);

        byte[] zero = (byte[])file.Clone();
        zero[VersionOffset] = 0;
        e = Assert.Throws<InvalidDataException>(() => ModelFile.Load<double>(new MemoryStream(zero)));
        Assert.Contains("format version 0", e.Message);
    }

    [Fact]
    public void A_flipped_bit_anywhere_past_the_header_is_a_checksum_mismatch()
    {
        byte[] file = ModelFiles.FixtureBytes(V1);
        for (int offset = ParametersOffset; offset < file.Length; offset++)
        {
            byte[] bad = (byte[])file.Clone();
            bad[offset] ^= 0x10;
            var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load<double>(new MemoryStream(bad)));
            Assert.Contains("checksum does not match", e.Message);
        }
    }

    [Theory]
    [InlineData(ElementOffset, 2, "element type is 2")]
    [InlineData(LossOffset, 9, "loss is 9")]
    [InlineData(FlagsOffset, 0x82, "flags are 0x82")]
    [InlineData(ReservedOffset, 1, "reserved bytes")]
    public void Bad_header_bytes_are_named(int offset, byte value, string expected)
    {
        byte[] file = ModelFiles.FixtureBytes(V1);
        file[offset] = value;
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load<double>(new MemoryStream(ModelFiles.WithChecksum(file))));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData(InputsOffset, 0, "input count is 0")]
    [InlineData(LayerCountOffset, -1, "layer count is -1")]
    [InlineData(LayerTableOffset, 0, "layer 0 has 0 units")]
    [InlineData(LayerTableOffset + 4, 77, "layer 0 has activation 77")]
    [InlineData(LayerTableOffset + 4, (int)Activation.Softmax, "layer 0 of 2 uses Softmax")]
    [InlineData(ParameterCountOffset, 13, "parameter count of 13, but its layers have 12")]
    public void Bad_header_fields_are_named(int offset, int value, string expected)
    {
        byte[] file = ModelFiles.SetInt32(ModelFiles.FixtureBytes(V1), offset, value);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load<double>(new MemoryStream(ModelFiles.WithChecksum(file))));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_loss_that_does_not_fit_the_output_is_refused()
    {
        byte[] file = ModelFiles.FixtureBytes(V1);
        file[LossOffset] = (byte)Loss.SoftmaxCrossEntropy;
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load<double>(new MemoryStream(ModelFiles.WithChecksum(file))));
        Assert.Contains("loss SoftmaxCrossEntropy does not fit its output activation Sigmoid", e.Message);
    }

    // Each forged header is consistent (its stored parameter count matches its layers) and has a valid checksum.
    [Theory]
    [InlineData(InputsOffset, 1_000_000, 2_000_008L)]              // 10^6 inputs x 2 units: 16 MB of doubles
    [InlineData(LayerTableOffset, 1_000_000_000, 12L)]             // 3 * 10^9 parameters: more than an array holds
    [InlineData(LayerCountOffset, int.MaxValue, 12L)]              // a layer table of 16 GB
    [InlineData(LayerTableOffset + 8, 46_000, 138_006L)]           // 2 -> 2 -> 46,000 units: about 1.1 MB of doubles
    public void Dimensions_the_file_cannot_hold_are_refused_before_allocating(int offset, int value, long parameters)
    {
        byte[] forged = ModelFiles.SetInt32(ModelFiles.FixtureBytes(V1), offset, value);
        BitConverter.TryWriteBytes(forged.AsSpan(ParameterCountOffset), parameters);
        byte[] file = ModelFiles.WithChecksum(forged);
        var stream = new MemoryStream(file);
        InvalidDataException? e = null;
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            ModelFile.Load<double>(stream);
        }
        catch (InvalidDataException caught)
        {
            e = caught;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.NotNull(e);
        Assert.True(allocated < 64 * 1024, $"Loading a {file.Length}-byte file allocated {allocated} bytes: {e.Message}");
        Assert.Contains(value == 1_000_000_000 ? "more than" : "truncated or a count in it is wrong", e.Message);
    }

    [Fact]
    public void Checkpoint_counts_the_file_cannot_hold_are_refused_before_allocating()
    {
        byte[] file = ModelFiles.FixtureBytes(V1Checkpoint);

        // The checkpoint starts after 12 float parameters: epoch, steps, rate, best loss, best epoch (32 bytes),
        // the name length and the 5-byte name, then the optimizer state's length.
        int stateLength = ParametersOffset + (12 * 4) + 32 + 4 + 5;
        byte[] bad = ModelFiles.WithChecksum(ModelFiles.SetInt32(file, stateLength, int.MaxValue));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load<float>(new MemoryStream(bad)));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("optimizer state", e.Message);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes");

        bad = ModelFiles.WithChecksum(ModelFiles.SetInt32(file, stateLength - 9, 100_000));
        e = Assert.Throws<InvalidDataException>(() => ModelFile.Load<float>(new MemoryStream(bad)));
        Assert.Contains("optimizer name is 100000 bytes long", e.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_parameters_are_refused_by_position(double value)
    {
        string expected = $"parameter 5 (layer 0 bias 1) is {value}";
        Network<double> net = WorkedExample.Create<double>();
        byte[] file = ModelFiles.Save(net);
        BitConverter.TryWriteBytes(file.AsSpan(ParametersOffset + (5 * 8)), value);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load<double>(new MemoryStream(ModelFiles.WithChecksum(file))));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Non_finite_checkpoint_state_is_refused()
    {
        byte[] file = ModelFiles.FixtureBytes(V1Checkpoint);
        int firstState = ParametersOffset + (12 * 4) + 32 + 4 + 5 + 4;
        BitConverter.TryWriteBytes(file.AsSpan(firstState + 4), float.NaN);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load<float>(new MemoryStream(ModelFiles.WithChecksum(file))));
        Assert.Contains("optimizer state element 1 is NaN", e.Message);
    }

    [Fact]
    public void Bytes_after_the_last_section_are_refused()
    {
        byte[] file = ModelFiles.FixtureBytes(V1);
        byte[] longer = new byte[file.Length + 3];
        file.AsSpan(0, file.Length - 32).CopyTo(longer);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load<double>(new MemoryStream(ModelFiles.WithChecksum(longer))));
        Assert.Contains("3 unexpected bytes after its last section", e.Message);
    }

    [Fact]
    public void Save_refuses_non_finite_parameters_and_bad_checkpoints_before_touching_the_file()
    {
        string directory = Directory.CreateTempSubdirectory("fbp-").FullName;
        try
        {
            string path = Path.Combine(directory, "model.fbp");
            File.WriteAllBytes(path, [1, 2, 3]);
            Network<float> net = WorkedExample.Create<float>();
            net.Parameters[7] = float.NaN;
            var e = Assert.Throws<ArgumentException>(() => ModelFile.Save(path, net));
            Assert.Equal("network", e.ParamName);
            Assert.Contains("parameter 7 (layer 1 weight [input 0, unit 1]) is NaN", e.Message);

            net = WorkedExample.Create<float>();
            TrainingCheckpoint<float> good = ModelFiles.FixtureCheckpoint();
            TrainingCheckpoint<float>[] bad =
            [
                Copy(good, bestParameters: new float[3]),
                Copy(good, epoch: -1),
                Copy(good, learningRate: double.NaN),
                Copy(good, name: new string('x', 300)),
                Copy(good, state: [float.PositiveInfinity]),
            ];
            foreach (TrainingCheckpoint<float> checkpoint in bad)
            {
                e = Assert.Throws<ArgumentException>(() => ModelFile.Save(path, net, checkpoint));
                Assert.Equal("checkpoint", e.ParamName);
            }

            Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
            Assert.Single(Directory.GetFiles(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    static TrainingCheckpoint<float> Copy(TrainingCheckpoint<float> c, int? epoch = null, double? learningRate = null, string? name = null, float[]? state = null, float[]? bestParameters = null) => new()
    {
        Epoch = epoch ?? c.Epoch,
        OptimizerName = name ?? c.OptimizerName,
        OptimizerStepCount = c.OptimizerStepCount,
        LearningRate = learningRate ?? c.LearningRate,
        OptimizerState = state ?? c.OptimizerState,
        RandomState = c.RandomState,
        BestValidationLoss = c.BestValidationLoss,
        BestEpoch = c.BestEpoch,
        BestParameters = bestParameters ?? c.BestParameters,
    };

    internal static void AssertSame<T>(Network<T> expected, Network<T> actual)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Assert.Equal(expected.InputCount, actual.InputCount);
        Assert.Equal(expected.Loss, actual.Loss);
        Assert.Equal(expected.LayerCount, actual.LayerCount);
        for (int l = 0; l < expected.LayerCount; l++)
        {
            Assert.Equal(expected.GetLayer(l), actual.GetLayer(l));
        }

        AssertBits<T>(expected.Parameters, actual.Parameters);
    }

    internal static void AssertSame<T>(TrainingCheckpoint<T> expected, TrainingCheckpoint<T> actual)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Epoch, actual.Epoch);
        Assert.Equal(expected.OptimizerName, actual.OptimizerName);
        Assert.Equal(expected.OptimizerStepCount, actual.OptimizerStepCount);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.LearningRate), BitConverter.DoubleToInt64Bits(actual.LearningRate));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.BestValidationLoss), BitConverter.DoubleToInt64Bits(actual.BestValidationLoss));
        Assert.Equal(expected.BestEpoch, actual.BestEpoch);
        Assert.Equal(expected.RandomState, actual.RandomState);
        AssertBits<T>(expected.OptimizerState, actual.OptimizerState);
        AssertBits<T>(expected.BestParameters, actual.BestParameters);
    }

    static void AssertBits<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            T e = expected[i];
            T a = actual[i];
            long eb = Unsafe.SizeOf<T>() == 4 ? Unsafe.As<T, int>(ref e) : Unsafe.As<T, long>(ref e);
            long ab = Unsafe.SizeOf<T>() == 4 ? Unsafe.As<T, int>(ref a) : Unsafe.As<T, long>(ref a);
            Assert.True(eb == ab, $"element {i}: expected {e} (0x{eb:X}), got {a} (0x{ab:X})");
        }
    }
}
