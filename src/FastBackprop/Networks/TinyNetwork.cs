using System;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using FastBackprop.Kernels;
using FastBackprop.Kernels.Elementwise;
using FastBackprop.Layers;
using FastBackprop.Losses;

namespace FastBackprop.Networks;

/// <summary>
/// Batch-1 forward and training steps for networks whose layers are all tiny (the seeds' 2-2-2 network, XOR,
/// small control nets). At these sizes a step is a few dozen multiply-adds, and the vector kernels' set-up (span
/// slicing, shape checks, a cascade of widths per call) would cost many times the arithmetic; plain scalar loops
/// over the same buffers do the same mathematics without it. Only hidden softmax is impossible, so every network
/// the library accepts qualifies when its layers are small enough.
/// </summary>
/// <remarks>
/// The loops walk raw references into the parameter vector and the workspace's arena: every index is bounded by
/// the layer shapes the network and the workspace were built from, and the caller has checked the sample's
/// length, so the spans' bounds checks would only add work to a step that is mostly a dependency chain of
/// exponentials. The mathematics is the general path's; the rounding differs where a shorter chain was worth it
/// (fused multiply-adds where the hardware has them, the hidden deltas summed over derivative-scaled weights,
/// η·x formed ahead of the deltas), which moves results by a few ulps: <c>TinyNetworkTests</c> holds the two paths
/// within 1e-13 of each other in double. The seeds' own 2-2-2 shape has a kernel of its own that keeps the whole
/// step in registers (<see cref="TwoTwoTwoStep{T}"/>), with the same arithmetic as the loops, bit for bit.
/// </remarks>
internal static class TinyNetwork
{
    /// <summary>Networks whose every layer has at most this many weights take the tiny path at batch 1.</summary>
    public const int MaxLayerWeights = 64;

    public static bool Qualifies<T>(ReadOnlySpan<DenseLayer<T>> layers)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        foreach (DenseLayer<T> layer in layers)
        {
            if (layer.WeightCount > MaxLayerWeights)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One sample forward; the outputs are left in the workspace's last layer outputs (and logits).</summary>
    public static ReadOnlySpan<T> Forward<T>(DenseLayer<T>[] layers, Span<T> parameters, ReadOnlySpan<T> input, Workspace<T> workspace)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        RunForward(layers, parameters, ref MemoryMarshal.GetReference(input), workspace);
        return workspace.Outputs(layers.Length - 1, 1);
    }

    /// <summary>
    /// One sample's SGD step: forward, loss, and from the output layer down, the delta of the layer below
    /// (from the weights before their update), then W -= η·x·δ and b -= η·δ. Returns the loss.
    /// </summary>
    public static T TrainStep<T>(
        DenseLayer<T>[] layers, Loss loss, Span<T> parameters,
        ReadOnlySpan<T> input, ReadOnlySpan<T> target, T learningRate, Workspace<T> workspace)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T x0 = ref MemoryMarshal.GetReference(input);
        RunForward(layers, parameters, ref x0, workspace);

        int last = layers.Length - 1;
        DenseLayer<T> top = layers[last];
        T value = loss == Loss.SquaredError
            ? SquaredErrorDelta(top.Activation, ref workspace.OutputsRef(last), ref MemoryMarshal.GetReference(target), ref workspace.DeltasRef(last), top.Units)
            : LossFunction.Evaluate(loss, top.Activation, workspace.Logits(1), workspace.Outputs(last, 1), target, 1, top.Units, workspace.Deltas(last, 1));

        ref T p = ref MemoryMarshal.GetReference(parameters);
        for (int l = last; l >= 0; l--)
        {
            DenseLayer<T> layer = layers[l];
            ref T w = ref Unsafe.Add(ref p, layer.WeightOffset);
            ref T delta = ref workspace.DeltasRef(l);
            ref T x = ref l == 0 ? ref x0 : ref workspace.OutputsRef(l - 1);
            if (l > 0)
            {
                // The seeds' hidden delta δ_i = (Σ_j δ_j w_ij) · f'(net_i), before w changes.
                BackwardDelta(layers[l - 1].Activation, ref w, ref delta, ref x, ref workspace.DeltasRef(l - 1), layer.Inputs, layer.Units);
            }

            Update(ref w, ref Unsafe.Add(ref p, layer.BiasOffset), ref x, ref delta, layer.Inputs, layer.Units, learningRate);
        }

