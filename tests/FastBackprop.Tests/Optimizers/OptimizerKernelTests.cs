using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using FastBackprop.Kernels;
using FastBackprop.Kernels.Elementwise;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static FastBackprop.Tests.Optimizers.OptimizerTestData;

namespace FastBackprop.Tests.Optimizers;

/// <summary>
/// The optimizers' update kernels on every vector width (V512, V256, V128 and scalar, each with the scalar tail,
/// through their RunWith entries) against the double references of <see cref="OptimizerReference"/>: random
/// hyper-parameters and states, one to four steps, every length 0..67, float and double.
/// </summary>
public class OptimizerKernelTests
{
    const int MaxLength = 67;
    const int Cases = 12;

    interface IKernelCheck
    {
        /// <summary>Runs a few steps of the kernel on width TVec and of the reference from one random state; throws on a mismatch.</summary>
        void Run<TVec, TSimd, T>(Random random, int n, string what)
            where TVec : struct
            where TSimd : struct, ISimd<TVec, T>
            where T : unmanaged, IBinaryFloatingPointIeee754<T>;
    }

    [Fact]
    public void Sgd_kernel_matches_reference_on_every_width() => Check(default(SgdCheck));

    [Fact]
    public void Adam_kernel_matches_reference_on_every_width() => Check(default(AdamCheck));

    [Fact]
    public void RmsProp_kernel_matches_reference_on_every_width() => Check(default(RmsPropCheck));

    [Fact]
    public void Rprop_kernel_matches_reference_on_every_width() => Check(default(RpropCheck));

