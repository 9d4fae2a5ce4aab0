using System;
using System.IO;
using FastBackprop.Data;
using FastBackprop.Tests.Persistence;
using FastBackprop.Training;
using Xunit;

namespace FastBackprop.Tests.Data;

/// <summary>
/// IDX reading on hand-built files (raw, gzipped, through a stream that cannot seek), writing to the same bytes,
/// datasets with known features and targets, and every kind of malformed file.
/// </summary>
public sealed class IdxFileTests : IDisposable
{
    // Two items of 2 x 3 bytes: magic 00 00 08 03, sizes 2, 2, 3, then 1..12.
    static readonly byte[] s_twoByTwoByThree =
    [
        0x00, 0x00, 0x08, 0x03,
        0x00, 0x00, 0x00, 0x02,
        0x00, 0x00, 0x00, 0x02,
        0x00, 0x00, 0x00, 0x03,
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ];

    // Three 1 x 2 images with pixels 0, 255 / 51, 102 / 255, 0 and the labels 2, 0, 1.
    static readonly byte[] s_images = [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 255, 51, 102, 255, 0];
    static readonly byte[] s_labels = [0, 0, 8, 1, 0, 0, 0, 3, 2, 0, 1];

    readonly string _directory = Directory.CreateTempSubdirectory("fbp-idx-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Raw_file_reads_its_dimensions_and_bytes()
    {
        string path = Path.Combine(_directory, "a.idx");
        File.WriteAllBytes(path, s_twoByTwoByThree);

        IdxArray array = IdxFile.Read(path);

        Assert.Equal([2, 2, 3], array.Dimensions.ToArray());
        Assert.Equal(2, array.Count);
        Assert.Equal(6, array.ItemLength);
        Assert.Equal([7, 8, 9, 10, 11, 12], array.Item(1).ToArray());
        Assert.Equal(s_twoByTwoByThree[16..], array.Data.ToArray());
    }

    [Fact]
    public void Gzip_is_recognised_by_its_bytes_not_its_name()
    {
        string gzipped = Path.Combine(_directory, "gzipped.idx");
        string raw = Path.Combine(_directory, "raw.gz");
        File.WriteAllBytes(gzipped, DataFiles.Gzip(s_twoByTwoByThree));
        File.WriteAllBytes(raw, s_twoByTwoByThree);

        Assert.Equal(s_twoByTwoByThree[16..], IdxFile.Read(gzipped).Data.ToArray());
        Assert.Equal(s_twoByTwoByThree[16..], IdxFile.Read(raw).Data.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Stream_that_cannot_seek_reads_the_same(bool gzip)
    {
        byte[] bytes = gzip ? DataFiles.Gzip(s_twoByTwoByThree) : s_twoByTwoByThree;
        using var stream = new ForwardOnlyStream(bytes);

        IdxArray array = IdxFile.Read(stream);

        Assert.Equal([2, 2, 3], array.Dimensions.ToArray());
        Assert.Equal(s_twoByTwoByThree[16..], array.Data.ToArray());
    }

    [Fact]
    public void Write_gives_the_hand_built_bytes_and_gzip_round_trips()
    {
        var array = new IdxArray([2, 2, 3], s_twoByTwoByThree.AsSpan(16));
        using var raw = new MemoryStream();
        IdxFile.Write(raw, array);
        Assert.Equal(s_twoByTwoByThree, raw.ToArray());

        using var gzipped = new MemoryStream();
        IdxFile.Write(gzipped, array, gzip: true);
        Assert.Equal(0x1F, gzipped.ToArray()[0]);
        gzipped.Position = 0;
        IdxArray back = IdxFile.Read(gzipped);
        Assert.Equal(array.Dimensions.ToArray(), back.Dimensions.ToArray());
        Assert.Equal(array.Data.ToArray(), back.Data.ToArray());

        string path = Path.Combine(_directory, "written.gz");
        IdxFile.Write(path, array, gzip: true);
        Assert.Equal([0x1F, 0x8B], File.ReadAllBytes(path)[..2]);
        Assert.Equal(array.Data.ToArray(), IdxFile.Read(path).Data.ToArray());
    }

    [Fact]
    public void Dataset_scales_pixels_by_255_and_one_hot_encodes_labels()
    {
        using var images = new MemoryStream(s_images);
        using var labels = new MemoryStream(s_labels);

        Dataset<double> set = IdxFile.LoadDataset<double>(images, labels, classCount: 3);

        Assert.Equal(3, set.SampleCount);
        Assert.Equal(2, set.InputCount);
        double[] expected = [0, 1, 0.2, 0.4, 1, 0];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], set.Features[i], 1e-15);
        }

        Assert.Equal([0, 0, 1, 1, 0, 0, 0, 1, 0], set.Targets.ToArray());
    }

    [Fact]
    public void Dataset_with_index_targets_holds_the_label_values()
    {
        string images = Path.Combine(_directory, "i");
        string labels = Path.Combine(_directory, "l.gz");
        File.WriteAllBytes(images, s_images);
        File.WriteAllBytes(labels, DataFiles.Gzip(s_labels));

        Dataset<float> set = IdxFile.LoadDataset<float>(images, labels, classCount: 3, LabelEncoding.Index);

        Assert.Equal(1, set.OutputCount);
        Assert.Equal([2f, 0f, 1f], set.Targets.ToArray());
        Assert.Equal(0.2f, set.Features[2]);
    }

