using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Numerics;
using FastBackprop.Persistence;
using FastBackprop.Training;

namespace FastBackprop.Data;

/// <summary>
/// Reads and writes the IDX format of the MNIST files (LeCun et al.): a big-endian magic number 00 00 <i>type</i>
/// <i>rank</i>, then <i>rank</i> big-endian 32-bit sizes, then the elements, row-major. Files may be raw or
/// gzip-compressed (recognised by their first bytes, not their name). Only unsigned-byte elements (type 0x08, as
/// every MNIST file) are read; the other types are refused by name.
/// </summary>
/// <remarks>
/// The data length the header promises is checked against what the stream holds before anything that size is
/// allocated (against the length of a seekable raw stream; otherwise memory grows only as data actually arrives),
/// so a corrupt or hostile header cannot make the reader allocate gigabytes. Bytes after the promised data are an
/// error too: they mean the header's counts are wrong.
/// </remarks>
public static class IdxFile
{
    /// <summary>The default MNIST training images file name (the embedded data of data/mnist uses the standard names).</summary>
    public const string TrainImagesFileName = "train-images-idx3-ubyte.gz";

    /// <summary>The default MNIST training labels file name.</summary>
    public const string TrainLabelsFileName = "train-labels-idx1-ubyte.gz";

    /// <summary>The default MNIST test images file name.</summary>
    public const string TestImagesFileName = "t10k-images-idx3-ubyte.gz";

    /// <summary>The default MNIST test labels file name.</summary>
    public const string TestLabelsFileName = "t10k-labels-idx1-ubyte.gz";

