using System;
using System.Numerics;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;

namespace FastBackprop.Tests.TestUtilities;

/// <summary>The 2-2-2 network of seed 001 with the weights, inputs and targets of its worked example.</summary>
internal static class WorkedExample
{
    public static readonly double[] Inputs = [0.05, 0.10];
    public static readonly double[] Targets = [0.01, 0.99];
    public const double LearningRate = 0.5;

    /// <summary>Builds the network; w1..w8, b1 and b2 as in DESIGN.md.</summary>
    public static Network<T> Create<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var net = new Network<T>(2, Loss.SquaredError, new LayerSpec(2, Activation.Sigmoid), new LayerSpec(2, Activation.Sigmoid));

        // W is [inputs, units]: element i·units + j connects input i to unit j.
        // w1: i1→h1, w2: i2→h1, w3: i1→h2, w4: i2→h2.
        Set(net.Weights(0), [0.15, 0.25, 0.20, 0.30]);
        Set(net.Biases(0), [0.35, 0.35]);

        // w5: h1→o1, w6: h2→o1, w7: h1→o2, w8: h2→o2.
        Set(net.Weights(1), [0.40, 0.50, 0.45, 0.55]);
        Set(net.Biases(1), [0.60, 0.60]);
        return net;
    }

    /// <summary>w1..w8 in the example's order, read from the network.</summary>
    public static double[] ExampleOrder<T>(ReadOnlySpan<T> hidden, ReadOnlySpan<T> output)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
    [
        double.CreateChecked(hidden[0]), double.CreateChecked(hidden[2]), double.CreateChecked(hidden[1]), double.CreateChecked(hidden[3]),
        double.CreateChecked(output[0]), double.CreateChecked(output[2]), double.CreateChecked(output[1]), double.CreateChecked(output[3]),
    ];

    public static T[] Cast<T>(double[] values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var result = new T[values.Length];
        Set(result, values);
        return result;
    }

    static void Set<T>(Span<T> destination, double[] values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            destination[i] = T.CreateChecked(values[i]);
        }
    }
}
