namespace FastBackprop.Kernels.Gemm;

/// <summary>
/// One product C = alpha·A·B (+ C) as the packed GEMM sees it: raw pointers (the operands are pinned for the
/// duration of the call, which lets worker threads read them) and strides, so a transpose is only a stride:
/// A(i, p) = A[i·RowStrideA + p·ColumnStrideA], B(p, j) = B[p·RowStrideB + j·ColumnStrideB].
/// </summary>
internal unsafe struct GemmProblem<T>
    where T : unmanaged
{
    public int M;
    public int N;
    public int K;
    public T Alpha;
    public bool Accumulate;
    public T* A;
    public nint RowStrideA;
    public nint ColumnStrideA;
    public T* B;
    public nint RowStrideB;
    public nint ColumnStrideB;
    public T* C;
    public nint Ldc;
}
