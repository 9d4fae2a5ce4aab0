using System;

namespace FastBackprop.Tests.Optimizers;

/// <summary>
/// The published update rules, one element at a time in double, written from the papers' and PyTorch's formulas
/// rather than from the kernels (no fused operations, no precomputed coefficients).
/// </summary>
internal static class OptimizerReference
{
    /// <summary>PyTorch SGD: g += λθ; v = μv + g; θ -= η·(nesterov ? g + μv : v); without velocity θ -= η·g.</summary>
    public static void Sgd(double[] p, double[] g, double[]? v, double lr, double mu, double wd, bool nesterov)
    {
        for (int i = 0; i < p.Length; i++)
        {
            double grad = g[i] + (wd * p[i]);
            if (v is not null)
            {
                v[i] = (mu * v[i]) + grad;
                grad = nesterov ? grad + (mu * v[i]) : v[i];
            }

            p[i] -= lr * grad;
        }
    }

    /// <summary>Adam / AdamW step t: θ -= ηλ_wθ; g += λθ; m, v moving averages; θ -= η·m̂/(√v̂ + ε).</summary>
    public static void Adam(double[] p, double[] g, double[] m, double[] v, double lr, double b1, double b2, double eps, double l2, double decoupled, long t)
    {
        for (int i = 0; i < p.Length; i++)
        {
            p[i] -= lr * decoupled * p[i];
            double grad = g[i] + (l2 * p[i]);
            m[i] = (b1 * m[i]) + ((1 - b1) * grad);
            v[i] = (b2 * v[i]) + ((1 - b2) * grad * grad);
            double mHat = m[i] / (1 - Math.Pow(b1, t));
            double vHat = v[i] / (1 - Math.Pow(b2, t));
            p[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
        }
    }

    /// <summary>PyTorch RMSprop: g += λθ; v = αv + (1−α)g²; u = g/(√v + ε); b = μb + u (if momentum); θ -= η·(b or u).</summary>
    public static void RmsProp(double[] p, double[] g, double[] sq, double[]? b, double lr, double alpha, double eps, double wd, double mu)
    {
        for (int i = 0; i < p.Length; i++)
        {
            double grad = g[i] + (wd * p[i]);
            sq[i] = (alpha * sq[i]) + ((1 - alpha) * grad * grad);
            double u = grad / (Math.Sqrt(sq[i]) + eps);
            if (b is not null)
            {
                b[i] = (mu * b[i]) + u;
                u = b[i];
            }

            p[i] -= lr * u;
        }
    }

    /// <summary>
    /// iRPROP− (<paramref name="previousMove"/> null) or iRPROP+ as in Igel and Hüsken (2000), figure of iRprop+:
    /// the previous gradient is represented by its sign, which is all the rule reads.
    /// </summary>
    public static void Rprop(double[] p, double[] g, double[] step, double[] previousSign, double[]? previousMove, double up, double down, double min, double max, bool errorRose)
    {
        for (int i = 0; i < p.Length; i++)
        {
            double s = Math.Sign(g[i]);
            double product = previousSign[i] * s;
            if (product > 0)
            {
                step[i] = Math.Min(step[i] * up, max);
                double move = -s * step[i];
                p[i] += move;
                if (previousMove is not null)
                {
                    previousMove[i] = move;
                }
            }
            else if (product < 0)
            {
                step[i] = Math.Max(step[i] * down, min);
                if (previousMove is not null)
                {
                    if (errorRose)
                    {
                        p[i] -= previousMove[i];
                    }

                    previousMove[i] = 0;
                }

                s = 0;
            }
            else
            {
                double move = -s * step[i];
                p[i] += move;
                if (previousMove is not null)
                {
                    previousMove[i] = move;
                }
            }

            previousSign[i] = s;
        }
    }
}
