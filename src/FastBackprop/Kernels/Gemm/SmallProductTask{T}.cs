using System.Numerics;
using FastBackprop.Kernels.Threading;

namespace FastBackprop.Kernels.Gemm;

/// <summary>
/// A batch-1 product shared over the thread team: a rank-1 update split by rows, or the two fixed parts of a
/// split GEMV. Either way every output element is computed by the same operations as on one thread, so results
/// are bit-identical at any thread count.
/// </summary>
/// <remarks>Preallocated once per workspace: a Run allocates nothing.</remarks>
internal sealed unsafe class SmallProductTask<T> : ITeamWork
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    bool _gemv;
    int _m;
    int _n;
    int _k;
    T* _a;
    T* _b;
    T* _c;
    TileArgs<T> _args;

    /// <summary>Rows of C = alpha·a·bᵀ (+ C) shared out; the operands must stay pinned until Run returns.</summary>
    public void SetRank1(int m, int n, T* a, T* b, T* c, in TileArgs<T> args)
    {
        Set(gemv: false, m, n, 1, a, b, c, args);
    }

    /// <summary>The two parts of a split GEMV into <paramref name="partials"/> (2·n elements); pinned until Run returns.</summary>
    public void SetGemvParts(int n, int k, T* a, T* b, T* partials, in TileArgs<T> args)
    {
        Set(gemv: true, 1, n, k, a, b, partials, args);
    }

    void Set(bool gemv, int m, int n, int k, T* a, T* b, T* c, in TileArgs<T> args)
    {
        _gemv = gemv;
        _m = m;
        _n = n;
        _k = k;
        _a = a;
        _b = b;
        _c = c;
        _args = args;
    }

    public void Execute(int worker, int workers)
    {
        if (_gemv)
        {
            for (int part = worker; part < 2; part += workers)
            {
                Gemm.GemvPart(part, _n, _k, _a, _b, _c, _args);
            }
        }
        else
        {
            // Two threads split where the GEMV's parts meet (see Gemm.FirstPartLength); more split evenly.
            int start, end;
            if (workers == 2)
            {
                int first = Gemm.FirstPartLength(_m);
                (start, end) = worker == 0 ? (0, first) : (first, _m);
            }
            else
            {
                start = (int)((long)_m * worker / workers);
                end = (int)((long)_m * (worker + 1) / workers);
            }

            if (start < end)
            {
                Gemm.Rank1Rows(start, end, _n, _a, _b, _c, _args);
            }
        }
    }
}
