using System;
using FastBackprop.Optimizers;
using Xunit;

namespace FastBackprop.Tests.Optimizers;

/// <summary>The learning-rate schedules against their closed forms at chosen steps.</summary>
public class ScheduleTests
{
    [Fact]
    public void Step_decay_multiplies_every_k_steps()
    {
        var s = new StepDecaySchedule(0.1, 0.5, 10);
        Assert.Equal(0.1, s.Rate(0));
        Assert.Equal(0.1, s.Rate(9));
        Assert.Equal(0.05, s.Rate(10));
        Assert.Equal(0.05, s.Rate(19));
        Assert.Equal(0.1 * Math.Pow(0.5, 7), s.Rate(75));
    }

    [Fact]
    public void Cosine_anneals_from_max_to_min_then_stays()
    {
        var s = new CosineSchedule(1.0, 0.01, 100);
        Assert.Equal(1.0, s.Rate(0));
        Assert.Equal(0.01 + (0.99 / 2), s.Rate(50), 15);
        Assert.Equal(0.01 + (0.99 * (1 + Math.Cos(Math.PI * 25 / 100)) / 2), s.Rate(25), 15);
        Assert.Equal(0.01 + (0.99 * (1 + Math.Cos(Math.PI * 99 / 100)) / 2), s.Rate(99), 15);
        Assert.Equal(0.01, s.Rate(100));
        Assert.Equal(0.01, s.Rate(1_000_000));
    }

    [Fact]
    public void Warmup_rises_linearly_then_hands_over()
    {
        var s = new LinearWarmupSchedule(new CosineSchedule(0.4, 0.1, 10), 3);
        Assert.Equal(0.1, s.Rate(0), 15);
        Assert.Equal(0.2, s.Rate(1), 15);
        Assert.Equal(0.3, s.Rate(2), 15);
        Assert.Equal(0.4, s.Rate(3));
        Assert.Equal(0.1 + (0.3 * (1 + Math.Cos(Math.PI * 5 / 10)) / 2), s.Rate(8), 15);
        Assert.Equal(0.1, s.Rate(13));
        var none = new LinearWarmupSchedule(new StepDecaySchedule(0.2, 0.5, 1), 0);
        Assert.Equal(0.2, none.Rate(0));
        Assert.Equal(0.1, none.Rate(1));
    }

    [Fact]
    public void Schedules_refuse_bad_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecaySchedule(0, 0.5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecaySchedule(0.1, 1.5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecaySchedule(0.1, 0.5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(0.1, 0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(0.1, 0.2, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(0.1, 0.01, 0));
        Assert.Throws<ArgumentNullException>(() => new LinearWarmupSchedule(null!, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearWarmupSchedule(new CosineSchedule(1, 0.1, 1), -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(1, 0.1, 1).Rate(-1));
    }

    [Fact]
    public void A_schedule_drives_an_optimizer()
    {
        var s = new LinearWarmupSchedule(new StepDecaySchedule(0.5, 0.1, 2), 2);
        var opt = new Sgd<float>(3, 1.0);
        float[] p = [1, 1, 1], g = [1, 1, 1];
        float expected = 1;
        for (int i = 0; i < 6; i++)
        {
            opt.LearningRate = (float)s.Rate(opt.StepCount);
            expected -= opt.LearningRate;
            opt.Step(p, g);
        }

        Assert.Equal(expected, p[0], 1e-6f);
    }
}
