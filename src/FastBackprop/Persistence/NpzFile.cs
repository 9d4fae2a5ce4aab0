using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Numerics;
using FastBackprop.Networks;

namespace FastBackprop.Persistence;

/// <summary>
/// Exports and imports a network's parameters as a NumPy .npz archive, one array per layer weight and bias, in
/// the shapes PyTorch's <c>nn.Linear</c> uses: <c>layers.{l}.weight</c> is [units, inputs] (out × in) and
/// <c>layers.{l}.bias</c> is [units], for l = 0 (the first hidden layer) to the output layer.
/// </summary>
/// <remarks>
/// <para>The file is what <c>numpy.savez</c> writes: a zip archive of .npy arrays named <c>layers.0.weight.npy</c>
/// and so on, float32 for a <c>Network&lt;float&gt;</c> and float64 for a <c>Network&lt;double&gt;</c>, little-endian,
/// C order, stored uncompressed. <c>numpy.load</c> reads it; renaming the keys of a PyTorch <c>nn.Sequential</c>
/// state_dict of Linear layers (<c>0.weight</c>, <c>2.weight</c>, …) to these names gives a file
/// <see cref="Import{T}(string, Network{T})"/> reads.</para>
/// <para>The architecture (sizes, activations, loss) is not in the file: import into a network built with the
/// matching specs.</para>
/// </remarks>
public static class NpzFile
{
    /// <summary>The name of layer <paramref name="layer"/>'s weight array: <c>layers.{layer}.weight</c>, shape [units, inputs].</summary>
    public static string WeightName(int layer) => $"layers.{layer}.weight";

    /// <summary>The name of layer <paramref name="layer"/>'s bias array: <c>layers.{layer}.bias</c>, shape [units].</summary>
    public static string BiasName(int layer) => $"layers.{layer}.bias";

