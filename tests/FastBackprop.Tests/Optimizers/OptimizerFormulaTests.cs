using System;
using System.Numerics;
using FastBackprop.Optimizers;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static FastBackprop.Tests.Optimizers.OptimizerTestData;

namespace FastBackprop.Tests.Optimizers;

/// <summary>
/// The public optimizers (at this process's ISA level) against the double references, from random states written
/// through <see cref="IOptimizer{T}.State"/> in each optimizer's documented layout and a random
/// <see cref="IOptimizer{T}.StepCount"/>, over several steps and random lengths 0..67.
/// </summary>
public class OptimizerFormulaTests
{
    const int Cases = 150;

    [Fact]
    public void Sgd_matches_reference() => Check(SgdCase<float>, SgdCase<double>);

    [Fact]
    public void Adam_and_AdamW_match_reference() => Check(AdamCase<float>, AdamCase<double>);

    [Fact]
    public void RmsProp_matches_reference() => Check(RmsPropCase<float>, RmsPropCase<double>);

    [Fact]
    public void Rprop_matches_reference() => Check(RpropCase<float>, RpropCase<double>);

    static void Check(Func<int, bool> single, Func<int, bool> @double) =>
        Prop.ForAll(Gen.Choose(0, 1_000_000_000).ToArbitrary(), seed => single(seed) && @double(seed))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(Cases));

    static bool SgdCase<T>(int seed)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        int n = random.Next(0, 68);
        bool momentum = random.Next(3) > 0;
        bool nesterov = momentum && random.Next(2) == 0;
        double lr = 1e-3 + (0.5 * random.NextDouble()), mu = momentum ? 0.01 + (0.98 * random.NextDouble()) : 0;
        double wd = random.Next(2) == 0 ? 0 : 0.1 * random.NextDouble();
        var opt = new Sgd<T>(n, lr, mu, nesterov, wd);
        Assert.Equal(momentum ? n : 0, opt.State.Length);
        Draw<T>(random, opt.State.Length, -1, 1).CopyTo(opt.State);
        T[] p = Draw<T>(random, n, -3, 3);
        double[] pr = D<T>(p);
        double[]? vr = momentum ? D<T>(opt.State) : null;
        for (int s = random.Next(1, 5); s > 0; s--)
        {
            T[] g = Draw<T>(random, n, -3, 3, zeros: 0.1);
            opt.Step(p, g);
            OptimizerReference.Sgd(pr, D<T>(g), vr, D(opt.LearningRate), D(opt.Momentum), D(opt.WeightDecay), nesterov);
        }

        string what = $"Sgd<{typeof(T).Name}> seed {seed}, n {n}";
        AssertClose<T>(pr, p, Tolerance<T>(), what + ", parameters");
        AssertClose<T>(vr ?? [], opt.State, Tolerance<T>(), what + ", velocity");
        return true;
    }

    static bool AdamCase<T>(int seed)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        int n = random.Next(0, 68);
        bool decoupled = random.Next(2) == 0;
        double lr = 1e-3 + (0.1 * random.NextDouble()), b1 = 0.99 * random.NextDouble(), b2 = 0.9 + (0.0999 * random.NextDouble());
        double eps = Math.Pow(10, -8 + (5 * random.NextDouble())), decay = random.Next(3) == 0 ? 0 : 0.1 * random.NextDouble();
        IOptimizer<T> opt = decoupled
            ? new AdamW<T>(n, lr, b1, b2, eps, decay)
            : new Adam<T>(n, lr, b1, b2, eps, decay);
        Assert.Equal(2 * n, opt.State.Length);
        Draw<T>(random, n, -1, 1).CopyTo(opt.State);
        Draw<T>(random, n, 0, 2).CopyTo(opt.State.Slice(n));
        opt.StepCount = random.Next(0, 1000);
        T[] p = Draw<T>(random, n, -3, 3);
        double[] pr = D<T>(p), mr = D<T>(opt.State.Slice(0, n)), vr = D<T>(opt.State.Slice(n));
        for (int s = random.Next(1, 5); s > 0; s--)
        {
            T[] g = Draw<T>(random, n, -3, 3, zeros: 0.1);
            long t = opt.StepCount + 1;
            opt.Step(p, g);
            Assert.Equal(t, opt.StepCount);
            double l2 = decoupled ? 0 : D(Scalar<T>(decay)), wd = decoupled ? D(Scalar<T>(decay)) : 0;
            OptimizerReference.Adam(pr, D<T>(g), mr, vr, D(opt.LearningRate), D(Scalar<T>(b1)), D(Scalar<T>(b2)), D(Scalar<T>(eps)), l2, wd, t);
        }

        string what = $"{opt.GetType().Name} seed {seed}, n {n}";
        AssertClose<T>(pr, p, Tolerance<T>(), what + ", parameters");
        AssertClose<T>(mr, opt.State.Slice(0, n), Tolerance<T>(), what + ", m");
        AssertClose<T>(vr, opt.State.Slice(n), Tolerance<T>(), what + ", v");
        return true;
    }

    static bool RmsPropCase<T>(int seed)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        int n = random.Next(0, 68);
        bool momentum = random.Next(2) == 0;
        double lr = 1e-3 + (0.1 * random.NextDouble()), alpha = 0.5 + (0.499 * random.NextDouble());
        double eps = Math.Pow(10, -8 + (5 * random.NextDouble())), wd = random.Next(2) == 0 ? 0 : 0.1 * random.NextDouble();
        double mu = momentum ? 0.01 + (0.98 * random.NextDouble()) : 0;
        var opt = new RmsProp<T>(n, lr, alpha, eps, wd, mu);
        Assert.Equal(momentum ? 2 * n : n, opt.State.Length);
        Draw<T>(random, n, 0, 2).CopyTo(opt.State);
        Draw<T>(random, opt.State.Length - n, -1, 1).CopyTo(opt.State.Slice(n));
        T[] p = Draw<T>(random, n, -3, 3);
        double[] pr = D<T>(p), sqr = D<T>(opt.State.Slice(0, n));
        double[]? br = momentum ? D<T>(opt.State.Slice(n)) : null;
        for (int s = random.Next(1, 5); s > 0; s--)
        {
            T[] g = Draw<T>(random, n, -3, 3, zeros: 0.1);
            opt.Step(p, g);
            OptimizerReference.RmsProp(pr, D<T>(g), sqr, br, D(opt.LearningRate), D(opt.Alpha), D(opt.Epsilon), D(opt.WeightDecay), D(opt.Momentum));
        }

        string what = $"RmsProp<{typeof(T).Name}> seed {seed}, n {n}, momentum {momentum}";
        AssertClose<T>(pr, p, Tolerance<T>(), what + ", parameters");
        AssertClose<T>(sqr, opt.State.Slice(0, n), Tolerance<T>(), what + ", v");
        AssertClose<T>(br ?? [], opt.State.Slice(n), Tolerance<T>(), what + ", b");
        return true;
    }

    static bool RpropCase<T>(int seed)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        int n = random.Next(0, 68);
        bool plus = random.Next(2) == 0;
        double up = 1.01 + random.NextDouble(), down = 0.1 + (0.8 * random.NextDouble());
        double min = 1e-3 * random.NextDouble(), max = 1 + (49 * random.NextDouble());
        var opt = new Rprop<T>(n, plus ? RpropVariant.IRpropPlus : RpropVariant.IRpropMinus, 0.5, up, down, min, max);
        Assert.Equal(plus ? (3 * n) + 1 : 2 * n, opt.State.Length);

        // A fresh optimizer starts from Δ₀ everywhere, no sign and no known loss.
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(T.CreateTruncating(0.5), opt.State[i]);
            Assert.Equal(T.Zero, opt.State[n + i]);
        }

        if (plus)
        {
            Assert.Equal(T.PositiveInfinity, opt.State[3 * n]);
        }

        Draw<T>(random, n, 0, 60).CopyTo(opt.State);
        Signs<T>(random, n).CopyTo(opt.State.Slice(n));
        double previousLoss = double.PositiveInfinity;
        if (plus)
        {
            Draw<T>(random, n, -1, 1).CopyTo(opt.State.Slice(2 * n));
            if (random.Next(2) == 0)
            {
                opt.State[3 * n] = T.CreateTruncating(random.NextDouble());
                previousLoss = D(opt.State[3 * n]);
            }
        }

        T[] p = Draw<T>(random, n, -3, 3);
        double[] pr = D<T>(p), stepr = D<T>(opt.State.Slice(0, n)), signr = D<T>(opt.State.Slice(n, n));
        double[]? mover = plus ? D<T>(opt.State.Slice(2 * n, n)) : null;
        for (int s = random.Next(1, 6); s > 0; s--)
        {
            T[] g = Draw<T>(random, n, -3, 3, zeros: 0.3);
            bool hasLoss = random.Next(4) > 0;
            T loss = Scalar<T>(random.NextDouble());
            if (hasLoss)
            {
                opt.Step(p, g, loss);
            }
            else
            {
                opt.Step(p, g);
            }

            bool rose = plus && hasLoss && D(loss) > previousLoss;
            previousLoss = hasLoss ? D(loss) : double.PositiveInfinity;
            OptimizerReference.Rprop(pr, D<T>(g), stepr, signr, mover, D(opt.Increase), D(opt.Decrease), D(opt.MinStep), D(opt.MaxStep), rose);
        }

        string what = $"Rprop<{typeof(T).Name}> {opt.Variant} seed {seed}, n {n}";
        AssertClose<T>(pr, p, Tolerance<T>(), what + ", parameters");
        AssertClose<T>(stepr, opt.State.Slice(0, n), Tolerance<T>(), what + ", step sizes");
        AssertClose<T>(signr, opt.State.Slice(n, n), 0, what + ", signs");
        if (plus)
        {
            AssertClose<T>(mover!, opt.State.Slice(2 * n, n), Tolerance<T>(), what + ", previous moves");
            AssertClose<T>([previousLoss], opt.State.Slice(3 * n), 0, what + ", previous loss");
        }

        return true;
    }
}
