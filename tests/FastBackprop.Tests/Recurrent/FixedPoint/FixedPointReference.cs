using System;
using FastBackprop.Layers;
using FastBackprop.Losses;

namespace FastBackprop.Tests.Recurrent.FixedPoint;

/// <summary>
/// An independent scalar double model of the fixed-point network, written from its definition and not from the
/// library's code: u = x·W + s·V + b, x ← (1 − d)·x + d·f(u) from x = 0, readout y = f(x·W + s·V + b) on the
/// first <c>Outputs</c> units, the batch-mean loss on it; parameters flat as W [n, n], V [i, n], b [n].
/// </summary>
internal sealed class FixedPointReference(int units, int inputs, int outputs, Activation activation, Loss loss, double damping)
{
    public int Units { get; } = units;

    public int Inputs { get; } = inputs;

    public int Outputs { get; } = outputs;

    /// <summary>The loss after relaxing each sample until a step is at most <paramref name="tolerance"/> (or <paramref name="maxIterations"/>).</summary>
    public double RelaxedLoss(double[] p, double[] s, double[] t, int batch, double tolerance = 1e-15, int maxIterations = 20_000)
    {
        double sum = 0;
        for (int r = 0; r < batch; r++)
        {
            double[] c = InputTerm(p, s, r);
            double[] x = new double[Units];
            for (int k = 0; k < maxIterations; k++)
            {
                double[] a = Apply(Map(p, x, c));
                double step = 0;
                for (int j = 0; j < Units; j++)
                {
                    double dx = damping * (a[j] - x[j]);
                    step = Math.Max(step, Math.Abs(dx));
                    x[j] += dx;
                }

                if (step <= tolerance)
                {
                    break;
                }
            }

            sum += SampleLoss(Map(p, x, c), t, r);
        }

        return sum / batch;
    }

    /// <summary>
    /// Backpropagation through time of the loss after exactly <paramref name="iterations"/> relaxation steps,
    /// unrolled step by step (every state kept), as the gradient of that finite computation: no fixed-point
    /// assumption anywhere. Returns the loss and dL/dθ in the parameters' layout.
    /// </summary>
    public (double Loss, double[] Gradient) UnrolledBptt(double[] p, double[] s, double[] t, int batch, int iterations)
    {
        int n = Units;
        double[] grad = new double[p.Length];
        double total = 0;
        for (int r = 0; r < batch; r++)
        {
            double[] c = InputTerm(p, s, r);
            double[][] xs = new double[iterations + 1][];
            double[][] us = new double[iterations + 1][];
            xs[0] = new double[n];
            for (int k = 1; k <= iterations; k++)
            {
                us[k] = Map(p, xs[k - 1], c);
                double[] a = Apply(us[k]);
                xs[k] = new double[n];
                for (int j = 0; j < n; j++)
                {
                    xs[k][j] = ((1 - damping) * xs[k - 1][j]) + (damping * a[j]);
                }
            }

            // The readout's pre-activations from the last state, and dL/du there.
            double[] uOut = Map(p, xs[iterations], c);
            total += SampleLoss(uOut, t, r);
            double[] gu = new double[n];
            for (int j = 0; j < Outputs; j++)
            {
                double y = F(uOut[j]);
                double e = (y - t[(r * Outputs) + j]) / batch;
                gu[j] = loss == Loss.SigmoidBinaryCrossEntropy ? e : e * Derivative(uOut[j]);
            }

            double[] gc = new double[n];
            double[] gx = AccumulateMap(p, xs[iterations], gu, grad, gc);
            for (int k = iterations; k >= 1; k--)
            {
                // x_k = (1 − d) x_{k−1} + d f(u_k), u_k = x_{k−1} W + c.
                double[] guk = new double[n];
                for (int j = 0; j < n; j++)
                {
                    guk[j] = damping * gx[j] * Derivative(us[k][j]);
                }

                double[] gxPrev = AccumulateMap(p, xs[k - 1], guk, grad, gc);
                for (int j = 0; j < n; j++)
                {
                    gxPrev[j] += (1 - damping) * gx[j];
                }

                gx = gxPrev;
            }

            // c = s·V + b.
            for (int i = 0; i < Inputs; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    grad[(n * n) + (i * n) + j] += s[(r * Inputs) + i] * gc[j];
                }
            }

            for (int j = 0; j < n; j++)
            {
                grad[(n * n) + (Inputs * n) + j] += gc[j];
            }
        }

