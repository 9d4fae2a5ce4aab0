using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using FastBackprop.Kernels;
using FastBackprop.Kernels.Elementwise;

namespace FastBackprop.Recurrent.Sequence;

/// <summary>
/// The pointwise parts of one time step of the LSTM and GRU cells, forward and backward, over a batch of rows.
/// Every buffer is one time step of the workspace, [rows, width] row-major; gates are stacked in PyTorch's order
/// (LSTM i, f, g, o; GRU r, z, n), each <c>hidden</c> wide. Each kernel walks a row with the widest vector the
/// active ISA allows, then narrower ones, then scalars, as the engine's elementwise kernels do.
/// </summary>
internal static class CellKernels
{
    /// <summary>
    /// LSTM forward: gates [rows, 4H] holds the pre-activations and is overwritten with i = σ, f = σ, g = tanh,
    /// o = σ of them; then c = f·cPrev + i·g, tanhC = tanh c, h = o·tanhC (all [rows, H], overwritten).
    /// </summary>
    public static void LstmForward<T>(Span<T> gates, ReadOnlySpan<T> cPrev, Span<T> c, Span<T> tanhC, Span<T> h, int rows, int hidden)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            ref T g = ref MemoryMarshal.GetReference(gates.Slice(r * 4 * hidden, 4 * hidden));
            ref T cp = ref MemoryMarshal.GetReference(cPrev.Slice(r * hidden, hidden));
            ref T cr = ref MemoryMarshal.GetReference(c.Slice(r * hidden, hidden));
            ref T tc = ref MemoryMarshal.GetReference(tanhC.Slice(r * hidden, hidden));
            ref T hr = ref MemoryMarshal.GetReference(h.Slice(r * hidden, hidden));
            int j = 0;
            if (Isa.Use512)
            {
                LstmForward<Vector512<T>, Simd512<T>, T>(ref g, ref cp, ref cr, ref tc, ref hr, hidden, ref j);
            }

            if (Isa.Use256)
            {
                LstmForward<Vector256<T>, Simd256<T>, T>(ref g, ref cp, ref cr, ref tc, ref hr, hidden, ref j);
            }

            if (Isa.Use128)
            {
                LstmForward<Vector128<T>, Simd128<T>, T>(ref g, ref cp, ref cr, ref tc, ref hr, hidden, ref j);
            }