    /// <summary>Reads the IDX file at <paramref name="path"/>, raw or gzipped.</summary>
    /// <exception cref="InvalidDataException">The file is not a well-formed unsigned-byte IDX file; the message names the file, what was expected and what came.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static IdxArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(file, path);
    }

    /// <summary>Reads an IDX array from <paramref name="stream"/> (raw or gzipped), from its current position to its end; the stream is left open.</summary>
    /// <param name="stream">A readable stream; need not be seekable.</param>
    /// <param name="sourceName">What error messages call the stream (default: the file's path for a <see cref="FileStream"/>, else "stream").</param>
    /// <exception cref="InvalidDataException">The data is not a well-formed unsigned-byte IDX array; the message names the source, what was expected and what came.</exception>
    public static IdxArray Read(Stream stream, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string source = DataStreams.NameOf(stream, sourceName, "stream");

        // A raw seekable stream tells its length up front; a gzipped one reveals it only by being read.
        long? available = stream.CanSeek ? stream.Length - stream.Position : null;
        using Stream content = DataStreams.OpenDecompressed(stream, out bool compressed);
        try
        {
            return ReadContent(content, compressed ? null : available, source + (compressed ? " (gzip)" : ""));
        }
        catch (InvalidDataException e) when (compressed && !e.Message.StartsWith(source, StringComparison.Ordinal))
        {
            // GZipStream's own messages do not say which file was damaged.
            throw new InvalidDataException($"{source}: the gzip data is damaged: {e.Message}", e);
        }
    }

    /// <summary>Writes <paramref name="array"/> to <paramref name="path"/> as an unsigned-byte IDX file, gzipped if <paramref name="gzip"/> is set, atomically: a failure leaves any existing file as it was.</summary>
    public static void Write(string path, IdxArray array, bool gzip = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(array);
        AtomicFile.Write(path, stream => Write(stream, array, gzip));
    }

    /// <summary>Writes <paramref name="array"/> to <paramref name="stream"/> as an unsigned-byte IDX file, gzipped if <paramref name="gzip"/> is set; the stream is left open.</summary>
    public static void Write(Stream stream, IdxArray array, bool gzip = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        if (gzip)
        {
            using var compressor = new GZipStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
            WriteContent(compressor, array);
        }
        else
        {
            WriteContent(stream, array);
        }
    }

    /// <summary>
    /// Loads an images file and a labels file (raw or gzipped) into a classification <see cref="Dataset{T}"/>: one
    /// sample per image, its bytes scaled to [0, 1] (p / 255) as the features, the label as the targets.
    /// </summary>
    /// <param name="imagesPath">An IDX file of rank 2 or more: images × pixels (MNIST: images × 28 × 28).</param>
    /// <param name="labelsPath">An IDX file of rank 1 with one label per image.</param>
    /// <param name="classCount">Number of classes, at least 2; every label must be below it.</param>
    /// <param name="targets">One-hot rows of <paramref name="classCount"/> outputs (the default), or one output holding the label.</param>
    /// <exception cref="InvalidDataException">A file is malformed, the counts differ, or a label is out of range; the message names the file.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is below 2.</exception>
    public static Dataset<T> LoadDataset<T>(string imagesPath, string labelsPath, int classCount = 10, LabelEncoding targets = LabelEncoding.OneHot)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        IdxArray images = Read(imagesPath);
        IdxArray labels = Read(labelsPath);
        return ToDataset<T>(images, labels, classCount, targets, imagesPath, labelsPath);
    }

    /// <summary>As <see cref="LoadDataset{T}(string, string, int, LabelEncoding)"/>, from two streams (for example embedded resources); both are left open.</summary>
    public static Dataset<T> LoadDataset<T>(Stream images, Stream labels, int classCount = 10, LabelEncoding targets = LabelEncoding.OneHot)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        string imagesName = DataStreams.NameOf(images, null, "images stream");
        string labelsName = DataStreams.NameOf(labels, null, "labels stream");
        return ToDataset<T>(Read(images, imagesName), Read(labels, labelsName), classCount, targets, imagesName, labelsName);
    }

    /// <summary>
    /// A <see cref="Dataset{T}"/> from an images array and a labels array already read: features p / 255, targets
    /// one-hot or the label itself.
    /// </summary>
    /// <exception cref="InvalidDataException">The images are not of rank 2 or more with at least one pixel, the labels not of rank 1, the counts differ, there are no items, or a label is not below <paramref name="classCount"/>.</exception>
    public static Dataset<T> ToDataset<T>(IdxArray images, IdxArray labels, int classCount = 10, LabelEncoding targets = LabelEncoding.OneHot)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        return ToDataset<T>(images, labels, classCount, targets, "images", "labels");
    }

    static Dataset<T> ToDataset<T>(IdxArray images, IdxArray labels, int classCount, LabelEncoding targets, string imagesName, string labelsName)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (images.Dimensions.Length < 2 || images.ItemLength == 0)
        {
            throw new InvalidDataException(
                $"{imagesName}: expected images of rank 2 or more (count x pixels...), got dimensions {IdxArray.Describe(images.Dimensions)}.");
        }

        if (labels.Dimensions.Length != 1)
        {
            throw new InvalidDataException(
                $"{labelsName}: expected labels of rank 1 (one per image), got dimensions {IdxArray.Describe(labels.Dimensions)}.");
        }

        if (labels.Count != images.Count)
        {
            throw new InvalidDataException(
                $"{labelsName} holds {labels.Count} labels, but {imagesName} holds {images.Count} images; expected one label per image.");
        }

        if (images.Count == 0)
        {
            throw new InvalidDataException($"{imagesName}: expected at least one image, got none.");
        }

        ReadOnlySpan<byte> classes = labels.Data;
        for (int i = 0; i < classes.Length; i++)
        {
            if (classes[i] >= classCount)
            {
                throw new InvalidDataException($"{labelsName}: label {i} is {classes[i]}, outside [0, {classCount}).");
            }
        }

        // Every feature is one of 256 values: look them up rather than dividing 6 million times.
        Span<T> scale = stackalloc T[256];
        T full = T.CreateChecked(255);
        for (int p = 0; p < 256; p++)
        {
            scale[p] = T.CreateChecked(p) / full;
        }

        ReadOnlySpan<byte> pixels = images.Data;
        var features = new T[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            features[i] = scale[pixels[i]];
        }

        int outputs = targets == LabelEncoding.OneHot ? classCount : 1;
        var values = new T[classes.Length * outputs];
        for (int i = 0; i < classes.Length; i++)
        {
            if (targets == LabelEncoding.OneHot)
            {
                values[(i * classCount) + classes[i]] = T.One;
            }
            else
            {
                values[i] = T.CreateChecked(classes[i]);
            }
        }

        return new Dataset<T>(features, values, images.ItemLength, outputs);
    }

    static IdxArray ReadContent(Stream content, long? available, string source)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = DataStreams.ReadFully(content, magic);
        if (got < 4)
        {
            throw new InvalidDataException($"{source}: expected a 4-byte IDX magic number, but the data ends after {got} bytes.");
        }

        if (magic[0] != 0 || magic[1] != 0)
        {
            throw new InvalidDataException(
                $"{source}: not an IDX file: expected the magic number to start with bytes 00 00, got {magic[0]:X2} {magic[1]:X2} {magic[2]:X2} {magic[3]:X2}.");
        }

        var type = (IdxElementType)magic[2];
        if (type != IdxElementType.UnsignedByte)
        {
            string name = Enum.IsDefined(type) ? $"{type} (0x{magic[2]:X2})" : $"0x{magic[2]:X2}, which IDX does not define";
            throw new InvalidDataException(
                $"{source}: IDX element type {name} is not supported; expected unsigned bytes (0x08), as in the MNIST files.");
        }

        int rank = magic[3];
        if (rank == 0)
        {
            throw new InvalidDataException($"{source}: expected at least one dimension in the IDX header (its 4th byte), got 0.");
        }

        var header = new byte[4 * rank];
        got = DataStreams.ReadFully(content, header);
        if (got < header.Length)
        {
            throw new InvalidDataException(
                $"{source}: expected {rank} dimension sizes ({header.Length} bytes) after the magic number, but the data ends after {got} bytes.");
        }

        var dimensions = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4 * i));
            if (size > int.MaxValue)
            {
                throw new InvalidDataException($"{source}: dimension {i} is {size}, more than this reader supports ({int.MaxValue}).");
            }

            dimensions[i] = (int)size;
        }

        long length;
        int itemLength;
        try
        {
            length = IdxArray.CheckedSize(dimensions, "dimensions", out itemLength);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: the header's dimensions {IdxArray.Describe(dimensions)} are too large for one array.", e);
        }

        long headerLength = 4 + header.Length;
        if (available is long total && total - headerLength != length)
        {
            throw new InvalidDataException(
                $"{source}: the header's dimensions {IdxArray.Describe(dimensions)} promise {length} bytes of data after the {headerLength}-byte header, "
                + $"but the file holds {total - headerLength}{(total - headerLength < length ? " (truncated)" : " (the counts are wrong)")}.");
        }

        byte[] data = DataStreams.ReadUpTo(content, (int)length, out int read);
        if (read < length)
        {
            throw new InvalidDataException(
                $"{source}: the header's dimensions {IdxArray.Describe(dimensions)} promise {length} bytes of data, but the data ends after {read} (truncated).");
        }

        Span<byte> extra = stackalloc byte[1];
        if (content.Read(extra) != 0)
        {
            throw new InvalidDataException(
                $"{source}: expected the data to end after the {length} bytes the header's dimensions {IdxArray.Describe(dimensions)} promise, but more follows (the counts are wrong).");
        }

        return IdxArray.Wrap(dimensions, data, itemLength);
    }

    static void WriteContent(Stream stream, IdxArray array)
    {
        ReadOnlySpan<int> dimensions = array.Dimensions;
        var header = new byte[4 + (4 * dimensions.Length)];
        header[2] = (byte)IdxElementType.UnsignedByte;
        header[3] = (byte)dimensions.Length;
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + (4 * i)), dimensions[i]);
        }

        stream.Write(header);
        stream.Write(array.Data);
    }
}