        return (total / batch, grad);
    }

    /// <summary>
    /// The Almeida-Pineda gradient with the adjoint cut to the first <paramref name="terms"/> terms of its
    /// Neumann series, δ = Σ_{k&lt;K} A^k g, A(v)_j = f'(u*_j)·Σ_i W[j, i]·v_i, at the state relaxed to 1e-15:
    /// written from the formula, term by term.
    /// </summary>
    public double[] NeumannGradient(double[] p, double[] s, double[] t, int batch, int terms)
    {
        int n = Units;
        double[] grad = new double[p.Length];
        for (int r = 0; r < batch; r++)
        {
            double[] c = InputTerm(p, s, r);
            double[] x = new double[n];
            for (int k = 0; k < 20_000; k++)
            {
                double[] a = Apply(Map(p, x, c));
                double step = 0;
                for (int j = 0; j < n; j++)
                {
                    step = Math.Max(step, Math.Abs(a[j] - x[j]));
                    x[j] += damping * (a[j] - x[j]);
                }

                if (step <= 1e-15)
                {
                    break;
                }
            }

            double[] u = Map(p, x, c);
            double[] term = new double[n];
            for (int j = 0; j < Outputs; j++)
            {
                double e = (F(u[j]) - t[(r * Outputs) + j]) / batch;
                term[j] = loss == Loss.SigmoidBinaryCrossEntropy ? e : e * Derivative(u[j]);
            }

            double[] delta = (double[])term.Clone();
            for (int k = 1; k < terms; k++)
            {
                double[] next = new double[n];
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int i = 0; i < n; i++)
                    {
                        sum += p[(j * n) + i] * term[i];
                    }

                    next[j] = Derivative(u[j]) * sum;
                }

                term = next;
                for (int j = 0; j < n; j++)
                {
                    delta[j] += term[j];
                }
            }

            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    grad[(i * n) + j] += x[i] * delta[j];
                }
            }

            for (int i = 0; i < Inputs; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    grad[(n * n) + (i * n) + j] += s[(r * Inputs) + i] * delta[j];
                }
            }

            for (int j = 0; j < n; j++)
            {
                grad[(n * n) + (Inputs * n) + j] += delta[j];
            }
        }

        return grad;
    }

    public double F(double z) => activation switch
    {
        Activation.Identity => z,
        Activation.Sigmoid => 1 / (1 + Math.Exp(-z)),
        Activation.Tanh => Math.Tanh(z),
        Activation.Relu => Math.Max(z, 0),
        Activation.LeakyRelu => z > 0 ? z : 0.01 * z,
        _ => throw new ArgumentOutOfRangeException(nameof(z)),
    };

    public double Derivative(double z) => activation switch
    {
        Activation.Identity => 1,
        Activation.Sigmoid => F(z) * (1 - F(z)),
        Activation.Tanh => 1 - (Math.Tanh(z) * Math.Tanh(z)),
        Activation.Relu => z > 0 ? 1 : 0,
        Activation.LeakyRelu => z > 0 ? 1 : 0.01,
        _ => throw new ArgumentOutOfRangeException(nameof(z)),
    };

    // Through u = x·W + c: adds xᵀ·gu to dW and gu to dc, and returns dx = gu·Wᵀ.
    double[] AccumulateMap(double[] p, double[] x, double[] gu, double[] grad, double[] gc)
    {
        int n = Units;
        double[] gx = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                grad[(i * n) + j] += x[i] * gu[j];
                gx[i] += p[(i * n) + j] * gu[j];
            }
        }

        for (int j = 0; j < n; j++)
        {
            gc[j] += gu[j];
        }

        return gx;
    }

    double SampleLoss(double[] u, double[] t, int r)
    {
        double sum = 0;
        for (int j = 0; j < Outputs; j++)
        {
            double target = t[(r * Outputs) + j];
            if (loss == Loss.SigmoidBinaryCrossEntropy)
            {
                sum += Math.Max(u[j], 0) - (target * u[j]) + Math.Log(1 + Math.Exp(-Math.Abs(u[j])));
            }
            else
            {
                double e = target - F(u[j]);
                sum += 0.5 * e * e;
            }
        }

        return sum;
    }

    double[] InputTerm(double[] p, double[] s, int r)
    {
        int n = Units;
        double[] c = new double[n];
        for (int j = 0; j < n; j++)
        {
            double sum = p[(n * n) + (Inputs * n) + j];
            for (int i = 0; i < Inputs; i++)
            {
                sum += s[(r * Inputs) + i] * p[(n * n) + (i * n) + j];
            }

            c[j] = sum;
        }

        return c;
    }

    double[] Map(double[] p, double[] x, double[] c)
    {
        int n = Units;
        double[] u = (double[])c.Clone();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                u[j] += x[i] * p[(i * n) + j];
            }
        }

        return u;
    }

    double[] Apply(double[] u) => Array.ConvertAll(u, F);
}
