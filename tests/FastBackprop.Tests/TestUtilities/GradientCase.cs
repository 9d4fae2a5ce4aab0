using System;
using System.Linq;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;

namespace FastBackprop.Tests.TestUtilities;

/// <summary>
/// A random network, batch and data for the gradient properties. FsCheck chooses the structure (so it can
/// shrink it); the weights and data are drawn from <see cref="DataSeed"/>.
/// </summary>
public sealed record GradientCase(int Inputs, int[] Widths, Activation[] Activations, Loss Loss, int Batch, int DataSeed)
{
    public LayerSpec[] Layers => Widths.Select((w, i) => new LayerSpec(w, Activations[i])).ToArray();

    public int ParameterCount
    {
        get
        {
            int n = 0, previous = Inputs;
            foreach (int w in Widths)
            {
                n += (previous * w) + w;
                previous = w;
            }

            return n;
        }
    }

    /// <summary>Scalar multiply-adds the finite-difference check costs: two reference passes per parameter and input.</summary>
    public long CheckCost => 2L * (ParameterCount + (Batch * Inputs)) * ParameterCount * Batch;

    public override string ToString() =>
        $"inputs {Inputs}, layers [{string.Join(", ", Layers.Select(l => $"{l.Units} {l.Activation}"))}], {Loss}, batch {Batch}, data seed {DataSeed}";

    /// <summary>A network with random weights of a scale that keeps every layer's pre-activations of order 1.</summary>
    public Network<double> CreateNetwork()
    {
        var net = new Network<double>(Inputs, Loss, Layers);
        var random = new Random(DataSeed);
        for (int l = 0; l < net.LayerCount; l++)
        {
            double scale = 1.5 / Math.Sqrt(net.GetLayerInputCount(l));
            Fill(net.Weights(l), random, -scale, scale);
            Fill(net.Biases(l), random, -0.5, 0.5);
        }

        return net;
    }

    /// <summary>
    /// True when no pre-activation of a ReLU-family layer lies within <paramref name="margin"/> of the kink at 0,
    /// where a small change of a parameter (a finite difference, or float rounding) can flip the derivative.
    /// </summary>
    public bool FarFromKinks(double margin)
    {
        Network<double> net = CreateNetwork();
        (double[] x, _) = CreateData();
        double[][] z = new ReferenceMlp(Inputs, Loss, Layers).PreActivations(net.Parameters, x);
        for (int l = 0; l < z.Length; l++)
        {
            if (Activations[l] is Activation.Relu or Activation.LeakyRelu)
            {
                foreach (double v in z[l])
                {
                    if (Math.Abs(v) < margin)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    public (double[] Inputs, double[] Targets) CreateData()
    {
        var random = new Random(DataSeed + 1);
        double[] x = new double[Batch * Inputs];
        Fill(x, random, -3, 3);
        int outputs = Widths[^1];
        double[] t = new double[Batch * outputs];
        switch (Loss)
        {
            case Loss.SquaredError:
                Fill(t, random, -1, 1);
                break;
            case Loss.SigmoidBinaryCrossEntropy:
                Fill(t, random, 0, 1);
                break;
            case Loss.SoftmaxCrossEntropy:
                // Soft targets (a random distribution per row) exercise every t_j, not only one per row.
                Fill(t, random, 0, 1);
                for (int b = 0; b < Batch; b++)
                {
                    Span<double> row = t.AsSpan(b * outputs, outputs);
                    double sum = 0;
                    foreach (double v in row)
                    {
                        sum += v;
                    }

                    for (int j = 0; j < outputs; j++)
                    {
                        row[j] /= sum;
                    }
                }

                break;
        }

        return (x, t);
    }

    static void Fill(Span<double> values, Random random, double min, double max)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = min + ((max - min) * random.NextDouble());
        }
    }
}
