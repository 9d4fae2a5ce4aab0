using System;

namespace FastBackprop.Persistence;

/// <summary>The constants of the model file format; docs/model-format.md describes every byte.</summary>
internal static class ModelFormat
{
    /// <summary>
    /// 0x89 'F' 'B' 'P' CR LF 0x1A LF. As in PNG's signature: the high first byte catches 7-bit transfers, and
    /// CR LF, the DOS end-of-file byte and the lone LF catch text-mode line-ending conversions.
    /// </summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'F', (byte)'B', (byte)'P', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The version this library writes.</summary>
    public const ushort CurrentVersion = 1;

    /// <summary>The oldest version this library reads.</summary>
    public const ushort OldestVersion = 1;

    /// <summary>Bytes before the layer table: magic, version, element type, loss, flags, reserved, inputs, layer count.</summary>
    public const int FixedHeaderSize = 24;

    /// <summary>Bytes per layer in the layer table: units and activation, two int32.</summary>
    public const int LayerEntrySize = 8;

    /// <summary>SHA-256 over every byte before it, at the end of the file.</summary>
    public const int ChecksumSize = 32;

    /// <summary>Flag bit 0: a training checkpoint follows the parameters.</summary>
    public const byte CheckpointFlag = 1;

    /// <summary>The longest optimizer name a checkpoint stores, in UTF-8 bytes.</summary>
    public const int MaxOptimizerNameBytes = 256;
}
