namespace FastBackprop.Kernels.Gemm;

/// <summary>
/// What every unpacked tile of one product shares: k, alpha, A's strides (A(i, p) = A[i·RowStrideA +
/// p·ColumnStrideA]), B's and C's leading dimensions, and whether C is accumulated into or overwritten.
/// </summary>
internal readonly record struct TileArgs<T>(int K, T Alpha, int RowStrideA, int ColumnStrideA, int Ldb, int Ldc, bool Accumulate);