    static void Check<TCheck>(TCheck check)
        where TCheck : struct, IKernelCheck =>
        Prop.ForAll(Gen.Choose(0, 1_000_000_000).ToArbitrary(), seed => AllWidthsAndLengths(check, seed))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(Cases));

    static bool AllWidthsAndLengths<TCheck>(TCheck check, int seed)
        where TCheck : struct, IKernelCheck
    {
        for (int n = 0; n <= MaxLength; n++)
        {
            // The same seed on every width: they must all agree with one reference run.
            check.Run<Vector512<float>, Simd512<float>, float>(new Random(seed + n), n, $"V512 float, seed {seed}, length {n}");
            check.Run<Vector256<float>, Simd256<float>, float>(new Random(seed + n), n, $"V256 float, seed {seed}, length {n}");
            check.Run<Vector128<float>, Simd128<float>, float>(new Random(seed + n), n, $"V128 float, seed {seed}, length {n}");
            check.Run<float, SimdScalar<float>, float>(new Random(seed + n), n, $"scalar float, seed {seed}, length {n}");
            check.Run<Vector512<double>, Simd512<double>, double>(new Random(seed + n), n, $"V512 double, seed {seed}, length {n}");
            check.Run<Vector256<double>, Simd256<double>, double>(new Random(seed + n), n, $"V256 double, seed {seed}, length {n}");
            check.Run<Vector128<double>, Simd128<double>, double>(new Random(seed + n), n, $"V128 double, seed {seed}, length {n}");
            check.Run<double, SimdScalar<double>, double>(new Random(seed + n), n, $"scalar double, seed {seed}, length {n}");
        }

        return true;
    }

    readonly struct SgdCheck : IKernelCheck
    {
        public void Run<TVec, TSimd, T>(Random random, int n, string what)
            where TVec : struct
            where TSimd : struct, ISimd<TVec, T>
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            bool momentum = random.Next(3) > 0;
            bool nesterov = momentum && random.Next(2) == 0;
            T lr = Scalar<T>(1e-3 + (0.5 * random.NextDouble()));
            T mu = momentum ? Scalar<T>(0.99 * random.NextDouble()) : T.Zero;
            T wd = random.Next(2) == 0 ? T.Zero : Scalar<T>(0.1 * random.NextDouble());
            T[] p = Draw<T>(random, n, -3, 3);
            T[] v = momentum ? Draw<T>(random, n, -1, 1) : [];
            double[] pr = D<T>(p);
            double[]? vr = momentum ? D<T>(v) : null;
            int steps = random.Next(1, 5);
            for (int s = 0; s < steps; s++)
            {
                T[] g = Draw<T>(random, n, -3, 3, zeros: 0.1);
                SgdUpdate.RunWith<TVec, TSimd, T>(g, lr, mu, wd, nesterov, v, p);
                OptimizerReference.Sgd(pr, D<T>(g), vr, D(lr), D(mu), D(wd), nesterov);
            }

            string context = $"SGD {what}, μ {mu}, nesterov {nesterov}, λ {wd}, {steps} steps";
            AssertClose<T>(pr, p, Tolerance<T>(), context + ", parameters");
            AssertClose<T>(vr ?? [], v, Tolerance<T>(), context + ", velocity");
        }
    }

    readonly struct AdamCheck : IKernelCheck
    {
        public void Run<TVec, TSimd, T>(Random random, int n, string what)
            where TVec : struct
            where TSimd : struct, ISimd<TVec, T>
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            T lr = Scalar<T>(1e-3 + (0.1 * random.NextDouble()));
            T b1 = Scalar<T>(0.99 * random.NextDouble());
            T b2 = Scalar<T>(0.9 + (0.0999 * random.NextDouble()));
            T eps = Scalar<T>(Math.Pow(10, -8 + (5 * random.NextDouble())));
            bool decoupled = random.Next(2) == 0;
            T decay = random.Next(3) == 0 ? T.Zero : Scalar<T>(0.1 * random.NextDouble());
            T l2 = decoupled ? T.Zero : decay, wd = decoupled ? decay : T.Zero;
            long t = random.Next(0, 1000);
            T[] p = Draw<T>(random, n, -3, 3), m = Draw<T>(random, n, -1, 1), v = Draw<T>(random, n, 0, 2);
            double[] pr = D<T>(p), mr = D<T>(m), vr = D<T>(v);
            int steps = random.Next(1, 5);
            for (int s = 0; s < steps; s++)
            {
                t++;
                T[] g = Draw<T>(random, n, -3, 3, zeros: 0.1);
                AdamUpdate.RunWith<TVec, TSimd, T>(g, lr, b1, b2, eps, l2, wd, t, m, v, p);
                OptimizerReference.Adam(pr, D<T>(g), mr, vr, D(lr), D(b1), D(b2), D(eps), D(l2), D(wd), t);
            }

            string context = $"Adam {what}, β₁ {b1}, β₂ {b2}, ε {eps}, λ {l2}, λw {wd}, t {t}";
            AssertClose<T>(pr, p, Tolerance<T>(), context + ", parameters");
            AssertClose<T>(mr, m, Tolerance<T>(), context + ", m");
            AssertClose<T>(vr, v, Tolerance<T>(), context + ", v");
        }
    }

    readonly struct RmsPropCheck : IKernelCheck
    {
        public void Run<TVec, TSimd, T>(Random random, int n, string what)
            where TVec : struct
            where TSimd : struct, ISimd<TVec, T>
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            bool momentum = random.Next(2) == 0;
            T lr = Scalar<T>(1e-3 + (0.1 * random.NextDouble()));
            T alpha = Scalar<T>(0.5 + (0.499 * random.NextDouble()));
            T eps = Scalar<T>(Math.Pow(10, -8 + (5 * random.NextDouble())));
            T wd = random.Next(2) == 0 ? T.Zero : Scalar<T>(0.1 * random.NextDouble());
            T mu = momentum ? Scalar<T>(0.99 * random.NextDouble()) : T.Zero;
            T[] p = Draw<T>(random, n, -3, 3), sq = Draw<T>(random, n, 0, 2);
            T[] b = momentum ? Draw<T>(random, n, -1, 1) : [];
            double[] pr = D<T>(p), sqr = D<T>(sq);
            double[]? br = momentum ? D<T>(b) : null;
            int steps = random.Next(1, 5);
            for (int s = 0; s < steps; s++)
            {
                T[] g = Draw<T>(random, n, -3, 3, zeros: 0.1);
                RmsPropUpdate.RunWith<TVec, TSimd, T>(g, lr, alpha, eps, wd, mu, sq, b, p);
                OptimizerReference.RmsProp(pr, D<T>(g), sqr, br, D(lr), D(alpha), D(eps), D(wd), D(mu));
            }

            string context = $"RMSprop {what}, α {alpha}, ε {eps}, λ {wd}, μ {mu}";
            AssertClose<T>(pr, p, Tolerance<T>(), context + ", parameters");
            AssertClose<T>(sqr, sq, Tolerance<T>(), context + ", v");
            AssertClose<T>(br ?? [], b, Tolerance<T>(), context + ", b");
        }
    }

    readonly struct RpropCheck : IKernelCheck
    {
        public void Run<TVec, TSimd, T>(Random random, int n, string what)
            where TVec : struct
            where TSimd : struct, ISimd<TVec, T>
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            bool plus = random.Next(2) == 0;
            T up = Scalar<T>(1.01 + random.NextDouble()), down = Scalar<T>(0.1 + (0.8 * random.NextDouble()));
            T min = Scalar<T>(1e-3 * random.NextDouble()), max = Scalar<T>(1 + (49 * random.NextDouble()));

            // Step sizes up to 60 also exercise the clamp at Δmax; a third of the gradients are 0.
            T[] p = Draw<T>(random, n, -3, 3), step = Draw<T>(random, n, 0, 60), sign = Signs<T>(random, n);
            T[] move = plus ? Draw<T>(random, n, -1, 1) : [];
            double[] pr = D<T>(p), stepr = D<T>(step), signr = D<T>(sign);
            double[]? mover = plus ? D<T>(move) : null;
            int steps = random.Next(1, 5);
            for (int s = 0; s < steps; s++)
            {
                bool rose = plus && random.Next(2) == 0;
                T[] g = Draw<T>(random, n, -3, 3, zeros: 0.3);
                RpropUpdate.RunWith<TVec, TSimd, T>(g, up, down, min, max, rose, step, sign, move, p);
                OptimizerReference.Rprop(pr, D<T>(g), stepr, signr, mover, D(up), D(down), D(min), D(max), rose);
            }

            string context = $"iRPROP{(plus ? "+" : "−")} {what}, η⁺ {up}, η⁻ {down}, Δ [{min}, {max}]";
            AssertClose<T>(pr, p, Tolerance<T>(), context + ", parameters");
            AssertClose<T>(stepr, step, Tolerance<T>(), context + ", step sizes");
            AssertClose<T>(signr, sign, 0, context + ", signs");
            AssertClose<T>(mover ?? [], move, Tolerance<T>(), context + ", previous moves");
        }
    }
}
