namespace FastBackprop.Kernels;

/// <summary>The widest SIMD vector width a kernel may use, from none (scalar) to 512 bits.</summary>
public enum IsaLevel
{
    /// <summary>Plain scalar loops; no hardware intrinsics.</summary>
    Scalar = 0,

    /// <summary>128-bit vectors (SSE / NEON).</summary>
    V128 = 1,

    /// <summary>256-bit vectors (AVX2).</summary>
    V256 = 2,

    /// <summary>512-bit vectors (AVX-512).</summary>
    V512 = 3,
}
