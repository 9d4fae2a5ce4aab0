namespace FastBackprop.Kernels.Gemm;

/// <summary>
/// The register tile and cache blocks of the packed GEMM for one vector width and element type: the one place
/// its tuning constants live.
/// </summary>
/// <remarks>
/// <para>The loops (numbered as in BLIS): 5 walks C's columns in panels of <see cref="NC"/>; 4 walks k in
/// blocks of <see cref="KC"/> and packs a KC x NC panel of B; 3 walks C's rows in blocks of <see cref="MC"/>
/// and packs an MC x KC block of A; 2 and 1 walk that block in <see cref="NR"/>-wide, <see cref="MR"/>-tall
/// tiles, each one call of the micro-kernel.</para>
/// <para>What each block must fit, on the Zen 4 machine these were chosen for (32 KiB L1d, 1 MiB L2 per core):
/// the packed A block (MC x KC, 512 KiB in float on AVX-512) stays in L2 while the NR-wide B slivers pass by,
/// and each A sliver (MR x KC) is read once per micro-kernel call; a B sliver (KC x NR) is reused by the MC/MR
/// calls of a row block; the packed B panel (KC x NC, 4 MiB) is streamed from L3 once per A block, each sliver
/// prefetched while the one before it is multiplied (<see cref="Gemm.TilePrefetch"/>).</para>
/// <para>KC trades the C tile's traffic against the slivers' fit in the caches. Every k block loads and stores
/// each C tile once, from L3 or memory when C is large, so fewer and longer blocks help. On AVX-512 the float B
/// sliver already fills all of L1d (32 KiB) at KC = 256, and is served from L2 at any longer KC; with one k
/// block where K ≤ 1024, C is written once and never read back. KC 256 → 512 took (1024, 1024, 1024) from
/// 101-106 to 105-108 GFLOP/s on Zen 4 (scratch probe, best of 20, three interleaved runs, 2026-12-04), with
/// (64, 128, 784) unchanged; in double, where at KC = 512 the A sliver (MR x KC) fills L1d too, 1024^3 still went
/// from 49-53 to 50-54. KC 512 → 1024 took NN from 105-107 to 107-111 and NT from 106-109 to 108-112 on Zen 4
/// (TN the same; double NN 50-52 → 52-53; best of 5, interleaved runs, 2026-12-04), and on Zen 5, each product
/// timed call by call in turn with the other blocking so that the machine's fast and slow minutes fall on both
/// alike (30 calls each, three runs, 2026-12-06): (1024, 1024, 1024) NN, TN and NT +2-5% in the median when the
/// machine was slow (its L3 shared with other guests: C's second pass then comes from memory) and the same when
/// it was fast, (64, 128, 784) NN and TN +1-3%, (256, 1024, 1024) within ±1%. MC = 64 measured the same at
/// 1024^3 on Zen 4 but lost 4% at (128, 128, 784), whose B is then packed instead of read in place (a product of
/// at most MC rows reads it in place). The AVX2 and SSE blocking was chosen on Zen 3 and is kept.</para>
/// <para>Other blockings on Zen 5 (48 KiB L1d, 1 MiB L2, two 512-bit FMA pipes: twice Zen 4's peak), measured
/// the same way against KC 512: KC 256 or 384 came within 2% at 1024^3, or lost up to 4% when the machine was
/// slow; MC 64 or 192 and NC 16 slivers within 2% at 1024^3, (64, 128, 784) NT and (128, 128, 784) NN, except
/// MC 64 at (128, 128, 784) (-7%); NC 8 slivers lost 6% in TN, and KC 256 with MC 256 (its B sliver then fits
/// in L1d) 2% at 1024^3 and 19% at (256, 1024, 1024) TN.</para>
/// </remarks>
internal readonly record struct GemmBlocking(int MR, int NR, int KC, int MC, int NC)
{
    /// <summary>
    /// The blocking for <typeparamref name="T"/> at <paramref name="level"/>. MR x NR is 8 x 2 vectors with 32
    /// registers (AVX-512: 16 accumulators, 2 B vectors and a broadcast, 19 of 32) and 6 x 2 vectors with 16
    /// (AVX2 and SSE: 12 + 2 + 1 = 15 of 16); the scalar path uses the 6 x 2 shape too.
    /// </summary>
    public static GemmBlocking For<T>(IsaLevel level)
        where T : unmanaged => For(level, Lanes<T>(level));

    /// <summary>Elements of <typeparamref name="T"/> in one vector of the level (1 for scalar).</summary>
    public static int Lanes<T>(IsaLevel level)
        where T : unmanaged => level switch
        {
            IsaLevel.V512 => System.Runtime.Intrinsics.Vector512<T>.Count,
            IsaLevel.V256 => System.Runtime.Intrinsics.Vector256<T>.Count,
            IsaLevel.V128 => System.Runtime.Intrinsics.Vector128<T>.Count,
            _ => 1,
        };

    /// <summary>The blocking for a vector of <paramref name="lanes"/> elements; see <see cref="For{T}(IsaLevel)"/>.</summary>
    static GemmBlocking For(IsaLevel level, int lanes) => level switch
    {
        IsaLevel.V512 => new GemmBlocking(MR: 8, NR: 2 * lanes, KC: 1024, MC: 128, NC: 32 * 2 * lanes),
        _ => new GemmBlocking(MR: 6, NR: 2 * lanes, KC: 256, MC: 96, NC: 128 * 2 * lanes),
    };

    /// <summary>
    /// Values of k that packing a transposed A (the TN form) copies across all of a block's slivers before moving
    /// on: 16 stored rows of A, each read a block-width at a time. One sliver down all of kc instead read mr values
    /// from each of kc rows 4 KiB apart at 1024 columns, and A's packing took 2.9% of a (1024, 1024, 1024) TN
    /// product (1.0% in NN, perf); 16 rows at a time, 1.9%: TN went from 105.8-108.2 to 107.2-109.4 GFLOP/s,
    /// (64, 128, 784) TN from 108 to 111 (scratch probe, four and three interleaved runs, Zen 4, 2026-12-04).
    /// 32 rows measured the same as 16.
    /// </summary>
    public const int PackTransposedARows = 16;

    /// <summary>
    /// The largest B, in bytes, that the NT form multiplies as tiles of dot products (<see cref="Gemm.UsesDotTiles"/>)
    /// rather than packed: each group of 4 rows of A streams all of B, which must then come from L2 (1 MiB on
    /// Zen 4 and Zen 5). On Zen 5, float, each form timed call by call in turn with the packed one (scratch probe,
    /// 100-200 calls, 2026-12-06): (64, 128, 784) 196-202 against 177-180 GFLOP/s in the median, (32, 128, 256) 198
    /// against 163, (128, 128, 784) 203 against 192, (256, 128, 784) 197 against 192, (64, 784, 128) 181 against
    /// 176, (64, 512, 512) 179 against 178; with B at 800 KiB to 1 MiB, (128, 256, 784) and (64, 256, 1024), within
    /// 2%; with B at 4 MiB, (256, 1024, 1024), 141-161 against 185.
    /// </summary>
    public const long DotTilesMaxBBytes = 1 << 20;

    /// <summary>Products with a shorter k than this skip packing: the pass over A and B would not pay for itself.</summary>
    public const int PackingMinK = 16;

    /// <summary>Products of fewer multiply-adds than this (32 x 32 x 32) skip packing.</summary>
    public const long PackingMinVolume = 32 * 32 * 32;

    /// <summary>
    /// Products of fewer multiply-adds than this (64 x 128 x 128, about 20 µs of one core at the FMA peak) run on
    /// the calling thread alone: handing work to the team and waiting for it costs microseconds.
    /// </summary>
    public const long ParallelMinVolume = 64 * 128 * 128;

    /// <summary>Elements of one worker's packed A block.</summary>
    public int PackedALength => MC * KC;

    /// <summary>Elements of one worker's packed B panel.</summary>
    public int PackedBLength => KC * NC;

    /// <summary>Elements of one worker's edge tile.</summary>
    public int ScratchLength => MR * NR;
}
