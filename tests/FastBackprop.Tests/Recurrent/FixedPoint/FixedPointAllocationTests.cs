using System.Numerics;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Recurrent.FixedPoint;
using FastBackprop.Tests.TestUtilities;
using Xunit;

namespace FastBackprop.Tests.Recurrent.FixedPoint;

/// <summary>Relaxing, predicting and computing gradients allocate nothing after warm-up, at batch 1 and above.</summary>
public class FixedPointAllocationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void Steps_allocate_nothing_in_float(int batch) => Check<float>(batch);

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void Steps_allocate_nothing_in_double(int batch) => Check<double>(batch);

    // 48 units: large enough for the vector kernels and, at batch 16, the packed GEMM; one thread, so that the
    // counter of the calling thread sees everything. 200 warm-up calls, as elsewhere: with 30, one run on a
    // heavily loaded machine counted 7.6 KB, code still being tiered up inside the measured calls.
    static void Check<T>(int batch)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var net = new FixedPointNetwork<T>(48, 10, 8, Activation.Tanh, Loss.SquaredError, new RelaxationOptions { Damping = 0.8 });
        using FixedPointWorkspace<T> ws = net.CreateWorkspace(batch, threads: 1);
        var inputs = new T[batch * 10];
        var targets = new T[batch * 8];
        var outputs = new T[batch * 8];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = T.CreateChecked((i % 7) * 0.1);
        }

        bool converged = true;
        long bytes = Allocation.Measure(
            () =>
            {
                converged &= net.ComputeGradients(inputs, targets, ws).Converged;
                converged &= net.Predict(inputs, outputs, ws).Converged;
            },
            repetitions: 50,
            warmups: 200);
        Assert.True(converged);
        Assert.Equal(0, bytes);

        // Truncated backward too.
        net.Options = net.Options with { NeumannTerms = 4 };
        Assert.Equal(0, Allocation.Measure(() => net.ComputeGradients(inputs, targets, ws), repetitions: 50, warmups: 200));
    }
}
