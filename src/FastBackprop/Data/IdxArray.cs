using System;

namespace FastBackprop.Data;

/// <summary>
/// An array of unsigned bytes with its dimensions, as an IDX file holds it: <c>Dimensions[0]</c> items (images,
/// labels) of <see cref="ItemLength"/> bytes each, row-major (the last dimension varies fastest).
/// </summary>
public sealed class IdxArray
{
    readonly int[] _dimensions;
    readonly byte[] _data;
    readonly int _itemLength;

    /// <summary>Copies the dimensions and the data, after checking that they agree.</summary>
    /// <param name="dimensions">1 to 255 sizes, none negative; the first counts the items.</param>
    /// <param name="data">The product of <paramref name="dimensions"/> bytes, row-major.</param>
    /// <exception cref="ArgumentException">The rank is outside [1, 255], a size is negative, or the data's length is not the product of the sizes.</exception>
    public IdxArray(ReadOnlySpan<int> dimensions, ReadOnlySpan<byte> data)
    {
        long product = CheckedSize(dimensions, nameof(dimensions), out _itemLength);
        if (data.Length != product)
        {
            throw new ArgumentException(
                $"Expected {product} bytes for dimensions {Describe(dimensions)}, got {data.Length}.", nameof(data));
        }

        _dimensions = dimensions.ToArray();
        _data = data.ToArray();
    }

    IdxArray(byte[] data, int[] dimensions, int itemLength)
    {
        _dimensions = dimensions;
        _data = data;
        _itemLength = itemLength;
    }

    /// <summary>The sizes of the dimensions, outermost first (MNIST images: count, 28, 28).</summary>
    public ReadOnlySpan<int> Dimensions => _dimensions;

    /// <summary>The number of items: the first dimension.</summary>
    public int Count => _dimensions[0];

    /// <summary>Bytes per item: the product of the dimensions after the first (1 for a rank-1 array of labels).</summary>
    public int ItemLength => _itemLength;

    /// <summary>All the bytes, row-major.</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <summary>The bytes of item <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Item(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _data.AsSpan(index * _itemLength, _itemLength);
    }

    // Takes ownership of arrays the reader built and checked (data.Length is the product of the dimensions).
    internal static IdxArray Wrap(int[] dimensions, byte[] data, int itemLength) => new(data, dimensions, itemLength);

    internal static string Describe(ReadOnlySpan<int> dimensions) => dimensions.Length == 0 ? "(none)" : string.Join(" x ", dimensions.ToArray());

    /// <summary>The total byte count of <paramref name="dimensions"/>; throws ArgumentException unless it and the item length fit in an array.</summary>
    internal static long CheckedSize(ReadOnlySpan<int> dimensions, string paramName, out int itemLength)
    {
        if (dimensions.Length is 0 or > 255)
        {
            throw new ArgumentException($"Expected 1 to 255 dimensions, got {dimensions.Length}.", paramName);
        }

        long item = 1;
        for (int i = 0; i < dimensions.Length; i++)
        {
            if (dimensions[i] < 0)
            {
                throw new ArgumentException($"Expected sizes of at least 0, got {Describe(dimensions)}.", paramName);
            }

            if (i > 0)
            {
                // Capped so that the product cannot overflow; anything above the cap is refused below.
                item = Math.Min(item * dimensions[i], (long)Array.MaxLength + 1);
            }
        }

        long total = Math.Min(item * dimensions[0], (long)Array.MaxLength + 1);
        if (item > Array.MaxLength || total > Array.MaxLength)
        {
            throw new ArgumentException($"Dimensions {Describe(dimensions)} hold more than {Array.MaxLength} bytes.", paramName);
        }

        itemLength = (int)item;
        return total;
    }
}
