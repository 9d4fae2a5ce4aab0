using System;
using System.Linq;
using System.Numerics;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using FastBackprop.Tests.TestUtilities;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace FastBackprop.Tests.Networks;

/// <summary>
/// Networks of tiny layers take a scalar path at batch 1. It must compute what the vector path computes: the
/// same outputs as a batch of two copies of the sample, and the same step as ComputeGradients + ApplyGradients.
/// </summary>
public class TinyNetworkTests
{
    [Fact]
    public void Tiny_path_agrees_with_the_general_path() =>
        Prop.ForAll(TinyCases().ToArbitrary(), Check).Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    [Fact]
    public void Networks_with_a_large_layer_do_not_qualify()
    {
        var small = new Network<float>(8, Loss.SquaredError, new LayerSpec(8, Activation.Tanh), new LayerSpec(1, Activation.Identity));
        var large = new Network<float>(8, Loss.SquaredError, new LayerSpec(9, Activation.Tanh), new LayerSpec(1, Activation.Identity));
        Assert.True(TinyNetwork.Qualifies<float>([small.Layer(0), small.Layer(1)]));
        Assert.False(TinyNetwork.Qualifies<float>([large.Layer(0), large.Layer(1)]));
    }

    public static TheoryData<Activation, Activation> ActivationPairs()
    {
        Activation[] elementwise = [Activation.Identity, Activation.Sigmoid, Activation.Tanh, Activation.Relu, Activation.LeakyRelu];
        var pairs = new TheoryData<Activation, Activation>();
        foreach (Activation hidden in elementwise)
        {
            foreach (Activation output in elementwise)
            {
                pairs.Add(hidden, output);
            }
        }

        return pairs;
    }

    [Theory]
    [MemberData(nameof(ActivationPairs))]
    public void Two_two_two_kernel_matches_the_tiny_loops_exactly(Activation hidden, Activation output)
    {
        TwoTwoTwoMatchesLoops<float>(hidden, output, wide: false);
        TwoTwoTwoMatchesLoops<double>(hidden, output, wide: false);
    }

    [Theory]
    [MemberData(nameof(ActivationPairs))]
    public void Two_two_two_kernel_matches_the_tiny_loops_beyond_the_sigmoid_table(Activation hidden, Activation output)
    {
        // Inputs up to ±20 and weights up to ±1 into the hidden layer, ±12 out of it, put some of the sums outside
        // [-16, 18], where the float sigmoid's table stops and the kernel hands the step to the loops, and leave the
        // others in it (with a sigmoid hidden layer, whose outputs keep the second layer's sums within ±36). Either
        // way, the same bits.
        int outside = TwoTwoTwoMatchesLoops<float>(hidden, output, wide: true);
        TwoTwoTwoMatchesLoops<double>(hidden, output, wide: true);
        if (hidden == Activation.Sigmoid)
        {
            Assert.InRange(outside, 1, 19);
        }
    }

    [Fact]
    public void Two_two_two_kernel_serves_only_its_shape()
    {
        static bool Takes(int inputs, Loss loss, params LayerSpec[] layers)
        {
            var net = new Network<double>(inputs, loss, layers);
            DenseLayer<double>[] all = Array.ConvertAll(Enumerable.Range(0, net.LayerCount).ToArray(), net.Layer);
            bool takes = TinyNetwork.IsTwoTwoTwo<double>(all, loss);
            Assert.Equal(takes, net.StepsThroughTwoTwoTwoKernel);
            return takes;
        }

        LayerSpec two = new(2, Activation.Sigmoid);
        Assert.True(Takes(2, Loss.SquaredError, two, two));
        Assert.True(Takes(2, Loss.SquaredError, new LayerSpec(2, Activation.Relu), new LayerSpec(2, Activation.Identity)));
        Assert.False(Takes(3, Loss.SquaredError, two, two));
        Assert.False(Takes(2, Loss.SquaredError, new LayerSpec(3, Activation.Sigmoid), two));
        Assert.False(Takes(2, Loss.SquaredError, two, new LayerSpec(1, Activation.Sigmoid)));
        Assert.False(Takes(2, Loss.SquaredError, two, two, two));
        Assert.False(Takes(2, Loss.SigmoidBinaryCrossEntropy, two, two));
        Assert.False(Takes(2, Loss.SoftmaxCrossEntropy, two, new LayerSpec(2, Activation.Softmax)));
        Assert.False(Takes(2, Loss.SquaredError, two, new LayerSpec(2, Activation.Softmax)));
    }

