using System;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using FastBackprop.Tests.TestUtilities;
using Xunit;

namespace FastBackprop.Tests.Networks;

/// <summary>After warm-up, training and inference steps allocate no managed memory at all.</summary>
public class AllocationTests
{
    [Fact]
    public void Thousand_training_steps_allocate_nothing_float() =>
        Assert.Equal(0, MeasureSteps<float>(Loss.SoftmaxCrossEntropy, Activation.Softmax, batch: 16));

    [Fact]
    public void Thousand_training_steps_allocate_nothing_double() =>
        Assert.Equal(0, MeasureSteps<double>(Loss.SquaredError, Activation.Sigmoid, batch: 5));

    [Fact]
    public void Thousand_binary_cross_entropy_steps_allocate_nothing() =>
        Assert.Equal(0, MeasureSteps<float>(Loss.SigmoidBinaryCrossEntropy, Activation.Sigmoid, batch: 1));

    [Fact]
    public void Forward_and_input_gradients_allocate_nothing()
    {
        var net = new Network<float>(13, Loss.SquaredError, new LayerSpec(9, Activation.LeakyRelu), new LayerSpec(3, Activation.Identity));
        Workspace<float> ws = net.CreateWorkspace(4);
        float[] x = Data(4 * 13, 1), t = Data(4 * 3, 2), dx = new float[4 * 13], y = new float[4 * 3];
        long bytes = Allocation.Measure(
            () =>
            {
                net.Predict(x, y, ws);
                net.ComputeGradients(x, t, ws, dx);
            },
            repetitions: 1000);
        Assert.Equal(0, bytes);
    }

    static long MeasureSteps<T>(Loss loss, Activation output, int batch)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        // Widths off every vector multiple, so the tails run too.
        var net = new Network<T>(37, loss, new LayerSpec(29, Activation.Tanh), new LayerSpec(17, Activation.Relu), new LayerSpec(5, output));
        Workspace<T> ws = net.CreateWorkspace(batch);
        T[] x = Cast<T>(Data(batch * 37, 3));
        T[] t = new T[batch * 5];
        for (int b = 0; b < batch; b++)
        {
            t[(b * 5) + (b % 5)] = T.One;
        }

        T rate = T.CreateChecked(0.01);
        return Allocation.Measure(() => net.TrainStep(x, t, ws, rate), repetitions: 1000);
    }

    static float[] Data(int n, int seed)
    {
        var random = new Random(seed);
        var values = new float[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = (float)random.NextDouble();
        }

        return values;
    }

    static T[] Cast<T>(float[] values)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var result = new T[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = T.CreateChecked(values[i]);
        }

        return result;
    }
}