            LstmForward<T, SimdScalar<T>, T>(ref g, ref cp, ref cr, ref tc, ref hr, hidden, ref j);
        }
    }

    /// <summary>
    /// LSTM backward through one step. With dh = dL/dh_t (complete: from the output and from step t+1) and
    /// dc = dL/dc_t from step t+1 (in/out): dc ← dc + dh·o·(1 − tanh²c); the gate gradients
    /// di = dc·g·i(1−i), df = dc·cPrev·f(1−f), dg = dc·i·(1−g²), do = dh·tanh c·o(1−o) into dGates [rows, 4H]
    /// (overwritten); and dc ← dc·f, the cell gradient handed to step t−1.
    /// </summary>
    public static void LstmBackward<T>(
        ReadOnlySpan<T> gates, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> tanhC, ReadOnlySpan<T> dh, Span<T> dc, Span<T> dGates, int rows, int hidden)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            ref T g = ref MemoryMarshal.GetReference(gates.Slice(r * 4 * hidden, 4 * hidden));
            ref T cp = ref MemoryMarshal.GetReference(cPrev.Slice(r * hidden, hidden));
            ref T tc = ref MemoryMarshal.GetReference(tanhC.Slice(r * hidden, hidden));
            ref T dhr = ref MemoryMarshal.GetReference(dh.Slice(r * hidden, hidden));
            ref T dcr = ref MemoryMarshal.GetReference(dc.Slice(r * hidden, hidden));
            ref T dg = ref MemoryMarshal.GetReference(dGates.Slice(r * 4 * hidden, 4 * hidden));
            int j = 0;
            if (Isa.Use512)
            {
                LstmBackward<Vector512<T>, Simd512<T>, T>(ref g, ref cp, ref tc, ref dhr, ref dcr, ref dg, hidden, ref j);
            }

            if (Isa.Use256)
            {
                LstmBackward<Vector256<T>, Simd256<T>, T>(ref g, ref cp, ref tc, ref dhr, ref dcr, ref dg, hidden, ref j);
            }

            if (Isa.Use128)
            {
                LstmBackward<Vector128<T>, Simd128<T>, T>(ref g, ref cp, ref tc, ref dhr, ref dcr, ref dg, hidden, ref j);
            }

            LstmBackward<T, SimdScalar<T>, T>(ref g, ref cp, ref tc, ref dhr, ref dcr, ref dg, hidden, ref j);
        }
    }

    /// <summary>
    /// GRU forward (PyTorch's nn.GRU): gates [rows, 3H] holds x·W_x + b_x and is overwritten with
    /// r = σ(gates_r + rec_r), z = σ(gates_z + rec_z), n = tanh(gates_n + r·rec_n), where rec [rows, 3H] is
    /// h_{t−1}·W_h + b_h (read only); then h = (1 − z)·n + z·hPrev into <paramref name="h"/> [rows, H].
    /// </summary>
    public static void GruForward<T>(Span<T> gates, ReadOnlySpan<T> rec, ReadOnlySpan<T> hPrev, Span<T> h, int rows, int hidden)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            ref T g = ref MemoryMarshal.GetReference(gates.Slice(r * 3 * hidden, 3 * hidden));
            ref T rc = ref MemoryMarshal.GetReference(rec.Slice(r * 3 * hidden, 3 * hidden));
            ref T hp = ref MemoryMarshal.GetReference(hPrev.Slice(r * hidden, hidden));
            ref T hr = ref MemoryMarshal.GetReference(h.Slice(r * hidden, hidden));
            int j = 0;
            if (Isa.Use512)
            {
                GruForward<Vector512<T>, Simd512<T>, T>(ref g, ref rc, ref hp, ref hr, hidden, ref j);
            }

            if (Isa.Use256)
            {
                GruForward<Vector256<T>, Simd256<T>, T>(ref g, ref rc, ref hp, ref hr, hidden, ref j);
            }

            if (Isa.Use128)
            {
                GruForward<Vector128<T>, Simd128<T>, T>(ref g, ref rc, ref hp, ref hr, hidden, ref j);
            }

            GruForward<T, SimdScalar<T>, T>(ref g, ref rc, ref hp, ref hr, hidden, ref j);
        }
    }

    /// <summary>
    /// GRU backward through one step, from the activations r, z, n in <paramref name="gates"/> and dh = dL/dh_t:
    /// dn' = dh·(1−z)·(1−n²), dr' = dn'·rec_n·r(1−r), dz' = dh·(hPrev − n)·z(1−z). Writes the gradient of the
    /// input part, dGates = [dr', dz', dn'], and of the recurrent part, dRec = [dr', dz', dn'·r] (both [rows, 3H],
    /// overwritten), and adds the direct path dh·z to <paramref name="dPrev"/> (dL/dh_{t−1}, accumulated).
    /// </summary>
    public static void GruBackward<T>(
        ReadOnlySpan<T> gates, ReadOnlySpan<T> rec, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> dh, Span<T> dGates, Span<T> dRec, Span<T> dPrev, int rows, int hidden)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            ref T g = ref MemoryMarshal.GetReference(gates.Slice(r * 3 * hidden, 3 * hidden));
            ref T rc = ref MemoryMarshal.GetReference(rec.Slice(r * 3 * hidden, 3 * hidden));
            ref T hp = ref MemoryMarshal.GetReference(hPrev.Slice(r * hidden, hidden));
            ref T dhr = ref MemoryMarshal.GetReference(dh.Slice(r * hidden, hidden));
            ref T dg = ref MemoryMarshal.GetReference(dGates.Slice(r * 3 * hidden, 3 * hidden));
            ref T drc = ref MemoryMarshal.GetReference(dRec.Slice(r * 3 * hidden, 3 * hidden));
            ref T dp = ref MemoryMarshal.GetReference(dPrev.Slice(r * hidden, hidden));
            int j = 0;
            if (Isa.Use512)
            {
                GruBackward<Vector512<T>, Simd512<T>, T>(ref g, ref rc, ref hp, ref dhr, ref dg, ref drc, ref dp, hidden, ref j);
            }

            if (Isa.Use256)
            {
                GruBackward<Vector256<T>, Simd256<T>, T>(ref g, ref rc, ref hp, ref dhr, ref dg, ref drc, ref dp, hidden, ref j);
            }

            if (Isa.Use128)
            {
                GruBackward<Vector128<T>, Simd128<T>, T>(ref g, ref rc, ref hp, ref dhr, ref dg, ref drc, ref dp, hidden, ref j);
            }

            GruBackward<T, SimdScalar<T>, T>(ref g, ref rc, ref hp, ref dhr, ref dg, ref drc, ref dp, hidden, ref j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void LstmForward<TVec, TSimd, T>(ref T gates, ref T cPrev, ref T c, ref T tanhC, ref T h, int n, ref int j)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int step = TSimd.Count;
        for (; j <= n - step; j += step)
        {
            ref T pi = ref Unsafe.Add(ref gates, j);
            ref T pf = ref Unsafe.Add(ref gates, n + j);
            ref T pg = ref Unsafe.Add(ref gates, (2 * n) + j);
            ref T po = ref Unsafe.Add(ref gates, (3 * n) + j);
            TVec i = SigmoidOp<T>.Forward<TVec, TSimd>(TSimd.Load(ref pi));
            TVec f = SigmoidOp<T>.Forward<TVec, TSimd>(TSimd.Load(ref pf));
            TVec g = TanhOp<T>.Forward<TVec, TSimd>(TSimd.Load(ref pg));
            TVec o = SigmoidOp<T>.Forward<TVec, TSimd>(TSimd.Load(ref po));
            TSimd.Store(i, ref pi);
            TSimd.Store(f, ref pf);
            TSimd.Store(g, ref pg);
            TSimd.Store(o, ref po);
            TVec cv = TSimd.MultiplyAdd(f, TSimd.Load(ref Unsafe.Add(ref cPrev, j)), TSimd.Multiply(i, g));
            TVec tc = TanhOp<T>.Forward<TVec, TSimd>(cv);
            TSimd.Store(cv, ref Unsafe.Add(ref c, j));
            TSimd.Store(tc, ref Unsafe.Add(ref tanhC, j));
            TSimd.Store(TSimd.Multiply(o, tc), ref Unsafe.Add(ref h, j));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void LstmBackward<TVec, TSimd, T>(ref T gates, ref T cPrev, ref T tanhC, ref T dh, ref T dc, ref T dGates, int n, ref int j)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int step = TSimd.Count;
        TVec one = TSimd.Splat(T.One);
        for (; j <= n - step; j += step)
        {
            TVec i = TSimd.Load(ref Unsafe.Add(ref gates, j));
            TVec f = TSimd.Load(ref Unsafe.Add(ref gates, n + j));
            TVec g = TSimd.Load(ref Unsafe.Add(ref gates, (2 * n) + j));
            TVec o = TSimd.Load(ref Unsafe.Add(ref gates, (3 * n) + j));
            TVec tc = TSimd.Load(ref Unsafe.Add(ref tanhC, j));
            TVec dhv = TSimd.Load(ref Unsafe.Add(ref dh, j));
            ref T dcr = ref Unsafe.Add(ref dc, j);
            TVec dcv = TSimd.MultiplyAdd(TSimd.Multiply(dhv, o), TSimd.Subtract(one, TSimd.Multiply(tc, tc)), TSimd.Load(ref dcr));
            TVec di = TSimd.Multiply(TSimd.Multiply(dcv, g), TSimd.Multiply(i, TSimd.Subtract(one, i)));
            TVec df = TSimd.Multiply(TSimd.Multiply(dcv, TSimd.Load(ref Unsafe.Add(ref cPrev, j))), TSimd.Multiply(f, TSimd.Subtract(one, f)));
            TVec dg = TSimd.Multiply(TSimd.Multiply(dcv, i), TSimd.Subtract(one, TSimd.Multiply(g, g)));
            TVec dov = TSimd.Multiply(TSimd.Multiply(dhv, tc), TSimd.Multiply(o, TSimd.Subtract(one, o)));
            TSimd.Store(di, ref Unsafe.Add(ref dGates, j));
            TSimd.Store(df, ref Unsafe.Add(ref dGates, n + j));
            TSimd.Store(dg, ref Unsafe.Add(ref dGates, (2 * n) + j));
            TSimd.Store(dov, ref Unsafe.Add(ref dGates, (3 * n) + j));
            TSimd.Store(TSimd.Multiply(dcv, f), ref dcr);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void GruForward<TVec, TSimd, T>(ref T gates, ref T rec, ref T hPrev, ref T h, int n, ref int j)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int step = TSimd.Count;
        for (; j <= n - step; j += step)
        {
            ref T pr = ref Unsafe.Add(ref gates, j);
            ref T pz = ref Unsafe.Add(ref gates, n + j);
            ref T pn = ref Unsafe.Add(ref gates, (2 * n) + j);
            TVec r = SigmoidOp<T>.Forward<TVec, TSimd>(TSimd.Add(TSimd.Load(ref pr), TSimd.Load(ref Unsafe.Add(ref rec, j))));
            TVec z = SigmoidOp<T>.Forward<TVec, TSimd>(TSimd.Add(TSimd.Load(ref pz), TSimd.Load(ref Unsafe.Add(ref rec, n + j))));
            TVec nv = TanhOp<T>.Forward<TVec, TSimd>(TSimd.MultiplyAdd(r, TSimd.Load(ref Unsafe.Add(ref rec, (2 * n) + j)), TSimd.Load(ref pn)));
            TSimd.Store(r, ref pr);
            TSimd.Store(z, ref pz);
            TSimd.Store(nv, ref pn);
            TVec hp = TSimd.Load(ref Unsafe.Add(ref hPrev, j));
            TSimd.Store(TSimd.MultiplyAdd(z, TSimd.Subtract(hp, nv), nv), ref Unsafe.Add(ref h, j));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void GruBackward<TVec, TSimd, T>(ref T gates, ref T rec, ref T hPrev, ref T dh, ref T dGates, ref T dRec, ref T dPrev, int n, ref int j)
        where TVec : struct
        where TSimd : struct, ISimd<TVec, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int step = TSimd.Count;
        TVec one = TSimd.Splat(T.One);
        for (; j <= n - step; j += step)
        {
            TVec r = TSimd.Load(ref Unsafe.Add(ref gates, j));
            TVec z = TSimd.Load(ref Unsafe.Add(ref gates, n + j));
            TVec nv = TSimd.Load(ref Unsafe.Add(ref gates, (2 * n) + j));
            TVec recN = TSimd.Load(ref Unsafe.Add(ref rec, (2 * n) + j));
            TVec hp = TSimd.Load(ref Unsafe.Add(ref hPrev, j));
            TVec dhv = TSimd.Load(ref Unsafe.Add(ref dh, j));
            TVec dnp = TSimd.Multiply(TSimd.Multiply(dhv, TSimd.Subtract(one, z)), TSimd.Subtract(one, TSimd.Multiply(nv, nv)));
            TVec drp = TSimd.Multiply(TSimd.Multiply(dnp, recN), TSimd.Multiply(r, TSimd.Subtract(one, r)));
            TVec dzp = TSimd.Multiply(TSimd.Multiply(dhv, TSimd.Subtract(hp, nv)), TSimd.Multiply(z, TSimd.Subtract(one, z)));
            TSimd.Store(drp, ref Unsafe.Add(ref dGates, j));
            TSimd.Store(dzp, ref Unsafe.Add(ref dGates, n + j));
            TSimd.Store(dnp, ref Unsafe.Add(ref dGates, (2 * n) + j));
            TSimd.Store(drp, ref Unsafe.Add(ref dRec, j));
            TSimd.Store(dzp, ref Unsafe.Add(ref dRec, n + j));
            TSimd.Store(TSimd.Multiply(dnp, r), ref Unsafe.Add(ref dRec, (2 * n) + j));
            ref T dpr = ref Unsafe.Add(ref dPrev, j);
            TSimd.Store(TSimd.MultiplyAdd(dhv, z, TSimd.Load(ref dpr)), ref dpr);
        }
    }
}