    [Fact]
    public void Wrong_magic_is_named_with_the_bytes_found()
    {
        byte[] bad = (byte[])s_twoByTwoByThree.Clone();
        bad[0] = 0x50;
        bad[1] = 0x4B;
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(new MemoryStream(bad), "bad.idx"));
        Assert.Contains("bad.idx", e.Message, StringComparison.Ordinal);
        Assert.Contains("00 00", e.Message, StringComparison.Ordinal);
        Assert.Contains("50 4B 08 03", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x0D, "Float32 (0x0D)")]
    [InlineData(0x0B, "Int16 (0x0B)")]
    [InlineData(0x05, "0x05, which IDX does not define")]
    public void Other_element_types_are_refused_by_name(byte type, string name)
    {
        byte[] bad = (byte[])s_twoByTwoByThree.Clone();
        bad[2] = type;
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(new MemoryStream(bad)));
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
        Assert.Contains("expected unsigned bytes (0x08)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, "ends after 3 bytes")]                 // inside the magic number
    [InlineData(10, "ends after 6 bytes")]                // inside the sizes (12 bytes expected)
    [InlineData(20, "holds 4 (truncated)")]               // inside the data, seekable: caught before reading it
    public void Truncated_raw_file_says_where_it_ends(int length, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(new MemoryStream(s_twoByTwoByThree[..length])));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Truncated_data_through_a_forward_only_stream_or_gzip_says_how_much_came(bool gzip)
    {
        byte[] truncated = s_twoByTwoByThree[..20];
        using var stream = new ForwardOnlyStream(gzip ? DataFiles.Gzip(truncated) : truncated);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(stream));
        Assert.Contains("promise 12 bytes of data, but the data ends after 4 (truncated)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Bytes_after_the_data_mean_wrong_counts(bool seekable)
    {
        byte[] longer = [.. s_twoByTwoByThree, 99];
        Stream stream = seekable ? new MemoryStream(longer) : new ForwardOnlyStream(longer);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(stream));
        Assert.Contains("the counts are wrong", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rank_zero_is_refused()
    {
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(new MemoryStream([0, 0, 8, 0])));
        Assert.Contains("at least one dimension", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Damaged_gzip_names_the_source()
    {
        byte[] gzipped = DataFiles.Gzip(s_twoByTwoByThree);
        for (int i = 10; i < gzipped.Length - 8; i++)
        {
            gzipped[i] = 0xFF;
        }

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(new MemoryStream(gzipped), "damaged.gz"));
        Assert.StartsWith("damaged.gz", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Hostile_header_over_a_short_stream_allocates_no_more_than_the_data(bool gzip)
    {
        // Claims 2,000,000,000 labels, holds 10 bytes, through streams that cannot tell their length.
        byte[] hostile = [0, 0, 8, 1, 0x77, 0x35, 0x94, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        using var stream = new ForwardOnlyStream(gzip ? DataFiles.Gzip(hostile) : hostile);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(stream));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("promise 2000000000 bytes of data, but the data ends after 10", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 4 << 20, $"allocated {allocated} bytes for a 10-byte payload");
    }

    [Fact]
    public void Header_too_large_for_one_array_is_refused_before_reading()
    {
        byte[] huge = [0, 0, 8, 2, 0x7F, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF];
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(new ForwardOnlyStream(huge)));
        Assert.Contains("2147483647 x 2147483647 are too large", e.Message, StringComparison.Ordinal);

        byte[] over = [0, 0, 8, 1, 0x80, 0, 0, 0];
        e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(new MemoryStream(over)));
        Assert.Contains("dimension 0 is 2147483648", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dataset_refuses_mismatched_counts_ranks_and_labels()
    {
        IdxArray images = IdxFile.Read(new MemoryStream(s_images));
        IdxArray labels = IdxFile.Read(new MemoryStream(s_labels));
        IdxArray twoLabels = new([2], [0, 1]);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ToDataset<float>(images, twoLabels, 3));
        Assert.Contains("holds 2 labels, but images holds 3 images", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<InvalidDataException>(() => IdxFile.ToDataset<float>(images, labels, classCount: 2));
        Assert.Contains("label 0 is 2, outside [0, 2)", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<InvalidDataException>(() => IdxFile.ToDataset<float>(labels, labels, 3));
        Assert.Contains("expected images of rank 2 or more", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<InvalidDataException>(() => IdxFile.ToDataset<float>(images, images, 3));
        Assert.Contains("expected labels of rank 1", e.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentOutOfRangeException>(() => IdxFile.ToDataset<float>(images, labels, classCount: 1));
    }

    [Fact]
    public void IdxArray_constructor_checks_the_length()
    {
        var e = Assert.Throws<ArgumentException>(() => new IdxArray([2, 3], new byte[5]));
        Assert.Contains("Expected 6 bytes for dimensions 2 x 3, got 5", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new IdxArray([], []));
        Assert.Throws<ArgumentException>(() => new IdxArray([-1], []));
    }
}
