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

    /// <summary><paramref name="elements"/> rounded up to whole 64-byte lines of <typeparamref name="T"/>: where a buffer after them starts on a line.</summary>
    public static long WholeLines<T>(long elements)
        where T : unmanaged
    {
        int line = ElementsPerLine<T>();
        return (elements + line - 1) / line * line;
    }

    /// <summary>The most elements <see cref="Allocate{T}"/> can give: an array's limit less one line.</summary>
    public static int MaxLength<T>()
        where T : unmanaged => Array.MaxLength - ElementsPerLine<T>();

    /// <summary>
    /// Bytes from which <see cref="AllocateIfLarge{T}"/> pins and aligns: the large-object threshold. Smaller
    /// arrays sit in L2 anyway, and stay ordinary ones: the pinned heap is collected only with generation 2, and
    /// programs that make many small networks (neuroevolution) should keep the cheap young generations for them.
    /// Arrays this large go to the large-object heap, also collected with generation 2.
    /// </summary>
    public const int PinnedMinBytes = 85_000;

    /// <summary>
    /// <see cref="Allocate{T}"/> for <paramref name="length"/> elements of <see cref="PinnedMinBytes"/> or more;
    /// below that an ordinary zeroed array, <paramref name="start"/> 0.
    /// </summary>
    public static T[] AllocateIfLarge<T>(int length, out int start)
        where T : unmanaged
    {
        if ((long)length * sizeof(T) >= PinnedMinBytes)
        {
            return Allocate<T>(length, out start);
        }

        start = 0;
        return new T[length];
    }

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
