using System;
using FastBackprop.Layers;
using FastBackprop.Losses;

namespace FastBackprop.Tests.TestUtilities;

/// <summary>
/// A deliberately naive MLP in double: plain loops, Math.Exp and Math.Tanh, the textbook formulas. It shares no
/// code with the library, so it can judge the library's forward pass and (through finite differences) its
/// gradients. Parameters use the library's documented layout: per layer W [inputs, units] row-major, then b.
/// </summary>
internal sealed class ReferenceMlp
{
    readonly int _inputs;
    readonly LayerSpec[] _layers;
    readonly Loss _loss;

    public ReferenceMlp(int inputs, Loss loss, LayerSpec[] layers)
    {
        _inputs = inputs;
        _layers = layers;
        _loss = loss;
    }

    /// <summary>Pre-activations z of every layer for every sample: [layer][sample * units + j].</summary>
    public double[][] PreActivations(ReadOnlySpan<double> parameters, ReadOnlySpan<double> inputs)
    {
        Run(parameters, inputs, out double[][] z, out _);
        return z;
    }

    /// <summary>The network's outputs [batch, outputs].</summary>
    public double[] Outputs(ReadOnlySpan<double> parameters, ReadOnlySpan<double> inputs)
    {
        Run(parameters, inputs, out _, out double[][] y);
        return y[^1];
    }

    /// <summary>The mean loss over the batch, computed from the definitions.</summary>
    public double Loss(ReadOnlySpan<double> parameters, ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets)
    {
        Run(parameters, inputs, out _, out double[][] y);
        double[] o = y[^1];
        int width = _layers[^1].Units;
        int batch = inputs.Length / _inputs;
        double sum = 0;
        for (int b = 0; b < batch; b++)
        {
            for (int j = 0; j < width; j++)
            {
                double t = targets[(b * width) + j], a = o[(b * width) + j];
                sum += _loss switch
                {
                    Losses.Loss.SquaredError => 0.5 * (t - a) * (t - a),
                    Losses.Loss.SoftmaxCrossEntropy => t == 0 ? 0 : -t * Math.Log(a),
                    Losses.Loss.SigmoidBinaryCrossEntropy => -((t * Math.Log(a)) + ((1 - t) * Math.Log(1 - a))),
                    _ => throw new InvalidOperationException(),
                };
            }
        }

        return sum / batch;
    }

    void Run(ReadOnlySpan<double> parameters, ReadOnlySpan<double> inputs, out double[][] zs, out double[][] ys)
    {
        int batch = inputs.Length / _inputs;
        zs = new double[_layers.Length][];
        ys = new double[_layers.Length][];
        double[] x = inputs.ToArray();
        int n = _inputs;
        int offset = 0;
        for (int l = 0; l < _layers.Length; l++)
        {
            int units = _layers[l].Units;
            double[] z = new double[batch * units];
            double[] y = new double[batch * units];
            for (int b = 0; b < batch; b++)
            {
                for (int j = 0; j < units; j++)
                {
                    double s = parameters[offset + (n * units) + j];
                    for (int i = 0; i < n; i++)
                    {
                        s += x[(b * n) + i] * parameters[offset + (i * units) + j];
                    }

                    z[(b * units) + j] = s;
                }

                Activate(_layers[l].Activation, z.AsSpan(b * units, units), y.AsSpan(b * units, units));
            }

            zs[l] = z;
            ys[l] = y;
            offset += (n * units) + units;
            x = y;
            n = units;
        }
    }

    static void Activate(Activation activation, ReadOnlySpan<double> z, Span<double> y)
    {
        if (activation == Activation.Softmax)
        {
            double max = double.NegativeInfinity;
            foreach (double v in z)
            {
                max = Math.Max(max, v);
            }

            double sum = 0;
            for (int j = 0; j < z.Length; j++)
            {
                sum += Math.Exp(z[j] - max);
            }

            for (int j = 0; j < z.Length; j++)
            {
                y[j] = Math.Exp(z[j] - max) / sum;
            }

            return;
        }

        for (int j = 0; j < z.Length; j++)
        {
            double v = z[j];
            y[j] = activation switch
            {
                Activation.Identity => v,
                Activation.Sigmoid => 1.0 / (1.0 + Math.Exp(-v)),
                Activation.Tanh => Math.Tanh(v),
                Activation.Relu => v > 0 ? v : 0,
                Activation.LeakyRelu => v > 0 ? v : 0.01 * v,
                _ => throw new InvalidOperationException(),
            };
        }
    }
}
