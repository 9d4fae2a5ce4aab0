using System;
using System.Globalization;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Recurrent.FixedPoint;
using FsCheck;
using FsCheck.Fluent;

namespace FastBackprop.Tests.Recurrent.FixedPoint;

/// <summary>A random fixed-point network, its data and its relaxation settings, for the gradient properties.</summary>
internal sealed record FixedPointCase(int Units, int Inputs, int Outputs, Activation Activation, Loss Loss, double Damping, double RecurrentScale, int Batch, int Seed)
{
    static readonly Activation[] s_activations = [Activation.Identity, Activation.Sigmoid, Activation.Tanh];

    /// <summary>
    /// 1-10 units, 1-4 inputs, 1-all outputs, identity, sigmoid or tanh units (smooth, so finite differences
    /// are exact to O(h²)), squared error or (for sigmoid) binary cross-entropy, damping 0.4-1, recurrent weights of
    /// spectral norm about 0.2-0.7 (contractions, so every case converges), batch 1-4.
    /// </summary>
    public static Gen<FixedPointCase> Cases() =>
        from units in Gen.Choose(1, 10)
        from inputs in Gen.Choose(1, 4)
        from outputs in Gen.Choose(1, units)
        from activation in Gen.Elements(s_activations)
        from bce in Gen.Elements(false, true)
        from damping in Gen.Elements(1.0, 0.8, 0.6, 0.4)
        from scale in Gen.Elements(0.2, 0.4, 0.7)
        from batch in Gen.Choose(1, 4)
        from seed in Gen.Choose(0, 1_000_000)
        select new FixedPointCase(units, inputs, outputs, activation, bce && activation == Activation.Sigmoid ? Loss.SigmoidBinaryCrossEntropy : Loss.SquaredError, damping, scale, batch, seed);

    /// <summary>Relaxation to 1e-13 in both phases: tight enough that finite differences see the true fixed point.</summary>
    public RelaxationOptions TightOptions => new()
    {
        Damping = Damping,
        Tolerance = 1e-13,
        MaxIterations = 20_000,
        BackwardTolerance = 1e-13,
        BackwardMaxIterations = 20_000,
    };

    public FixedPointNetwork<T> CreateNetwork<T>(RelaxationOptions options)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var net = new FixedPointNetwork<T>(Units, Inputs, Outputs, Activation, Loss, options);
        net.InitializeWeights(Seed, RecurrentScale);

        // Non-zero biases too, so that their gradient is tested away from the symmetric start.
        var random = new Random(Seed + 1);
        Span<T> b = net.Biases;
        for (int j = 0; j < b.Length; j++)
        {
            b[j] = T.CreateChecked((random.NextDouble() - 0.5) * 0.6);
        }

        return net;
    }

    public FixedPointReference CreateReference() => new(Units, Inputs, Outputs, Activation, Loss, Damping);

    /// <summary>Inputs uniform in ±1; targets in (0.05, 0.95), valid for both losses.</summary>
    public (double[] Inputs, double[] Targets) CreateData()
    {
        var random = new Random(Seed + 2);
        double[] s = new double[Batch * Inputs];
        double[] t = new double[Batch * Outputs];
        for (int i = 0; i < s.Length; i++)
        {
            s[i] = (2 * random.NextDouble()) - 1;
        }

        for (int i = 0; i < t.Length; i++)
        {
            t[i] = 0.05 + (0.9 * random.NextDouble());
        }

        return (s, t);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"units {Units}, inputs {Inputs}, outputs {Outputs}, {Activation}, {Loss}, d {Damping}, rho {RecurrentScale}, batch {Batch}, seed {Seed}");
}
