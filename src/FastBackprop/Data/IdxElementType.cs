namespace FastBackprop.Data;

/// <summary>The element types the IDX format defines (the third byte of its magic number).</summary>
/// <remarks><see cref="IdxFile"/> reads <see cref="UnsignedByte"/> only, as MNIST uses; it names the others when it refuses them.</remarks>
public enum IdxElementType : byte
{
    /// <summary>0x08: unsigned byte.</summary>
    UnsignedByte = 0x08,

    /// <summary>0x09: signed byte.</summary>
    SignedByte = 0x09,

    /// <summary>0x0B: 16-bit integer, big-endian.</summary>
    Int16 = 0x0B,

    /// <summary>0x0C: 32-bit integer, big-endian.</summary>
    Int32 = 0x0C,

    /// <summary>0x0D: 32-bit float, big-endian.</summary>
    Float32 = 0x0D,

    /// <summary>0x0E: 64-bit float, big-endian.</summary>
    Float64 = 0x0E,
}
