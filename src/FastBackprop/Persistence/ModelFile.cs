using System;
using System.IO;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using FastBackprop.Training;

namespace FastBackprop.Persistence;

/// <summary>
/// Saves and loads networks, with an optional <see cref="TrainingCheckpoint{T}"/>, in the library's
/// self-describing binary format (docs/model-format.md): magic, format version, element type, layer sizes and
/// activations, loss, the parameters little-endian, and a SHA-256 checksum.
/// </summary>
/// <remarks>
/// <para>Saving to a path is atomic: the file is written beside the target under a temporary name, flushed to
/// disk and renamed over the target, so a failure at any point leaves the previous file as it was.</para>
/// <para>Loading treats the file as hostile: a truncated file, a wrong magic, an unknown version, a checksum
/// mismatch, a count the file's length cannot hold, or a NaN or infinite parameter all throw an
/// <see cref="InvalidDataException"/> saying what is wrong, and nothing is allocated for a count before it has
/// been checked against the bytes left in the file.</para>
/// </remarks>
public static class ModelFile
{
    static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Saves <paramref name="network"/> (and <paramref name="checkpoint"/>, if given) to <paramref name="path"/>, atomically.</summary>
    /// <exception cref="ArgumentException">A parameter is NaN or infinite, or the checkpoint does not fit the network; no file is touched.</exception>
    /// <exception cref="IOException">Writing failed; the file at <paramref name="path"/>, if any, is as it was.</exception>
    public static void Save<T>(string path, Network<T> network, TrainingCheckpoint<T>? checkpoint = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Save(path, network, checkpoint, wrapStream: null);

    /// <summary>
    /// Writes <paramref name="network"/> (and <paramref name="checkpoint"/>, if given) to <paramref name="stream"/>
    /// at its position, and flushes it. Not atomic by itself: use the path overload for files.
    /// </summary>
    /// <exception cref="ArgumentException">A parameter is NaN or infinite, or the checkpoint does not fit the network; nothing is written.</exception>
    public static void Save<T>(Stream stream, Network<T> network, TrainingCheckpoint<T>? checkpoint = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        Validate(network, checkpoint);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("Expected a writable stream.", nameof(stream));
        }

        Write(stream, network, checkpoint);
    }

