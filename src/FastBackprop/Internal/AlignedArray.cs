using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastBackprop.Internal;

/// <summary>
/// Pinned arrays with room to start at a cache-line boundary. A vector load that straddles two cache lines
/// costs two loads, so the kernels' streams (packed panels, weight rows) begin on a 64-byte boundary; an array
/// on the pinned object heap never moves, so the boundary found once stays one.
/// </summary>
internal static unsafe class AlignedArray
{
    /// <summary>The boundary, in bytes: one cache line, and one AVX-512 vector.</summary>
    public const int Alignment = 64;

    /// <summary>Elements of <typeparamref name="T"/> in one 64-byte line: the padding <see cref="Allocate{T}"/> adds (one more than the most it can need in front of a boundary).</summary>
    public static int ElementsPerLine<T>()
        where T : unmanaged => Alignment / sizeof(T);

    /// <summary>The most elements <see cref="Allocate{T}"/> can give: an array's limit less one line.</summary>
    public static int MaxLength<T>()
        where T : unmanaged => Array.MaxLength - ElementsPerLine<T>();

    /// <summary>
    /// A zeroed, pinned array of <paramref name="length"/> elements and one line more, and the index
    /// <paramref name="start"/> of its first element on a 64-byte boundary: elements [start, start + length) are the usable ones.
    /// </summary>
    public static T[] Allocate<T>(int length, out int start)
        where T : unmanaged
    {
        T[] array = GC.AllocateArray<T>(length + ElementsPerLine<T>(), pinned: true);
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        start = (int)((Alignment - (address % Alignment)) % Alignment / (nuint)sizeof(T));
        return array;
    }
}
