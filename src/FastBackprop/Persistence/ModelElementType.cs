namespace FastBackprop.Persistence;

/// <summary>The element type of a model file's parameters; the value is the byte the file stores (its size in bytes).</summary>
public enum ModelElementType
{
    /// <summary>IEEE 754 binary32, <c>float</c>: load the file as <c>Network&lt;float&gt;</c>.</summary>
    Float32 = 4,

    /// <summary>IEEE 754 binary64, <c>double</c>: load the file as <c>Network&lt;double&gt;</c>.</summary>
    Float64 = 8,
}
