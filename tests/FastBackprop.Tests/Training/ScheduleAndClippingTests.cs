using System;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using FastBackprop.Optimizers;
using FastBackprop.Training;
using Xunit;

namespace FastBackprop.Tests.Training;

/// <summary>
/// The trainer's learning-rate schedule and gradient clipping against a hand recurrence: full-batch gradient descent
/// on one linear unit y = w·x + b with C = ½·mean (y − t)², whose gradient is (mean (y − t)·x, mean (y − t)).
/// </summary>
public class ScheduleAndClippingTests
{
    static readonly double[] s_x = [-1, -0.5, 0.5, 2];
    static readonly double[] s_t = [-1, 0, 2, 5];

    static Network<double> Unit()
    {
        var net = new Network<double>(1, Loss.SquaredError, new LayerSpec(1, Activation.Identity));
        net.Weights(0)[0] = 0.25;
        net.Biases(0)[0] = -0.5;
        return net;
    }

    // The same descent by hand: rate(k) at step k, the gradient clipped to maxNorm when given.
    static (double W, double B) ByHand(int steps, Func<long, double> rate, double? maxNorm)
    {
        double w = 0.25, b = -0.5;
        for (int k = 0; k < steps; k++)
        {
            double gw = 0, gb = 0;
            for (int i = 0; i < s_x.Length; i++)
            {
                double e = (w * s_x[i]) + b - s_t[i];
                gw += e * s_x[i] / s_x.Length;
                gb += e / s_x.Length;
            }

            double norm = Math.Sqrt((gw * gw) + (gb * gb));
            if (maxNorm is double max && norm > max)
            {
                (gw, gb) = (gw * max / norm, gb * max / norm);
            }

            (w, b) = (w - (rate(k) * gw), b - (rate(k) * gb));
        }

        return (w, b);
    }

    static (Network<double> Net, Sgd<double> Optimizer) Train(int epochs, ILearningRateSchedule? schedule, double? maxNorm)
    {
        Network<double> net = Unit();
        var sgd = new Sgd<double>(net.ParameterCount, 0.1);
        var options = new TrainingOptions
        {
            BatchSize = TrainingOptions.FullBatch,
            Shuffle = false,
            MaxEpochs = epochs,
            Threads = 1,
            Schedule = schedule,
            MaxGradientNorm = maxNorm,
        };
        using var trainer = new Trainer<double>(net, sgd, new Dataset<double>(s_x, s_t, 1, 1), options: options);
        trainer.Train();
        return (net, sgd);
    }

    [Fact]
    public void A_step_decay_schedule_sets_the_rate_of_every_step()
    {
        // 0.2, halved every 3 steps: 0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.05, 0.05.
        var schedule = new StepDecaySchedule(0.2, 0.5, 3);
        (Network<double> net, Sgd<double> sgd) = Train(8, schedule, null);
        (double w, double b) = ByHand(8, k => 0.2 * Math.Pow(0.5, k / 3), null);
        Assert.Equal(w, net.Weights(0)[0], 12);
        Assert.Equal(b, net.Biases(0)[0], 12);
        Assert.Equal(0.05, sgd.LearningRate, 15);

        // Without the schedule the optimizer's own 0.1 holds throughout, and the result differs.
        (Network<double> plain, _) = Train(8, null, null);
        (double pw, _) = ByHand(8, _ => 0.1, null);
        Assert.Equal(pw, plain.Weights(0)[0], 12);
        Assert.NotEqual(w, pw, 6);
    }

    [Fact]
    public void Clipping_bounds_each_steps_gradient_norm()
    {
        // The first gradients have norms near 2 (the unit starts far from the data), above 0.5, so clipping changes the path.
        (Network<double> net, _) = Train(6, null, 0.5);
        (double w, double b) = ByHand(6, _ => 0.1, 0.5);
        (double freeW, _) = ByHand(6, _ => 0.1, null);
        Assert.Equal(w, net.Weights(0)[0], 12);
        Assert.Equal(b, net.Biases(0)[0], 12);
        Assert.NotEqual(w, freeW, 6);
    }

    [Fact]
    public void A_bad_maximum_norm_is_refused()
    {
        Network<double> net = Unit();
        var data = new Dataset<double>(s_x, s_t, 1, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer<double>(net, new Sgd<double>(2, 0.1), data, options: new TrainingOptions { MaxGradientNorm = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer<double>(net, new Sgd<double>(2, 0.1), data, options: new TrainingOptions { MaxGradientNorm = double.PositiveInfinity }));
        var single = new Network<float>(1, Loss.SquaredError, new LayerSpec(1, Activation.Identity));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => new Trainer<float>(single, new Sgd<float>(2, 0.1), new Dataset<float>([1f], [1f], 1, 1), options: new TrainingOptions { MaxGradientNorm = 1e300 }));
    }
}
