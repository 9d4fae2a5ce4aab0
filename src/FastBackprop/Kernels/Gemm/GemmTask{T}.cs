using System.Numerics;
using FastBackprop.Kernels.Threading;

namespace FastBackprop.Kernels.Gemm;

/// <summary>
/// One packed product shared out over a thread team. Each worker takes a contiguous range of whole tiles of C
/// (column tiles when C is wide enough, else row tiles) and runs the packed GEMM on it with its own buffers.
/// Splitting only the output, at tile boundaries, means each element of C is computed by exactly the operations
/// a single thread would use: results are bit-identical at any thread count.
/// </summary>
/// <remarks>Preallocated once per workspace: the product is copied into it, so a Run allocates nothing.</remarks>
internal sealed unsafe class GemmTask<T> : ITeamWork
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    readonly GemmWorkspace<T> _workspace;
    GemmProblem<T> _problem;
    IsaLevel _level;

    public GemmTask(GemmWorkspace<T> workspace) => _workspace = workspace;

    /// <summary>Sets the product the next Run computes. Its operands must stay pinned until Run returns.</summary>
    public void Set(IsaLevel level, in GemmProblem<T> problem)
    {
        _level = level;
        _problem = problem;
    }

    public void Execute(int worker, int workers)
    {
        GemmBlocking blocking = GemmBlocking.For<T>(_level);
        int rowStart = 0, rowEnd = _problem.M, columnStart = 0, columnEnd = _problem.N;
        if (_problem.N >= workers * 2 * blocking.NR)
        {
            Share(_problem.N, blocking.NR, worker, workers, out columnStart, out columnEnd);
        }
        else
        {
            Share(_problem.M, blocking.MR, worker, workers, out rowStart, out rowEnd);
        }

        if (rowStart < rowEnd && columnStart < columnEnd)
        {
            ref readonly GemmWorkspace<T>.WorkerBuffers buffers = ref _workspace.Buffers(worker);
            Gemm.RunPacked(_level, _problem, rowStart, rowEnd, columnStart, columnEnd, buffers.PackedA, buffers.PackedB, buffers.Scratch);
        }
    }

    // Worker w of n takes tiles [w·t/n, (w+1)·t/n) of the t tiles of size `tile` covering `length`.
    static void Share(int length, int tile, int worker, int workers, out int start, out int end)
    {
        long tiles = (length + tile - 1) / tile;
        start = (int)(tiles * worker / workers) * tile;
        end = System.Math.Min(length, (int)(tiles * (worker + 1) / workers) * tile);
    }
}