        return value;
    }

    // Weights and biases of a 2-2-2 network: 2·2 + 2 per layer.
    const int ParameterCountTwoTwoTwo = 12;

    /// <summary>
    /// Whether a network has the seeds' worked-example shape, 2 inputs, 2 hidden units and 2 outputs, with
    /// elementwise activations and the squared error: the shape <see cref="TwoTwoTwoStep{T}"/> runs in registers.
    /// </summary>
    public static bool IsTwoTwoTwo<T>(ReadOnlySpan<DenseLayer<T>> layers, Loss loss)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        loss == Loss.SquaredError && layers.Length == 2
        && layers[0].Inputs == 2 && layers[0].Units == 2 && layers[1].Units == 2
        && layers[0].Activation != Activation.Softmax && layers[1].Activation != Activation.Softmax;

    /// <summary>
    /// The one-sample training step of a 2-2-2 network (<see cref="IsTwoTwoTwo"/>) with these activations, for the
    /// network to pick once, when it is built, and call through the pointer at every step: the checks, the
    /// workspace's guard and the register kernel in one frame (<see cref="TwoTwoTwo"/>).
    /// </summary>
    public static unsafe delegate*<Network<T>, ReadOnlySpan<T>, ReadOnlySpan<T>, Workspace<T>, T, T> TwoTwoTwoStep<T>(Activation hidden, Activation output)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        hidden switch
        {
            Activation.Identity => TwoTwoTwoStep<T, IdentityOp<T>>(output),
            Activation.Sigmoid => TwoTwoTwoStep<T, SigmoidOp<T>>(output),
            Activation.Tanh => TwoTwoTwoStep<T, TanhOp<T>>(output),
            Activation.Relu => TwoTwoTwoStep<T, ReluOp<T>>(output),
            _ => TwoTwoTwoStep<T, LeakyReluOp<T>>(output),
        };

    // The activations are type arguments: a switch at each of the step's eight activation sites would split the
    // chain into branches that the JIT joins through the stack.
    static unsafe delegate*<Network<T>, ReadOnlySpan<T>, ReadOnlySpan<T>, Workspace<T>, T, T> TwoTwoTwoStep<T, THidden>(Activation output)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where THidden : IActivationOp<T> =>
        output switch
        {
            Activation.Identity => &TwoTwoTwo<T, THidden, IdentityOp<T>>,
            Activation.Sigmoid => &TwoTwoTwo<T, THidden, SigmoidOp<T>>,
            Activation.Tanh => &TwoTwoTwo<T, THidden, TanhOp<T>>,
            Activation.Relu => &TwoTwoTwo<T, THidden, ReluOp<T>>,
            _ => &TwoTwoTwo<T, THidden, LeakyReluOp<T>>,
        };

    // One sample (inputs.Length == 2: Network.TrainStep tested it) of a 2-2-2 network.
    // First the general step's checks, folded into one test that passes exactly when they all would (every workspace
    // has MaxBatch >= 1, but it is tested all the same); when it fails, Network.InvalidStep runs them in their order,
    // so that the exception is the general step's.
    // Then the step of TrainStep, the loops, with every value of the step in a local (the register kernel): the
    // loops keep each layer's sums, outputs and deltas in the workspace, and for a step that is one long dependency
    // chain (dot → activation, twice, then the deltas and the updates, which the next step's forward waits for)
    // each trip through memory adds a store-to-load forwarding delay, and the loops' bookkeeping adds spills. Same
    // arithmetic as the loops, term for term (the sums start from their first product rather than from 0, which
    // changes at most the sign of a zero), so the results are the same; a step whose sums leave the activations'
    // fast scalar range (the float sigmoid's table) is the loops' own. The outputs and logits are still left in the
    // workspace, as the loops leave them.
    // Why one frame, with the checks, guard and kernel written out in it (the JIT does not inline a kernel this
    // large, even asked to): the step is one dependency chain of ~100 cycles, and the code around it is free while the
    // core can run it in the chain's shadow. On the Zen 5 test machine it sometimes cannot (a vCPU whose core
    // another guest keeps busy, presumably: chains of FMAs keep their speed, and only code beside the chain slows
    // down), and then every instruction beside the chain counts: the general step's frame (six saved registers,
    // spills around the throw helpers, the loops of the finiteness checks) and the two switches that chose the
    // kernel cost ~10 ns a step (W1 42-45 ns, against 32-34 for a frame of checks calling the kernel through a
    // pointer, and 29-30 for 25 chained FMAs; all 28-29 ns while the core was free; scratch probe, builds in one
    // process, call by call in turn, 2026-12-06). Folding that frame and the kernel's into one took another call,
    // return, argument moves and ~20 instructions of checks off each step.
    static T TwoTwoTwo<T, THidden, TOutput>(Network<T> network, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Workspace<T> workspace, T learningRate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where THidden : IActivationOp<T>
        where TOutput : IActivationOp<T>
    {
        Debug.Assert(inputs.Length == 2, "Network.TrainStep sends one sample of 2 inputs here, and only that.");
        ref T input = ref MemoryMarshal.GetReference(inputs);
        ref T target = ref MemoryMarshal.GetReference(targets);
        if (workspace is null || !ReferenceEquals(workspace.Network, network) || workspace.MaxBatch < 1 || targets.Length != 2
            || !AllFinite(ref input, ref target) || !IsPositiveFinite(learningRate))
        {
            throw network.InvalidStep(inputs, targets, workspace, learningRate);
        }

        workspace.Acquire();
        try
        {
            ref T p = ref network.ParametersRef;
            // Where the outputs and logits go, found before anything is stored: a store through a reference could, for
            // all the JIT knows, change the workspace's fields, which it would then read again.
            ref T arena = ref workspace.ArenaRef;
            ref T hidden = ref Unsafe.Add(ref arena, workspace.OutputsOffset(0));
            ref T output = ref Unsafe.Add(ref arena, workspace.OutputsOffset(1));
            ref T logits = ref Unsafe.Add(ref arena, workspace.LogitsOffset);

            // Layout (Network.Parameters): W1 [2 x 2] at 0, b1 at 4, W2 [2 x 2] at 6, b2 at 10; W[i, j] at i·2 + j.
            T x0 = input, x1 = Unsafe.Add(ref input, 1);
            T t0 = target, t1 = Unsafe.Add(ref target, 1);
            T w00 = p, w01 = Unsafe.Add(ref p, 1), w10 = Unsafe.Add(ref p, 2), w11 = Unsafe.Add(ref p, 3);
            T v00 = Unsafe.Add(ref p, 6), v01 = Unsafe.Add(ref p, 7), v10 = Unsafe.Add(ref p, 8), v11 = Unsafe.Add(ref p, 9);

            T b0 = Unsafe.Add(ref p, 4), b1 = Unsafe.Add(ref p, 5), c0 = Unsafe.Add(ref p, 10), c1 = Unsafe.Add(ref p, 11);

            // Sums outside the activations' fast scalar range (a sigmoid's table) take the loops, which compute the
            // same step: nothing has been written yet, and nothing is live after the call, so that the JIT has no
            // float to keep on the stack for it.
            T a0 = MulAdd(x1, w10, MulAdd(x0, w00, b0));
            T a1 = MulAdd(x1, w11, MulAdd(x0, w01, b1));
            if (!THidden.ScalarFastCovers(a0) || !THidden.ScalarFastCovers(a1))
            {
                return FallBack(network, ref p, ref input, ref target, learningRate, workspace);
            }

            T h0 = THidden.ForwardScalarFast(a0);
            T h1 = THidden.ForwardScalarFast(a1);
            T z0 = MulAdd(h1, v10, MulAdd(h0, v00, c0));
            T z1 = MulAdd(h1, v11, MulAdd(h0, v01, c1));
            if (!TOutput.ScalarFastCovers(z0) || !TOutput.ScalarFastCovers(z1))
            {
                return FallBack(network, ref p, ref input, ref target, learningRate, workspace);
            }

            T y0 = TOutput.ForwardScalarFast(z0);
            T y1 = TOutput.ForwardScalarFast(z1);

            T e0 = t0 - y0, e1 = t1 - y1;
            // Halved by a multiply, not the loops' division by 2: the same value (x·0.5 and x/2 round the same real
            // number), and no divider on the way to the return.
            T value = ((e0 * e0) + (e1 * e1)) * Half<T>();
            T d0 = TOutput.Backward<T, SimdScalar<T>>(y0, y0 - t0);
            T d1 = TOutput.Backward<T, SimdScalar<T>>(y1, y1 - t1);

            // The hidden deltas from W2 before its update, as BackwardDelta forms them: each weight times f'(h), which
            // is known as soon as h is, so that the chain from the output deltas is one multiply and one multiply-add.
            T s0 = THidden.Backward<T, SimdScalar<T>>(h0, T.One), s1 = THidden.Backward<T, SimdScalar<T>>(h1, T.One);
            T g0 = MulAdd(d1, v01 * s0, d0 * (v00 * s0));
            T g1 = MulAdd(d1, v11 * s1, d0 * (v10 * s1));

            // The updates as Update forms them: η·x (or η·h) ahead of the deltas, then one multiply-add per weight.
            T rh0 = learningRate * h0, rh1 = learningRate * h1, rx0 = learningRate * x0, rx1 = learningRate * x1;
            Unsafe.Add(ref p, 6) = MulAdd(-rh0, d0, v00);
            Unsafe.Add(ref p, 7) = MulAdd(-rh0, d1, v01);
            Unsafe.Add(ref p, 8) = MulAdd(-rh1, d0, v10);
            Unsafe.Add(ref p, 9) = MulAdd(-rh1, d1, v11);
            Unsafe.Add(ref p, 10) = MulAdd(-learningRate, d0, c0);
            Unsafe.Add(ref p, 11) = MulAdd(-learningRate, d1, c1);
            p = MulAdd(-rx0, g0, w00);
            Unsafe.Add(ref p, 1) = MulAdd(-rx0, g1, w01);
            Unsafe.Add(ref p, 2) = MulAdd(-rx1, g0, w10);
            Unsafe.Add(ref p, 3) = MulAdd(-rx1, g1, w11);
            Unsafe.Add(ref p, 4) = MulAdd(-learningRate, g0, b0);
            Unsafe.Add(ref p, 5) = MulAdd(-learningRate, g1, b1);

            hidden = h0;
            Unsafe.Add(ref hidden, 1) = h1;
            output = y0;
            Unsafe.Add(ref output, 1) = y1;
            logits = z0;
            Unsafe.Add(ref logits, 1) = z1;
            return value;
        }
        finally
        {
            workspace.Release();
        }
    }

    // Whether the sample's two inputs and two targets are all finite: x - x is 0 for a finite x and NaN for ±∞ and
    // NaN, so that one subtraction and one comparison of a vector test the four at once, where T.IsFinite of each
    // would be four loads, masks and branches beside the step's chain.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool AllFinite<T>(ref T input, ref T target)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Vector128.IsHardwareAccelerated)
        {
            Vector128<float> v = Vector128.Create(
                Unsafe.ReadUnaligned<double>(ref Unsafe.As<T, byte>(ref input)), Unsafe.ReadUnaligned<double>(ref Unsafe.As<T, byte>(ref target))).AsSingle();
            return Vector128.EqualsAll(v - v, Vector128<float>.Zero);
        }

        if (typeof(T) == typeof(double) && Vector256.IsHardwareAccelerated)
        {
            Vector256<double> v = Vector256.Create(Vector128.LoadUnsafe(ref Unsafe.As<T, double>(ref input)), Vector128.LoadUnsafe(ref Unsafe.As<T, double>(ref target)));
            return Vector256.EqualsAll(v - v, Vector256<double>.Zero);
        }

        return T.IsFinite(input) && T.IsFinite(Unsafe.Add(ref input, 1)) && T.IsFinite(target) && T.IsFinite(Unsafe.Add(ref target, 1));
    }

    // Whether x is finite and above zero, as one comparison of its bits: the positive finite values, subnormals
    // included, are exactly the bit patterns from 1 to the largest finite value's; -0, negatives (sign bit set),
    // +∞ and NaN all fall outside once 1 is taken off, unsigned.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool IsPositiveFinite<T>(T x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? BitConverter.SingleToUInt32Bits(Unsafe.BitCast<T, float>(x)) - 1 < BitConverter.SingleToUInt32Bits(float.MaxValue)
        : typeof(T) == typeof(double) ? BitConverter.DoubleToUInt64Bits(Unsafe.BitCast<T, double>(x)) - 1 < BitConverter.DoubleToUInt64Bits(double.MaxValue)
        : T.IsFinite(x) && x > T.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static T Half<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        T.One / (T.One + T.One);

    // The loops' step, for sums outside the fast range, on spans rebuilt from the kernel's references: out of line,
    // so that building them adds nothing to the kernel's frame.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static T FallBack<T>(Network<T> network, ref T p, ref T input, ref T target, T learningRate, Workspace<T> workspace)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        TrainStep(
            network.LayerArray, Loss.SquaredError, MemoryMarshal.CreateSpan(ref p, ParameterCountTwoTwoTwo), MemoryMarshal.CreateReadOnlySpan(ref input, 2),
            MemoryMarshal.CreateReadOnlySpan(ref target, 2), learningRate, workspace);

    static void RunForward<T>(DenseLayer<T>[] layers, Span<T> parameters, ref T input, Workspace<T> workspace)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T p = ref MemoryMarshal.GetReference(parameters);
        ref T x = ref input;
        int last = layers.Length - 1;
        for (int l = 0; l <= last; l++)
        {
            DenseLayer<T> layer = layers[l];
            ref T y = ref workspace.OutputsRef(l);
            ref T w = ref Unsafe.Add(ref p, layer.WeightOffset);
            ref T b = ref Unsafe.Add(ref p, layer.BiasOffset);
            if (layer.Activation == Activation.Softmax)
            {
                // Only the output layer: logits first, then the row's softmax over them.
                ref T z = ref workspace.LogitsRef();
                Dense<T, IdentityOp<T>>(ref x, ref w, ref b, ref z, ref z, layer.Inputs, layer.Units);
                Kernels.Softmax.Softmax.Rows<T>(MemoryMarshal.CreateReadOnlySpan(ref z, layer.Units), MemoryMarshal.CreateSpan(ref y, layer.Units), 1, layer.Units);
            }
            else
            {
                // The logits are kept for the losses that read them (the cross-entropies); hidden layers keep only y.
                ref T z = ref l == last ? ref workspace.LogitsRef() : ref y;
                switch (layer.Activation)
                {
                    case Activation.Identity:
                        Dense<T, IdentityOp<T>>(ref x, ref w, ref b, ref z, ref y, layer.Inputs, layer.Units);
                        break;
                    case Activation.Sigmoid:
                        Dense<T, SigmoidOp<T>>(ref x, ref w, ref b, ref z, ref y, layer.Inputs, layer.Units);
                        break;
                    case Activation.Tanh:
                        Dense<T, TanhOp<T>>(ref x, ref w, ref b, ref z, ref y, layer.Inputs, layer.Units);
                        break;
                    case Activation.Relu:
                        Dense<T, ReluOp<T>>(ref x, ref w, ref b, ref z, ref y, layer.Inputs, layer.Units);
                        break;
                    default:
                        Dense<T, LeakyReluOp<T>>(ref x, ref w, ref b, ref z, ref y, layer.Inputs, layer.Units);
                        break;
                }
            }

            x = ref y;
        }
    }

    // z_j = b_j + Σ_i x_i w_ij and y_j = f(z_j), the activation applied to the sum while it is still in a register.
    // The activation is a type argument, chosen once per layer: a switch per unit would join its branches through
    // the stack.
    static void Dense<T, TActivation>(ref T x, ref T w, ref T b, ref T z, ref T y, int inputs, int units)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : IActivationOp<T>
    {
        for (int j = 0; j < units; j++)
        {
            T s = Unsafe.Add(ref b, j);
            for (int i = 0; i < inputs; i++)
            {
                s = MulAdd(Unsafe.Add(ref x, i), Unsafe.Add(ref w, (i * units) + j), s);
            }

            Unsafe.Add(ref z, j) = s;
            Unsafe.Add(ref y, j) = TActivation.Forward<T, SimdScalar<T>>(s);
        }
    }

    // W -= η·(x ⊗ δ) and b -= η·δ, with η·x_i formed once per row: then each weight is one multiply-add, and in a
    // step that is one dependency chain, the weights wait for δ through that one operation only.
    static void Update<T>(ref T w, ref T b, ref T x, ref T delta, int inputs, int units, T learningRate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < inputs; i++)
        {
            T minusStep = -(learningRate * Unsafe.Add(ref x, i));
            ref T row = ref Unsafe.Add(ref w, i * units);
            for (int j = 0; j < units; j++)
            {
                Unsafe.Add(ref row, j) = MulAdd(minusStep, Unsafe.Add(ref delta, j), Unsafe.Add(ref row, j));
            }
        }

        for (int j = 0; j < units; j++)
        {
            Unsafe.Add(ref b, j) = MulAdd(-learningRate, Unsafe.Add(ref delta, j), Unsafe.Add(ref b, j));
        }
    }

    // δ_below[i] = f'(x_i) · Σ_j δ_j w_ij, from the outputs x of the layer below, summed as Σ_j δ_j (w_ij f'(x_i)):
    // f'(x_i) (the activation's backward of 1) is known before the deltas are, so each term is one multiply-add
    // on the chain from δ instead of the sum followed by a multiply.
    static void BackwardDelta<T>(Activation below, ref T w, ref T delta, ref T x, ref T deltaBelow, int inputs, int units)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < inputs; i++)
        {
            ref T row = ref Unsafe.Add(ref w, i * units);
            T slope = ScalarActivation.Backward(below, Unsafe.Add(ref x, i), T.One);
            T s = T.Zero;
            for (int j = 0; j < units; j++)
            {
                s = MulAdd(Unsafe.Add(ref delta, j), Unsafe.Add(ref row, j) * slope, s);
            }

            Unsafe.Add(ref deltaBelow, i) = s;
        }
    }

    // The squared error ½ Σ (t - y)² of one sample and its delta dC/dz = (y - t) · f'(z), as LossFunction computes
    // them for a batch of one (whose 1/rows factor is exactly 1).
    static T SquaredErrorDelta<T>(Activation activation, ref T y, ref T t, ref T delta, int units)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        if (activation == Activation.Softmax)
        {
            for (int j = 0; j < units; j++)
            {
                T e = Unsafe.Add(ref t, j) - Unsafe.Add(ref y, j);
                sum += e * e;
                Unsafe.Add(ref delta, j) = Unsafe.Add(ref y, j) - Unsafe.Add(ref t, j);
            }

            // Squared error on a softmax output: the row's Jacobian-vector product, as the general path does.
            Kernels.Softmax.Softmax.Backward<T>(MemoryMarshal.CreateReadOnlySpan(ref y, units), MemoryMarshal.CreateSpan(ref delta, units), 1, units);
        }
        else
        {
            for (int j = 0; j < units; j++)
            {
                T yj = Unsafe.Add(ref y, j);
                T e = Unsafe.Add(ref t, j) - yj;
                sum += e * e;
                Unsafe.Add(ref delta, j) = ScalarActivation.Backward(activation, yj, yj - Unsafe.Add(ref t, j));
            }
        }

        return sum / (T.One + T.One);
    }

    // a·b + c, fused where the hardware fuses: one rounding, and one instruction's latency in a step that is
    // nothing but latency. A multiply and an add where it does not, never the software emulation (STYLE F12).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static T MulAdd<T>(T a, T b, T c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Fma.IsSupported ? T.FusedMultiplyAdd(a, b, c) : (a * b) + c;
}
