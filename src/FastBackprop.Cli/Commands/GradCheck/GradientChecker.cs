using System;
using System.Collections.Generic;
using FastBackprop.Cli.Common;
using FastBackprop.Losses;
using FastBackprop.Networks;

namespace FastBackprop.Cli.Commands.GradCheck;

/// <summary>
/// Compares the library's backpropagated gradient of a double-precision network with central finite differences
/// of its loss, (L(θ + h) − L(θ − h)) / 2h, parameter by parameter.
/// </summary>
internal static class GradientChecker
{
    /// <summary>An entry passes when |analytic − numeric| ≤ absolute + relative · max(|analytic|, |numeric|).</summary>
    public const double AbsoluteTolerance = 1e-8;

    /// <summary>Checks every parameter on <paramref name="batch"/> random samples; returns one row per weight and bias block.</summary>
    public static IReadOnlyList<GradientCheckRow> Check(Network<double> network, int batch, int seed, double step, double relativeTolerance)
    {
        ArgumentNullException.ThrowIfNull(network);
        (double[] x, double[] t) = RandomSamples(network, batch, seed);
        using Workspace<double> workspace = network.CreateWorkspace(batch);
        network.ComputeGradients(x, t, workspace);
        double[] analytic = workspace.Gradients.ToArray();
        Span<double> parameters = network.Parameters;

        var rows = new List<GradientCheckRow>();
        int offset = 0;
        for (int layer = 0; layer < network.LayerCount; layer++)
        {
            int units = network.GetLayer(layer).Units, weights = network.GetLayerInputCount(layer) * units;
            rows.Add(CheckBlock(network, workspace, x, t, analytic, offset, weights, layer, "weights", step, relativeTolerance));
            offset += weights;
            rows.Add(CheckBlock(network, workspace, x, t, analytic, offset, units, layer, "biases", step, relativeTolerance));
            offset += units;
        }

        if (offset != parameters.Length)
        {
            throw new InvalidOperationException($"Walked {offset} parameters, the network has {parameters.Length}.");
        }

        return rows;
    }

    static GradientCheckRow CheckBlock(
        Network<double> network, Workspace<double> workspace, double[] x, double[] t, double[] analytic,
        int first, int count, int layer, string block, double step, double relativeTolerance)
    {
        double maxAbs = 0, maxRel = 0;
        int failures = 0;
        for (int i = first; i < first + count; i++)
        {
            double saved = network.Parameters[i];
            network.Parameters[i] = saved + step;
            double plus = network.Evaluate(x, t, workspace);
            network.Parameters[i] = saved - step;
            double minus = network.Evaluate(x, t, workspace);
            network.Parameters[i] = saved;
            double numeric = (plus - minus) / (2 * step);
            double error = Math.Abs(analytic[i] - numeric), scale = Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric));
            maxAbs = Math.Max(maxAbs, error);
            if (scale > 1e-7)
            {
                maxRel = Math.Max(maxRel, error / scale);
            }

            if (!(error <= AbsoluteTolerance + (relativeTolerance * scale)))
            {
                failures++;
            }
        }

        return new GradientCheckRow(layer, block, count, maxAbs, maxRel, failures);
    }

    // Inputs uniform in [-1, 1]; targets a one-hot class (cross-entropy), 0/1 (binary cross-entropy) or uniform in [0, 1].
    static (double[] X, double[] T) RandomSamples(Network<double> network, int batch, int seed)
    {
        var random = new SeededRandom(unchecked((ulong)seed) * 0x9E3779B97F4A7C15UL + 1);
        int inputs = network.InputCount, outputs = network.OutputCount;
        double[] x = new double[batch * inputs], t = new double[batch * outputs];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextDouble(-1, 1);
        }

        for (int r = 0; r < batch; r++)
        {
            Span<double> row = t.AsSpan(r * outputs, outputs);
            switch (network.Loss)
            {
                case Loss.SoftmaxCrossEntropy:
                    row[random.NextInt(outputs)] = 1;
                    break;
                case Loss.SigmoidBinaryCrossEntropy:
                    for (int j = 0; j < outputs; j++)
                    {
                        row[j] = random.NextInt(2);
                    }

                    break;
                default:
                    for (int j = 0; j < outputs; j++)
                    {
                        row[j] = random.NextDouble();
                    }

                    break;
            }
        }

        return (x, t);
    }
}