    /// <summary>Writes <paramref name="network"/>'s parameters to <paramref name="path"/> as an .npz, atomically (as <see cref="ModelFile.Save{T}(string, Network{T}, Training.TrainingCheckpoint{T}?)"/>).</summary>
    /// <exception cref="ArgumentException">A parameter is NaN or infinite (such a file would not import); no file is touched.</exception>
    /// <exception cref="IOException">Writing failed; the file at <paramref name="path"/>, if any, is as it was.</exception>
    public static void Export<T>(string path, Network<T> network)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireFinite(network);
        AtomicFile.Write(path, stream => Export(stream, network));
    }

    /// <summary>Writes <paramref name="network"/>'s parameters to <paramref name="stream"/> as an .npz.</summary>
    /// <exception cref="ArgumentException">A parameter is NaN or infinite (such a file would not import); nothing is written.</exception>
    public static void Export<T>(Stream stream, Network<T> network)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        RequireFinite(network);
        int size = typeof(T) == typeof(float) ? 4 : 8;
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        for (int l = 0; l < network.LayerCount; l++)
        {
            int units = network.GetLayer(l).Units;
            int inputs = network.GetLayerInputCount(l);

            // The network stores W as [inputs, units]; nn.Linear's weight is [out, in] = [units, inputs]: transpose.
            T[] transposed = new T[units * inputs];
            ReadOnlySpan<T> w = network.Weights(l);
            for (int j = 0; j < units; j++)
            {
                for (int i = 0; i < inputs; i++)
                {
                    transposed[(j * inputs) + i] = w[(i * units) + j];
                }
            }

            WriteArray(zip, WeightName(l), transposed, size, [units, inputs]);
            WriteArray<T>(zip, BiasName(l), network.Biases(l), size, [units]);
        }
    }

    /// <summary>
    /// Reads the arrays of the .npz at <paramref name="path"/> into <paramref name="network"/>'s weights and biases.
    /// Every array <c>layers.{l}.weight</c> [units, inputs] and <c>layers.{l}.bias</c> [units] must be there, float32
    /// or float64 (converted to <typeparamref name="T"/>), in C or Fortran order, finite, and nothing else.
    /// </summary>
    /// <exception cref="InvalidDataException">An array is missing, extra, of the wrong shape (the message names it with the expected and actual shapes) or type, holds a NaN or infinity, or the file is not an .npz; <paramref name="network"/> is unchanged.</exception>
    public static void Import<T>(string path, Network<T> network)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(network);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Import(stream, network);
    }

    /// <summary>As <see cref="Import{T}(string, Network{T})"/>, from a seekable <paramref name="stream"/>.</summary>
    /// <exception cref="InvalidDataException">See <see cref="Import{T}(string, Network{T})"/>; <paramref name="network"/> is unchanged.</exception>
    public static void Import<T>(Stream stream, Network<T> network)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(network);

        // Everything is read into a copy first, so that a bad array leaves the network as it was.
        var staged = new T[network.ParameterCount];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true))
        {
            var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            foreach (ZipArchiveEntry entry in zip.Entries)
            {
                string name = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;
                if (!entries.TryAdd(name, entry))
                {
                    throw new InvalidDataException($"The .npz holds array '{name}' twice.");
                }
            }

            int offset = 0;
            for (int l = 0; l < network.LayerCount; l++)
            {
                int units = network.GetLayer(l).Units;
                int inputs = network.GetLayerInputCount(l);
                Span<T> weights = staged.AsSpan(offset, units * inputs);
                ReadArray(entries, WeightName(l), [units, inputs], weights, transpose: true, seen);
                offset += units * inputs;
                ReadArray(entries, BiasName(l), [units], staged.AsSpan(offset, units), transpose: false, seen);
                offset += units;
            }

            foreach (string name in entries.Keys)
            {
                if (!seen.Contains(name))
                {
                    throw new InvalidDataException(
                        $"The .npz holds array '{name}', which a network of {network.LayerCount} layers does not have; it expects {WeightName(0)}, {BiasName(0)} … {WeightName(network.LayerCount - 1)}, {BiasName(network.LayerCount - 1)} and nothing else.");
                }
            }
        }

        staged.CopyTo(network.Parameters);
    }

    static void RequireFinite<T>(Network<T> network)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ReadOnlySpan<T> parameters = network.Parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            if (!T.IsFinite(parameters[i]))
            {
                throw new ArgumentException($"Expected finite parameters, but parameter {i} is {parameters[i]}; such a file would not import.", nameof(network));
            }
        }
    }

    static void WriteArray<T>(ZipArchive zip, string name, ReadOnlySpan<T> values, int size, ReadOnlySpan<int> shape)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ZipArchiveEntry entry = zip.CreateEntry(name + ".npy", CompressionLevel.NoCompression);

        // A fixed time stamp, so that the same network always gives the same bytes.
        entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using Stream output = entry.Open();
        NpyFormat.WriteHeader(output, size, shape);
        byte[] buffer = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
        {
            if (size == 4)
            {
                BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * 4), float.CreateTruncating(values[i]));
            }
            else
            {
                BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(i * 8), double.CreateTruncating(values[i]));
            }
        }

        output.Write(buffer);
    }

    /// <summary>
    /// Reads array <paramref name="name"/> of shape <paramref name="shape"/> into <paramref name="destination"/>;
    /// with <paramref name="transpose"/>, the [units, inputs] array goes into the network's [inputs, units] layout.
    /// </summary>
    static void ReadArray<T>(Dictionary<string, ZipArchiveEntry> entries, string name, int[] shape, Span<T> destination, bool transpose, HashSet<string> seen)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!entries.TryGetValue(name, out ZipArchiveEntry? entry))
        {
            throw new InvalidDataException($"The .npz has no array '{name}' (expected shape {Shape(shape)}).");
        }

        seen.Add(name);
        using Stream input = entry.Open();
        NpyFormat.Header header = NpyFormat.ReadHeader(input, name);
        if (!SameShape(header.Shape, shape))
        {
            throw new InvalidDataException($"Array '{name}' has shape {Shape(header.Shape)}, but the network expects {Shape(shape)}.");
        }

        // The shape equals the network's, so this allocation is bounded by the network's size, not by the file.
        int count = destination.Length;
        byte[] data = new byte[count * header.ElementSize];
        NpyFormat.ReadExactly(input, data, name, $"the {count} elements of shape {Shape(shape)}");
        int rows = shape[0];
        int columns = shape.Length == 2 ? shape[1] : 1;
        for (int k = 0; k < count; k++)
        {
            double value = header.ElementSize == 4
                ? header.LittleEndian ? BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(k * 4)) : BinaryPrimitives.ReadSingleBigEndian(data.AsSpan(k * 4))
                : header.LittleEndian ? BinaryPrimitives.ReadDoubleLittleEndian(data.AsSpan(k * 8)) : BinaryPrimitives.ReadDoubleBigEndian(data.AsSpan(k * 8));

            // Element k of the file is [r, c] = [k / columns, k % columns] in C order, [k % rows, k / rows] in Fortran order.
            int r = header.FortranOrder ? k % rows : k / columns;
            int c = header.FortranOrder ? k / rows : k % columns;
            T converted = T.CreateTruncating(value);
            if (!T.IsFinite(converted))
            {
                string at = shape.Length == 2 ? $"[{r}, {c}]" : $"[{r}]";
                throw new InvalidDataException($"Array '{name}' element {at} is {value}{(double.IsFinite(value) ? $", beyond the range of {typeof(T).Name}" : "")}; expected finite values.");
            }

            // For a weight, [r, c] = [unit j, input i] goes to the network's element i·units + j.
            destination[transpose ? (c * rows) + r : r] = converted;
        }
    }

    static bool SameShape(long[] actual, int[] expected)
    {
        if (actual.Length != expected.Length)
        {
            return false;
        }

        for (int i = 0; i < actual.Length; i++)
        {
            if (actual[i] != expected[i])
            {
                return false;
            }
        }

        return true;
    }

    static string Shape(long[] shape) => "(" + string.Join(", ", shape) + (shape.Length == 1 ? ",)" : ")");

    static string Shape(int[] shape) => "(" + string.Join(", ", shape) + (shape.Length == 1 ? ",)" : ")");
}