    // Network.TrainStep on a 2-2-2 network takes the register kernel (asserted, since the loops would give the same
    // bits); TinyNetwork.TrainStep runs the general loops on a copy of the same parameters. Twenty steps on random
    // samples must leave the same bits (up to the sign of a zero, which Assert.Equal treats as equal), and return
    // the same losses. Returns how many steps had a sum outside [-16, 18].
    static int TwoTwoTwoMatchesLoops<T>(Activation hidden, Activation output, bool wide)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var net = new Network<T>(2, Loss.SquaredError, new LayerSpec(2, hidden), new LayerSpec(2, output));
        Assert.True(net.StepsThroughTwoTwoTwoKernel);
        net.InitializeWeights(seed: 5, WeightInitialization.SmallUniform);
        Span<T> p = net.Parameters;
        if (wide)
        {
            // Layout: W1 [2 x 2] at 0, b1 at 4, W2 [2 x 2] at 6, b2 at 10.
            for (int i = 0; i < p.Length; i++)
            {
                p[i] = T.CreateChecked(Math.Sin(7.0 * (i + 1)) * (i < 6 ? 1 : 12));
            }
        }

        Workspace<T> ws = net.CreateWorkspace(1, threads: 1);
        Workspace<T> wsLoops = net.CreateWorkspace(1, threads: 1);
        T[] loops = net.Parameters.ToArray();
        DenseLayer<T>[] layers = [net.Layer(0), net.Layer(1)];
        var random = new Random(11);
        double inputScale = wide ? 20 : 2;
        T rate = T.CreateChecked(wide ? 0.01 : 0.7);
        int outside = 0;
        T[] before = net.Parameters.ToArray();
        for (int step = 0; step < 20; step++)
        {
            T[] x = [T.CreateChecked(((2 * random.NextDouble()) - 1) * inputScale), T.CreateChecked(((2 * random.NextDouble()) - 1) * inputScale)];
            T[] t = [T.CreateChecked(random.NextDouble()), T.CreateChecked(random.NextDouble())];
            T loss = net.TrainStep(x, t, ws, rate);
            T lossLoops = TinyNetwork.TrainStep<T>(layers, Loss.SquaredError, loops, x, t, rate, wsLoops);
            Assert.Equal(lossLoops, loss);
            Assert.Equal(loops, net.Parameters.ToArray());
            Assert.Equal(wsLoops.Outputs(1, 1).ToArray(), ws.Outputs(1, 1).ToArray());

            // The sums of this step, from what it left in the workspace: the hidden layer's keeps its outputs
            // only, so its sums are recomputed from the parameters before the step (the loops' copy is updated).
            double Sum(int unit) =>
                (double.CreateChecked(x[0]) * double.CreateChecked(before[unit]))
                + (double.CreateChecked(x[1]) * double.CreateChecked(before[2 + unit]))
                + double.CreateChecked(before[4 + unit]);
            T[] logits = wsLoops.Logits(1).ToArray();
            bool inside = Inside(Sum(0)) && Inside(Sum(1)) && Inside(double.CreateChecked(logits[0])) && Inside(double.CreateChecked(logits[1]));
            outside += inside ? 0 : 1;
            before = net.Parameters.ToArray();
        }

        return outside;

        static bool Inside(double z) => z >= -16 && z <= 18;
    }

    static Gen<GradientCase> TinyCases() =>
        Gens.GradientCases(maxCost: long.MaxValue)
            .Select(c => c with { Inputs = 1 + (c.Inputs % 8), Widths = Array.ConvertAll(c.Widths, w => 1 + (w % 8)), Batch = 1 });

    static bool Check(GradientCase c)
    {
        Network<double> tiny = c.CreateNetwork();
        Network<double> general = c.CreateNetwork();
        (double[] x, double[] t) = c.CreateData();
        Workspace<double> wt = tiny.CreateWorkspace(2, threads: 1);
        Workspace<double> wg = general.CreateWorkspace(2, threads: 1);

        double[] y1 = tiny.Forward(x, wt).ToArray();
        double[] y2 = general.Forward([.. x, .. x], wg).ToArray();
        for (int j = 0; j < y1.Length; j++)
        {
            Close(c, $"output {j}", y2[j], y1[j]);
            Close(c, $"output {j} of the second copy", y2[y1.Length + j], y1[j]);
        }

        const double Rate = 0.3;
        double lossTiny = tiny.TrainStep(x, t, wt, Rate);
        double lossGeneral = general.ComputeGradients(x, t, wg);
        general.ApplyGradients(wg, Rate);
        Close(c, "loss", lossGeneral, lossTiny);
        for (int i = 0; i < general.ParameterCount; i++)
        {
            Close(c, $"parameter {i} after the step", general.Parameters[i], tiny.Parameters[i]);
        }

        return true;
    }

    static void Close(GradientCase c, string what, double expected, double actual)
    {
        if (!(Math.Abs(expected - actual) <= 1e-13 * (1 + Math.Abs(expected))))
        {
            throw new InvalidOperationException($"{c}: {what}: general path {expected:R}, tiny path {actual:R}");
        }
    }
}