    /// <summary>The path overload, with a seam for tests: <paramref name="wrapStream"/> wraps the temporary file's stream.</summary>
    internal static void Save<T>(string path, Network<T> network, TrainingCheckpoint<T>? checkpoint, Func<Stream, Stream>? wrapStream)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Validate(network, checkpoint);
        AtomicFile.Write(path, stream => Write(stream, network, checkpoint), wrapStream);
    }

    /// <summary>Loads the network saved at <paramref name="path"/>, ignoring any checkpoint in the file.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid model file of element type <typeparamref name="T"/>; the message says what is wrong.</exception>
    public static Network<T> Load<T>(string path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Load<T>(path, out _);

    /// <summary>Loads the network and the checkpoint (null when the file has none) saved at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid model file of element type <typeparamref name="T"/>; the message says what is wrong.</exception>
    public static Network<T> Load<T>(string path, out TrainingCheckpoint<T>? checkpoint)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        return Load(stream, out checkpoint);
    }

    /// <summary>Loads a network from <paramref name="stream"/>, from its position to its end, ignoring any checkpoint.</summary>
    /// <exception cref="InvalidDataException">The data are not a valid model file of element type <typeparamref name="T"/>; the message says what is wrong.</exception>
    public static Network<T> Load<T>(Stream stream)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Load<T>(stream, out _);

    /// <summary>
    /// Loads a network and its checkpoint (null when there is none) from <paramref name="stream"/>, from its
    /// position to its end. A stream that cannot seek is first copied into memory.
    /// </summary>
    /// <exception cref="InvalidDataException">The data are not a valid model file of element type <typeparamref name="T"/>; the message says what is wrong.</exception>
    public static Network<T> Load<T>(Stream stream, out TrainingCheckpoint<T>? checkpoint)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"FastBackprop computes in float or double; {typeof(T).Name} is not supported.");
        }

        using var reader = new ModelReader(Seekable(stream));
        ModelFileInfo info = ReadHeaderCore(reader);
        ModelElementType expected = ElementTypeOf<T>();
        if (info.ElementType != expected)
        {
            throw new InvalidDataException(
                $"The model file holds {info.ElementType} parameters, but it is being loaded as Network<{typeof(T).Name}>; load it as Network<{(info.ElementType == ModelElementType.Float32 ? "float" : "double")}> (ModelFile.ReadHeader tells the type).");
        }

        Network<T> network = CreateNetwork<T>(info);
        reader.ReadElements(network.Parameters, "the parameters");
        CheckpointFields<T>? fields = info.HasCheckpoint ? ReadCheckpoint<T>(reader, network.ParameterCount, keep: true) : null;
        reader.VerifyChecksum();

        // Values are judged only once the checksum says the file is as it was written.
        RequireFinite<T>(network.Parameters, "parameter", network);
        if (fields is not null)
        {
            RequireFinite<T>(fields.OptimizerState, "checkpoint's optimizer state element", network: null);
            RequireFinite<T>(fields.BestParameters, "checkpoint's best parameter", network);
        }

        checkpoint = fields?.ToCheckpoint();
        return network;
    }

    /// <summary>
    /// Reads what the file at <paramref name="path"/> holds (element type, layers, loss, whether there is a
    /// checkpoint) without knowing its element type. The whole file is read through and its structure and
    /// checksum are checked; the parameter values themselves are checked by <c>Load</c>.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a valid model file; the message says what is wrong.</exception>
    public static ModelFileInfo ReadHeader(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        return ReadHeader(stream);
    }

    /// <summary>As <see cref="ReadHeader(string)"/>, from <paramref name="stream"/>'s position to its end.</summary>
    /// <exception cref="InvalidDataException">The data are not a valid model file; the message says what is wrong.</exception>
    public static ModelFileInfo ReadHeader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new ModelReader(Seekable(stream));
        ModelFileInfo info = ReadHeaderCore(reader);
        int size = (int)info.ElementType;
        reader.Skip(info.ParameterCount * size, "the parameters");
        if (info.HasCheckpoint)
        {
            if (info.ElementType == ModelElementType.Float32)
            {
                ReadCheckpoint<float>(reader, info.ParameterCount, keep: false);
            }
            else
            {
                ReadCheckpoint<double>(reader, info.ParameterCount, keep: false);
            }
        }

        reader.VerifyChecksum();
        return info;
    }

    static ModelElementType ElementTypeOf<T>() =>
        typeof(T) == typeof(float) ? ModelElementType.Float32 : ModelElementType.Float64;

    /// <summary>A stream whose length is known: the stream itself or an in-memory copy (which needs no disposing).</summary>
    static Stream Seekable(Stream stream)
    {
        if (stream.CanSeek)
        {
            return stream;
        }

        // The copy grows with the bytes the stream actually delivers, so its size is the file's length.
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }

    static ModelFileInfo ReadHeaderCore(ModelReader reader)
    {
        if (reader.Length < ModelFormat.Magic.Length)
        {
            throw new InvalidDataException(
                $"The data are not a FastBackprop model file: {reader.Length} bytes, fewer than the {ModelFormat.Magic.Length}-byte magic number.");
        }

        // The magic and the version are read without the checksum guard, so that a short file of the wrong
        // kind or version is named as such rather than as truncated.
        ReadOnlySpan<byte> magic = reader.Read(ModelFormat.Magic.Length, "the magic number", checkChecksumRoom: false);
        if (!magic.SequenceEqual(ModelFormat.Magic))
        {
            throw new InvalidDataException(
                $"The data are not a FastBackprop model file: the first 8 bytes are {Convert.ToHexString(magic)}, expected {Convert.ToHexString(ModelFormat.Magic)}.");
        }

        if (reader.Length < ModelFormat.Magic.Length + 2)
        {
            throw new InvalidDataException($"The model file is truncated: it ends at offset {reader.Length}, inside the format version.");
        }

        ushort version = BitConverterLittleEndian(reader.Read(2, "the format version", checkChecksumRoom: false));
        if (version > ModelFormat.CurrentVersion)
        {
            throw new InvalidDataException(
                $"The model file has format version {version}, newer than this library reads (versions {ModelFormat.OldestVersion} to {ModelFormat.CurrentVersion}); load it with a newer FastBackprop.");
        }

        if (version < ModelFormat.OldestVersion)
        {
            throw new InvalidDataException($"The model file has format version {version}, which no FastBackprop ever wrote (versions start at {ModelFormat.OldestVersion}).");
        }

        reader.EnsureAvailable(ModelFormat.FixedHeaderSize - 10, "the header");
        byte elementByte = reader.ReadByte("the element type");
        if (elementByte is not ((byte)ModelElementType.Float32 or (byte)ModelElementType.Float64))
        {
            throw new InvalidDataException($"The model file's element type is {elementByte}; expected 4 (float32) or 8 (float64).");
        }

        byte lossByte = reader.ReadByte("the loss");
        var loss = (Loss)lossByte;
        if (!Enum.IsDefined(loss))
        {
            throw new InvalidDataException($"The model file's loss is {lossByte}, which names no loss this library knows.");
        }

        byte flags = reader.ReadByte("the flags");
        if ((flags & ~ModelFormat.CheckpointFlag) != 0)
        {
            throw new InvalidDataException($"The model file's flags are 0x{flags:X2}; only bit 0 (checkpoint present) is defined in version {version}.");
        }

        ReadOnlySpan<byte> reserved = reader.Read(3, "the reserved bytes");
        if (reserved.IndexOfAnyExcept((byte)0) >= 0)
        {
            throw new InvalidDataException($"The model file's reserved bytes 13 to 15 are {Convert.ToHexString(reserved)}; expected zeros.");
        }

        int inputs = reader.ReadInt32("the input count");
        if (inputs < 1)
        {
            throw new InvalidDataException($"The model file's input count is {inputs}; expected at least 1.");
        }

        int layerCount = reader.ReadInt32("the layer count");
        if (layerCount < 1)
        {
            throw new InvalidDataException($"The model file's layer count is {layerCount}; expected at least 1.");
        }

        reader.EnsureAvailable((long)layerCount * ModelFormat.LayerEntrySize, $"the table of {layerCount} layers");
        var layers = new LayerSpec[layerCount];
        long parameters = 0;
        long previous = inputs;
        for (int l = 0; l < layerCount; l++)
        {
            int units = reader.ReadInt32("a layer's unit count");
            int activationValue = reader.ReadInt32("a layer's activation");
            var activation = (Activation)activationValue;
            if (units < 1)
            {
                throw new InvalidDataException($"The model file's layer {l} has {units} units; expected at least 1.");
            }

            if (!Enum.IsDefined(activation))
            {
                throw new InvalidDataException($"The model file's layer {l} has activation {activationValue}, which names no activation this library knows.");
            }

            if (activation == Activation.Softmax && l != layerCount - 1)
            {
                throw new InvalidDataException($"The model file's layer {l} of {layerCount} uses Softmax, which is only for the output layer.");
            }

            // previous and units are below 2^31, so the product stays below 2^62; the running sum is held under
            // Array.MaxLength, so it cannot overflow either.
            parameters += (previous * units) + units;
            if (parameters > Array.MaxLength)
            {
                throw new InvalidDataException($"The model file describes more than {Array.MaxLength} parameters (by layer {l}); no network holds that many.");
            }

            layers[l] = new LayerSpec(units, activation);
            previous = units;
        }

        Activation output = layers[^1].Activation;
        if ((loss == Loss.SoftmaxCrossEntropy && output != Activation.Softmax) || (loss == Loss.SigmoidBinaryCrossEntropy && output != Activation.Sigmoid))
        {
            throw new InvalidDataException($"The model file's loss {loss} does not fit its output activation {output}.");
        }

        long stored = reader.ReadInt64("the parameter count");
        if (stored != parameters)
        {
            throw new InvalidDataException($"The model file stores a parameter count of {stored}, but its layers have {parameters} parameters.");
        }

        var elementType = (ModelElementType)elementByte;
        reader.EnsureAvailable(parameters * elementByte, $"{parameters} {elementType} parameters");
        return new ModelFileInfo(version, elementType, inputs, layers, loss, parameters, (flags & ModelFormat.CheckpointFlag) != 0);
    }

    static ushort BitConverterLittleEndian(ReadOnlySpan<byte> bytes) => (ushort)(bytes[0] | (bytes[1] << 8));

    static Network<T> CreateNetwork<T>(ModelFileInfo info)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        LayerSpec[] layers = (LayerSpec[])info.Layers;
        try
        {
            return new Network<T>(info.InputCount, info.Loss, layers);
        }
        catch (ArgumentException e)
        {
            // The header checks above mirror the constructor's; this catches any rule added to it later.
            throw new InvalidDataException($"The model file describes a network this library cannot build: {e.Message}", e);
        }
    }

    static CheckpointFields<T>? ReadCheckpoint<T>(ModelReader reader, long parameterCount, bool keep)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int size = Unsafe.SizeOf<T>();
        int epoch = reader.ReadInt32("the checkpoint's epoch");
        if (epoch < 0)
        {
            throw new InvalidDataException($"The checkpoint's epoch is {epoch}; expected 0 or more.");
        }

        long steps = reader.ReadInt64("the checkpoint's optimizer step count");
        if (steps < 0)
        {
            throw new InvalidDataException($"The checkpoint's optimizer step count is {steps}; expected 0 or more.");
        }

        double learningRate = reader.ReadDouble("the checkpoint's learning rate");
        if (!double.IsFinite(learningRate) || learningRate <= 0)
        {
            throw new InvalidDataException($"The checkpoint's learning rate is {learningRate}; expected a positive, finite number.");
        }

        double bestLoss = reader.ReadDouble("the checkpoint's best validation loss");
        int bestEpoch = reader.ReadInt32("the checkpoint's best epoch");
        if (bestEpoch < 0 || bestEpoch > epoch)
        {
            throw new InvalidDataException($"The checkpoint's best epoch is {bestEpoch}; expected 0 to the checkpoint's epoch {epoch}.");
        }

        int nameBytes = reader.ReadInt32("the length of the checkpoint's optimizer name");
        if (nameBytes < 0 || nameBytes > ModelFormat.MaxOptimizerNameBytes)
        {
            throw new InvalidDataException($"The checkpoint's optimizer name is {nameBytes} bytes long; expected 0 to {ModelFormat.MaxOptimizerNameBytes}.");
        }

        ReadOnlySpan<byte> nameSpan = reader.Read(nameBytes, "the checkpoint's optimizer name");
        string name;
        try
        {
            name = s_strictUtf8.GetString(nameSpan);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException("The checkpoint's optimizer name is not valid UTF-8.", e);
        }

        T[]? state = ReadArray<T>(reader, size, keep, "optimizer state", maxCount: int.MaxValue);
        int randomCount = reader.ReadInt32("the length of the checkpoint's random state");
        if (randomCount < 0)
        {
            throw new InvalidDataException($"The checkpoint's random state has length {randomCount}; expected 0 or more.");
        }

        reader.EnsureAvailable((long)randomCount * 8, $"the checkpoint's {randomCount} random state words");
        ulong[]? random = keep ? new ulong[randomCount] : null;
        for (int i = 0; i < randomCount; i++)
        {
            ulong word = reader.ReadUInt64("a random state word");
            if (random is not null)
            {
                random[i] = word;
            }
        }

        T[]? best = ReadArray<T>(reader, size, keep, "best parameters", maxCount: parameterCount);
        if (best is not null && best.Length != 0 && best.Length != parameterCount)
        {
            throw new InvalidDataException($"The checkpoint holds {best.Length} best parameters; expected 0 or the network's {parameterCount}.");
        }

        return keep ? new CheckpointFields<T>(epoch, name, steps, learningRate, state!, random!, bestLoss, bestEpoch, best!) : null;
    }

    static T[]? ReadArray<T>(ModelReader reader, int size, bool keep, string what, long maxCount)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int count = reader.ReadInt32($"the length of the checkpoint's {what}");
        if (count < 0 || count > maxCount)
        {
            throw new InvalidDataException($"The checkpoint's {what} has length {count}; expected 0 to {maxCount}.");
        }

        // Checked before the array is made: a count the rest of the file cannot hold allocates nothing.
        reader.EnsureAvailable((long)count * size, $"the checkpoint's {count} {what} values");
        if (!keep)
        {
            reader.Skip((long)count * size, what);
            return null;
        }

        var values = new T[count];
        reader.ReadElements<T>(values, $"the checkpoint's {what}");
        return values;
    }

    static void RequireFinite<T>(ReadOnlySpan<T> values, string what, Network<T>? network)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int bad = IndexOfNonFinite(values);
        if (bad >= 0)
        {
            string where = network is null ? "" : $" ({Describe(network, bad)})";
            throw new InvalidDataException($"The model file's {what} {bad}{where} is {values[bad]}; expected a finite number.");
        }
    }

    static int IndexOfNonFinite<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Says which layer's weight or bias parameter <paramref name="index"/> is.</summary>
    static string Describe<T>(Network<T> network, int index)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int offset = 0;
        for (int l = 0; l < network.LayerCount; l++)
        {
            int inputs = network.GetLayerInputCount(l);
            int units = network.GetLayer(l).Units;
            if (index < offset + (inputs * units))
            {
                int k = index - offset;
                return $"layer {l} weight [input {k / units}, unit {k % units}]";
            }

            offset += inputs * units;
            if (index < offset + units)
            {
                return $"layer {l} bias {index - offset}";
            }

            offset += units;
        }

        return "past the last layer";
    }

    static void Validate<T>(Network<T> network, TrainingCheckpoint<T>? checkpoint)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ReadOnlySpan<T> parameters = network.Parameters;
        int bad = IndexOfNonFinite(parameters);
        if (bad >= 0)
        {
            throw new ArgumentException($"Expected finite parameters, but parameter {bad} ({Describe(network, bad)}) is {parameters[bad]}; such a file could not be loaded.", nameof(network));
        }

        if (checkpoint is null)
        {
            return;
        }

        const string Name = nameof(checkpoint);
        if (checkpoint.Epoch < 0)
        {
            throw new ArgumentException($"Expected an epoch of 0 or more, but got {checkpoint.Epoch}.", Name);
        }

        if (checkpoint.OptimizerStepCount < 0)
        {
            throw new ArgumentException($"Expected an optimizer step count of 0 or more, but got {checkpoint.OptimizerStepCount}.", Name);
        }

        if (!double.IsFinite(checkpoint.LearningRate) || checkpoint.LearningRate <= 0)
        {
            throw new ArgumentException($"Expected a positive, finite learning rate, but got {checkpoint.LearningRate}.", Name);
        }

        if (checkpoint.BestEpoch < 0 || checkpoint.BestEpoch > checkpoint.Epoch)
        {
            throw new ArgumentException($"Expected a best epoch from 0 to the epoch {checkpoint.Epoch}, but got {checkpoint.BestEpoch}.", Name);
        }

        if (checkpoint.OptimizerName is null || s_strictUtf8.GetByteCount(checkpoint.OptimizerName) > ModelFormat.MaxOptimizerNameBytes)
        {
            throw new ArgumentException($"Expected an optimizer name of at most {ModelFormat.MaxOptimizerNameBytes} UTF-8 bytes, but got {(checkpoint.OptimizerName is null ? "null" : $"'{checkpoint.OptimizerName}'")}.", Name);
        }

        if (checkpoint.OptimizerState is null || checkpoint.RandomState is null || checkpoint.BestParameters is null)
        {
            throw new ArgumentException("Expected the checkpoint's arrays (OptimizerState, RandomState, BestParameters) to be non-null.", Name);
        }

        if (checkpoint.BestParameters.Length != 0 && checkpoint.BestParameters.Length != network.ParameterCount)
        {
            throw new ArgumentException($"Expected 0 or {network.ParameterCount} best parameters (the network's count), but got {checkpoint.BestParameters.Length}.", Name);
        }

        bad = IndexOfNonFinite<T>(checkpoint.OptimizerState);
        if (bad >= 0)
        {
            throw new ArgumentException($"Expected a finite optimizer state, but element {bad} is {checkpoint.OptimizerState[bad]}.", Name);
        }

        bad = IndexOfNonFinite<T>(checkpoint.BestParameters);
        if (bad >= 0)
        {
            throw new ArgumentException($"Expected finite best parameters, but element {bad} is {checkpoint.BestParameters[bad]}.", Name);
        }
    }

    static void Write<T>(Stream stream, Network<T> network, TrainingCheckpoint<T>? checkpoint)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var writer = new ModelWriter(stream);
        writer.WriteBytes(ModelFormat.Magic);
        writer.WriteUInt16(ModelFormat.CurrentVersion);
        writer.WriteByte((byte)ElementTypeOf<T>());
        writer.WriteByte((byte)network.Loss);
        writer.WriteByte(checkpoint is null ? (byte)0 : ModelFormat.CheckpointFlag);
        writer.WriteBytes([0, 0, 0]);
        writer.WriteInt32(network.InputCount);
        writer.WriteInt32(network.LayerCount);
        for (int l = 0; l < network.LayerCount; l++)
        {
            LayerSpec spec = network.GetLayer(l);
            writer.WriteInt32(spec.Units);
            writer.WriteInt32((int)spec.Activation);
        }

        writer.WriteInt64(network.ParameterCount);
        writer.WriteElements<T>(network.Parameters);
        if (checkpoint is not null)
        {
            writer.WriteInt32(checkpoint.Epoch);
            writer.WriteInt64(checkpoint.OptimizerStepCount);
            writer.WriteDouble(checkpoint.LearningRate);
            writer.WriteDouble(checkpoint.BestValidationLoss);
            writer.WriteInt32(checkpoint.BestEpoch);
            byte[] name = s_strictUtf8.GetBytes(checkpoint.OptimizerName);
            writer.WriteInt32(name.Length);
            writer.WriteBytes(name);
            writer.WriteInt32(checkpoint.OptimizerState.Length);
            writer.WriteElements<T>(checkpoint.OptimizerState);
            writer.WriteInt32(checkpoint.RandomState.Length);
            foreach (ulong word in checkpoint.RandomState)
            {
                writer.WriteUInt64(word);
            }

            writer.WriteInt32(checkpoint.BestParameters.Length);
            writer.WriteElements<T>(checkpoint.BestParameters);
        }

        writer.WriteChecksumAndFlush();
    }

    /// <summary>A checkpoint's fields as read, before the values are judged.</summary>
    sealed record CheckpointFields<T>(
        int Epoch,
        string OptimizerName,
        long OptimizerStepCount,
        double LearningRate,
        T[] OptimizerState,
        ulong[] RandomState,
        double BestValidationLoss,
        int BestEpoch,
        T[] BestParameters)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public TrainingCheckpoint<T> ToCheckpoint() => new()
        {
            Epoch = Epoch,
            OptimizerName = OptimizerName,
            OptimizerStepCount = OptimizerStepCount,
            LearningRate = LearningRate,
            OptimizerState = OptimizerState,
            RandomState = RandomState,
            BestValidationLoss = BestValidationLoss,
            BestEpoch = BestEpoch,
            BestParameters = BestParameters,
        };
    }
}
