using System;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using Xunit;

namespace FastBackprop.Tests.Networks;

/// <summary>Each initialisation scheme against its definition, and every draw from the one seed.</summary>
public class WeightInitializationTests
{
    static Network<double> Create() =>
        new(300, Loss.SquaredError, new LayerSpec(200, Activation.Tanh), new LayerSpec(150, Activation.Relu), new LayerSpec(3, Activation.Identity));

    public static TheoryData<WeightInitialization> Schemes => new(Enum.GetValues<WeightInitialization>());

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Same_seed_same_parameters_other_seed_other_parameters(WeightInitialization scheme)
    {
        Network<double> a = Create(), b = Create(), c = Create();
        a.InitializeWeights(7, scheme);
        b.InitializeWeights(7, scheme);
        c.InitializeWeights(8, scheme);
        Assert.True(a.Parameters.SequenceEqual(b.Parameters));
        Assert.False(a.Parameters.SequenceEqual(c.Parameters));
    }

    [Theory]
    [InlineData(WeightInitialization.GlorotUniform)]
    [InlineData(WeightInitialization.HeUniform)]
    [InlineData(WeightInitialization.SmallUniform)]
    [InlineData(WeightInitialization.Auto)]
    public void Uniform_schemes_fill_their_range_with_the_uniform_variance(WeightInitialization scheme)
    {
        Network<double> net = Create();
        net.InitializeWeights(3, scheme);
        for (int l = 0; l < net.LayerCount; l++)
        {
            int n = net.GetLayerInputCount(l), h = net.GetLayer(l).Units;
            bool relu = net.GetLayer(l).Activation == Activation.Relu;
            double limit = scheme switch
            {
                WeightInitialization.GlorotUniform => Math.Sqrt(6.0 / (n + h)),
                WeightInitialization.HeUniform => Math.Sqrt(6.0 / n),
                WeightInitialization.SmallUniform => 0.1,
                _ => relu ? Math.Sqrt(6.0 / n) : Math.Sqrt(6.0 / (n + h)),
            };
            ReadOnlySpan<double> w = net.Weights(l);
            double sumSquares = 0, max = 0;
            foreach (double v in w)
            {
                sumSquares += v * v;
                max = Math.Max(max, Math.Abs(v));
            }

            Assert.True(max <= limit, $"layer {l}: |w| up to {max}, limit {limit}");

            // U(-a, a) has variance a²/3; the largest and smallest weights come close to ±a.
            if (w.Length >= 10_000)
            {
                Assert.InRange(sumSquares / w.Length, 0.97 * limit * limit / 3, 1.03 * limit * limit / 3);
                Assert.True(max >= 0.999 * limit, $"layer {l}: largest |w| {max} is far from the limit {limit}");
            }

            foreach (double bias in net.Biases(l))
            {
                Assert.True(scheme == WeightInitialization.SmallUniform ? Math.Abs(bias) <= 0.1 : bias == 0, $"layer {l}: bias {bias}");
            }
        }
    }

    [Fact]
    public void Nguyen_Widrow_gives_every_unit_a_weight_vector_of_length_beta()
    {
        var net = new Network<double>(4, Loss.SquaredError, new LayerSpec(20, Activation.Tanh), new LayerSpec(5, Activation.Tanh), new LayerSpec(1, Activation.Identity));
        net.InitializeWeights(11, WeightInitialization.NguyenWidrow);
        for (int l = 0; l < net.LayerCount; l++)
        {
            int n = net.GetLayerInputCount(l), h = net.GetLayer(l).Units;
            double beta = 0.7 * Math.Pow(h, 1.0 / n);
            ReadOnlySpan<double> w = net.Weights(l);
            for (int j = 0; j < h; j++)
            {
                double norm = 0;
                for (int i = 0; i < n; i++)
                {
                    norm += w[(i * h) + j] * w[(i * h) + j];
                }

                Assert.Equal(beta, Math.Sqrt(norm), 1e-12);
            }

            foreach (double bias in net.Biases(l))
            {
                Assert.InRange(bias, -beta, beta);
            }
        }
    }

    [Fact]
    public void The_default_scheme_is_Auto()
    {
        Network<float> a = new(5, Loss.SquaredError, new LayerSpec(4, Activation.Relu), new LayerSpec(2, Activation.Sigmoid));
        Network<float> b = new(5, Loss.SquaredError, new LayerSpec(4, Activation.Relu), new LayerSpec(2, Activation.Sigmoid));
        a.InitializeWeights(9);
        b.InitializeWeights(9, WeightInitialization.Auto);
        Assert.True(a.Parameters.SequenceEqual(b.Parameters));
    }

    [Fact]
    public void Unknown_scheme_is_refused_and_nothing_changes()
    {
        Network<double> net = Create();
        double[] before = net.Parameters.ToArray();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => net.InitializeWeights(1, (WeightInitialization)42));
        Assert.Equal("scheme", e.ParamName);
        Assert.Equal(before, net.Parameters.ToArray());
    }
}
