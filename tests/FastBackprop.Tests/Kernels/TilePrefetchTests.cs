using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using FastBackprop.Kernels;
using FastBackprop.Kernels.Gemm;
using Xunit;

namespace FastBackprop.Tests.Kernels;

/// <summary>
/// The AVX-512 tile's prefetch of the next B sliver: which lines the calls on one sliver ask for (pointer
/// arithmetic on made-up addresses, nothing dereferenced), and that a prefetch of an address that is not mapped
/// neither faults nor changes the tile.
/// </summary>
public unsafe class TilePrefetchTests
{
    [Theory]
    [InlineData(1024)]
    [InlineData(784)]
    [InlineData(8)]
    public void The_tiles_on_a_sliver_ask_for_every_line_of_the_next_once(int kc)
    {
        Covers<float>(kc);
        Covers<double>(kc);
    }

    static void Covers<T>(int kc)
        where T : unmanaged
    {
        GemmBlocking blocking = GemmBlocking.For<T>(IsaLevel.V512);
        int tiles = blocking.MC / blocking.MR;
        nint sliverBytes = (nint)kc * blocking.NR * sizeof(T);
        T* panel = (T*)(nint)0x10_0000;
        T* sliver = panel + ((nint)3 * blocking.NR * kc);
        nint toNext = (nint)blocking.NR * kc;
        byte* next = (byte*)(sliver + toNext);

        var lines = new HashSet<nint>();
        for (int tile = 0; tile < tiles; tile++)
        {
            byte* start = Gemm.TilePrefetch(sliver, panel, toNext, tile, kc);

            // The kernel asks for one line at start + p * PrefetchBytesPerStep for every p that is a multiple of 8.
            for (int p = 0; p < kc; p += 8)
            {
                nint line = (nint)(start + (p * MicroKernel.PrefetchBytesPerStep) - next);
                Assert.True(line % 64 == 0, $"{typeof(T).Name} kc={kc} tile {tile}: offset {line} is not on a line");
                Assert.True(lines.Add(line), $"{typeof(T).Name} kc={kc} tile {tile}: line at {line} asked for twice");
            }
        }

        // Every line of the next sliver, and none past it (kc a multiple of 8; otherwise the last partial one).
        nint expected = (sliverBytes + 63) / 64;
        Assert.Equal(expected, lines.Count);
        foreach (nint line in lines)
        {
            Assert.InRange(line, 0, sliverBytes - 1);
        }
    }

    [Fact]
    public void The_last_sliver_asks_for_the_first_and_B_in_place_for_its_own_lines()
    {
        float* panel = (float*)(nint)0x20_0000;
        float* last = panel + (3 * 32 * 64);
        Assert.Equal((nint)panel, (nint)Gemm.TilePrefetch(last, panel, -(nint)(3 * 32 * 64), 0, 64));
        Assert.Equal((nint)(last + (2 * 64 * 2)), (nint)Gemm.TilePrefetch(last, null, 123, 2, 64));
    }

    [Fact]
    public void A_prefetch_of_an_unmapped_address_changes_nothing()
    {
        const int kc = 40;
        var random = new Random(3);
        float[] a = new float[8 * kc];
        float[] b = new float[kc * 32];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = random.Next(-8, 9);
        }

        for (int i = 0; i < b.Length; i++)
        {
            b[i] = random.Next(-8, 9);
        }

        float[] mapped = new float[8 * 32];
        float[] unmapped = new float[8 * 32];
        fixed (float* pa = a, pb = b, c1 = mapped, c2 = unmapped)
        {
            MicroKernel.Tile8x2<Vector512<float>, Simd512<float>, float>(kc, pa, pb, 32, c1, 32, 1f, false, (byte*)pb);

            // The bottom page and a non-canonical address: a load from either would fault.
            MicroKernel.Tile8x2<Vector512<float>, Simd512<float>, float>(kc, pa, pb, 32, c2, 32, 1f, false, (byte*)64);
            Assert.Equal(mapped, unmapped);
            MicroKernel.Tile8x2<Vector512<float>, Simd512<float>, float>(kc, pa, pb, 32, c2, 32, 1f, false, (byte*)unchecked((nint)0x8000_0000_0000_0000));
            Assert.Equal(mapped, unmapped);
        }

        // Integers: the sums are exact, so this is the product itself.
        for (int i = 0; i < 8; i++)
        {
            for (int j = 0; j < 32; j++)
            {
                double sum = 0;
                for (int p = 0; p < kc; p++)
                {
                    sum += (double)a[(p * 8) + i] * b[(p * 32) + j];
                }

                Assert.Equal(sum, mapped[(i * 32) + j]);
            }
        }
    }
}
