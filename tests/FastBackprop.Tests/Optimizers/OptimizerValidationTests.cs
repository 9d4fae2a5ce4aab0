using System;
using FastBackprop.Optimizers;
using Xunit;

namespace FastBackprop.Tests.Optimizers;

/// <summary>Bad arguments are refused with the expected and the actual value, and leave parameters and state untouched.</summary>
public class OptimizerValidationTests
{
    [Theory]
    [MemberData(nameof(OptimizerBehaviourTests.AllOptimizers), MemberType = typeof(OptimizerBehaviourTests))]
    public void Wrong_lengths_and_bad_values_change_nothing(string name)
    {
        IOptimizer<double> opt = OptimizerBehaviourTests.XorOptimizer(name, 10);
        double[] p = Filled(10, 0.5), g = Filled(10, 0.25);

        // One real step first, so the state is not trivially zero.
        opt.Step(p, g, 1.0);
        double[] parameters = (double[])p.Clone();
        double[] state = opt.State.ToArray();
        double rate = opt.LearningRate;

        var e = Assert.Throws<ArgumentException>(() => opt.Step(new double[9], g));
        Assert.Equal("parameters", e.ParamName);
        Assert.Contains("Expected 10 parameters", e.Message, StringComparison.Ordinal);
        Assert.Contains("has 9 elements", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentException>(() => opt.Step(p, new double[11], 1.0));
        Assert.Equal("gradients", e.ParamName);
        Assert.Contains("Expected 10 gradients", e.Message, StringComparison.Ordinal);
        Assert.Contains("has 11 elements", e.Message, StringComparison.Ordinal);

        foreach (double loss in (double[])[double.NaN, double.PositiveInfinity])
        {
            var r = Assert.Throws<ArgumentOutOfRangeException>(() => opt.Step(p, g, loss));
            Assert.Equal("loss", r.ParamName);
            Assert.Equal(loss, r.ActualValue);
        }

        foreach (double bad in (double[])[0, -0.1, double.NaN, double.PositiveInfinity])
        {
            var r = Assert.Throws<ArgumentOutOfRangeException>(() => opt.LearningRate = bad);
            Assert.Contains("positive, finite learning rate", r.Message, StringComparison.Ordinal);
            Assert.Equal(bad, r.ActualValue);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => opt.StepCount = -1);

        Assert.Equal(parameters, p);
        Assert.Equal(state, opt.State.ToArray());
        Assert.Equal(rate, opt.LearningRate);
        Assert.Equal(1, opt.StepCount);

        // Reset returns the state to the constructor's.
        opt.Reset();
        Assert.Equal(0, opt.StepCount);
        Assert.Equal(OptimizerBehaviourTests.XorOptimizer(name, 10).State.ToArray(), opt.State.ToArray());
    }

    [Fact]
    public void Bad_hyper_parameters_are_refused_by_name()
    {
        Refused("learningRate", 0.0, () => new Sgd<double>(4, 0));
        Refused("learningRate", double.NaN, () => new Adam<double>(4, double.NaN));
        Refused("learningRate", 1e-50, () => new Adam<float>(4, 1e-50));
        Refused("parameterCount", -1, () => new Sgd<double>(-1, 0.1));
        Refused("momentum", 1.0, () => new Sgd<double>(4, 0.1, momentum: 1));
        Refused("momentum", -0.5, () => new Sgd<double>(4, 0.1, momentum: -0.5));
        Refused("weightDecay", -1e-3, () => new Sgd<double>(4, 0.1, weightDecay: -1e-3));
        Refused("beta1", 1.0, () => new Adam<double>(4, beta1: 1));
        Refused("beta2", -0.1, () => new AdamW<double>(4, beta2: -0.1));

        // 0.999999999 is below 1 in double but rounds to 1 in float.
        Refused("beta2", 0.999999999, () => new Adam<float>(4, beta2: 0.999999999));
        Refused("epsilon", -1e-8, () => new Adam<double>(4, epsilon: -1e-8));
        Refused("epsilon", 0.0, () => new RmsProp<double>(4, epsilon: 0));
        Refused("weightDecay", double.PositiveInfinity, () => new AdamW<double>(4, weightDecay: double.PositiveInfinity));
        Refused("alpha", 1.5, () => new RmsProp<double>(4, alpha: 1.5));
        Refused("momentum", 1.0, () => new RmsProp<double>(4, momentum: 1));
        Refused("increase", 1.0, () => new Rprop<double>(4, increase: 1));
        Refused("decrease", 1.0, () => new Rprop<double>(4, decrease: 1));
        Refused("decrease", 0.0, () => new Rprop<double>(4, decrease: 0));
        Refused("minStep", -1.0, () => new Rprop<double>(4, minStep: -1));
        Refused("initialStep", 0.0, () => new Rprop<double>(4, initialStep: 0));
        Refused("initialStep", 60.0, () => new Rprop<double>(4, initialStep: 60));
        Refused("variant", (RpropVariant)7, () => new Rprop<double>(4, (RpropVariant)7));

        var e = Assert.Throws<ArgumentException>(() => new Sgd<double>(4, 0.1, nesterov: true));
        Assert.Equal("nesterov", e.ParamName);
        Assert.Throws<NotSupportedException>(() => new Sgd<Half>(4, 0.1));
        Assert.Throws<NotSupportedException>(() => GradientClipping.ClipByGlobalNorm<Half>(new Half[2], Half.One));
    }

    static void Refused(string name, object actual, Func<object> create)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => create());
        Assert.Equal(name, e.ParamName);
        Assert.Equal(actual, e.ActualValue);
        Assert.StartsWith("Expected", e.Message, StringComparison.Ordinal);
    }

    static double[] Filled(int n, double value)
    {
        var a = new double[n];
        a.AsSpan().Fill(value);
        return a;
    }
}
