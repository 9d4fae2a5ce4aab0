using System;
using FastBackprop.Layers;
using FastBackprop.Recurrent.Sequence;

namespace FastBackprop.Tests.Recurrent.Sequence;

/// <summary>
/// An independent scalar double reference of a one-layer sequence network, written from PyTorch's cell equations
/// and the documented parameter layout, one sequence at a time with plain loops. Output layer identity or sigmoid
/// with squared error (the cases the tests draw).
/// </summary>
internal sealed class ReferenceSequenceNet(int inputs, CellType cell, int hidden, int outputs, Activation activation, SequenceOutput mode)
{
    int G => cell switch { CellType.Elman => 1, CellType.Gru => 3, _ => 4 };

    static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>The mean loss over the batch (and steps, for every-step output) as the network defines it.</summary>
    public double Loss(double[] p, double[] x, double[] targets, int batch, int length)
    {
        int g = G * hidden;
        int wx = 0, wh = wx + (inputs * g), b = wh + (hidden * g), bh = b + g;
        int wo = bh + (cell == CellType.Gru ? g : 0), bo = wo + (hidden * outputs);
        double total = 0;
        for (int s = 0; s < batch; s++)
        {
            double[] h = new double[hidden], c = new double[hidden];
            for (int t = 0; t < length; t++)
            {
                double[] a = new double[g], r = new double[g];
                for (int j = 0; j < g; j++)
                {
                    a[j] = p[b + j];
                    for (int i = 0; i < inputs; i++)
                    {
                        a[j] += x[(((s * length) + t) * inputs) + i] * p[wx + (i * g) + j];
                    }

                    r[j] = cell == CellType.Gru ? p[bh + j] : 0;
                    for (int i = 0; i < hidden; i++)
                    {
                        r[j] += h[i] * p[wh + (i * g) + j];
                    }
                }

                double[] hn = new double[hidden];
                for (int j = 0; j < hidden; j++)
                {
                    switch (cell)
                    {
                        case CellType.Elman:
                            hn[j] = Math.Tanh(a[j] + r[j]);
                            break;
                        case CellType.Lstm:
                            {
                                double ig = Sigmoid(a[j] + r[j]), fg = Sigmoid(a[hidden + j] + r[hidden + j]);
                                double gg = Math.Tanh(a[(2 * hidden) + j] + r[(2 * hidden) + j]), og = Sigmoid(a[(3 * hidden) + j] + r[(3 * hidden) + j]);
                                c[j] = (fg * c[j]) + (ig * gg);
                                hn[j] = og * Math.Tanh(c[j]);
                                break;
                            }

                        default:
                            {
                                double rg = Sigmoid(a[j] + r[j]), zg = Sigmoid(a[hidden + j] + r[hidden + j]);
                                double ng = Math.Tanh(a[(2 * hidden) + j] + (rg * r[(2 * hidden) + j]));
                                hn[j] = ((1 - zg) * ng) + (zg * h[j]);
                                break;
                            }
                    }
                }

                h = hn;
                if (mode == SequenceOutput.EveryStep || t == length - 1)
                {
                    int row = mode == SequenceOutput.EveryStep ? (s * length) + t : s;
                    for (int k = 0; k < outputs; k++)
                    {
                        double z = p[bo + k];
                        for (int i = 0; i < hidden; i++)
                        {
                            z += h[i] * p[wo + (i * outputs) + k];
                        }

                        double y = activation == Activation.Sigmoid ? Sigmoid(z) : z;
                        double e = targets[(row * outputs) + k] - y;
                        total += 0.5 * e * e;
                    }
                }
            }
        }

        return total / (mode == SequenceOutput.EveryStep ? batch * length : batch);
    }

    public SequenceNetwork<double> CreateNetwork(int seed)
    {
        var net = new SequenceNetwork<double>(inputs, cell, hidden, new LayerSpec(outputs, activation), FastBackprop.Losses.Loss.SquaredError, mode);
        net.InitializeWeights(seed);
        return net;
    }
}
