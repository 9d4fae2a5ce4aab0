using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using FastBackprop.Kernels;
using FastBackprop.Kernels.Gemm;
using Xunit;

namespace FastBackprop.Tests.Kernels;

/// <summary>
/// The AVX-512 tile's prefetch of the next packed B sliver: which lines the calls on each sliver of a panel ask
/// for (pointer arithmetic on a made-up address, nothing dereferenced), and that a prefetch of an address that is
/// not mapped neither faults nor changes the tile.
/// </summary>
public unsafe class TilePrefetchTests
{
    [Theory]
    [InlineData(1024)]
    [InlineData(784)]
    [InlineData(100)]
    [InlineData(8)]
    public void A_full_row_block_asks_for_every_line_of_the_next_sliver_once(int kc)
    {
        foreach (int extra in (int[])[0, 5])
        {
            Walk<float>(kc, extra);
            Walk<double>(kc, extra);
        }
    }

    // Walks a panel of whole slivers, or with a last one zero-padded, as the packed GEMM's loops do (slivers jr,
    // tiles ir), and collects the lines each sliver's calls ask for: a kernel call asks for PrefetchLines(kc)
    // consecutive lines from its start.
    static void Walk<T>(int kc, int extra)
        where T : unmanaged
    {
        GemmBlocking blocking = GemmBlocking.For<T>(IsaLevel.V512);
        int mr = blocking.MR, nr = blocking.NR;
        int nc = (3 * nr) + extra;
        int slivers = (nc + nr - 1) / nr;
        nint sliverBytes = (nint)kc * nr * sizeof(T);
        T* panel = (T*)(nint)0x10_0000;
        for (int jr = 0; jr < nc; jr += nr)
        {
            // The sliver after this one, the first after the last: worked out here from the panel's layout.
            int expected = ((jr / nr) + 1) % slivers;
            nint expectedStart = expected * sliverBytes;
            T* next = Gemm.NextSliver(panel, jr, nr, nc, kc);
            var lines = new HashSet<nint>();
            for (int ir = 0; ir < blocking.MC; ir += mr)
            {
                byte* start = Gemm.TilePrefetch(next, ir / mr, kc);
                for (int line = 0; line < MicroKernel.PrefetchLines(kc); line++)
                {
                    nint offset = (nint)(start + (line * 64) - (byte*)panel) - expectedStart;
                    Assert.True(offset % 64 == 0, $"{typeof(T).Name} kc={kc} sliver {jr / nr}, tile {ir / mr}: {offset} is not on a line of sliver {expected}");
                    Assert.True(lines.Add(offset), $"{typeof(T).Name} kc={kc} sliver {jr / nr}, tile {ir / mr}: line at {offset} asked for twice");
                }
            }

            // Every line of the next sliver; past its end, fewer than one call's worth (kc not a multiple of 8).
            for (nint offset = 0; offset < sliverBytes; offset += 64)
            {
                Assert.True(lines.Contains(offset), $"{typeof(T).Name} kc={kc} sliver {jr / nr}: line at {offset} of sliver {expected} never asked for");
            }

            Assert.True(lines.Count - (sliverBytes / 64) < MicroKernel.PrefetchLines(kc), $"{typeof(T).Name} kc={kc}: {lines.Count} lines asked for, for {sliverBytes / 64}");
            foreach (nint offset in lines)
            {
                Assert.True(offset >= 0, $"{typeof(T).Name} kc={kc} sliver {jr / nr}: line at {offset} before sliver {expected}");
            }
        }
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
