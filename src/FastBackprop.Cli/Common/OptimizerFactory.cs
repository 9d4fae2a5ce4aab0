using FastBackprop.Optimizers;

namespace FastBackprop.Cli.Common;

/// <summary>Makes the optimizer <c>--optimizer</c> names, with the library's defaults for settings not given.</summary>
internal static class OptimizerFactory
{
    /// <summary>The optimizer names accepted.</summary>
    public const string Names = "adam, adamw, sgd, rmsprop, rprop";

    /// <summary>Creates the optimizer for <paramref name="parameterCount"/> parameters.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="parameterCount">The network's parameter count.</param>
    /// <param name="learningRate">The step size; null for the optimizer's default (Rprop has none).</param>
    /// <param name="momentum">SGD and RMSprop momentum; null for none.</param>
    /// <param name="weightDecay">L2 (Adam, SGD, RMSprop) or decoupled (AdamW) decay; null for the default.</param>
    /// <exception cref="CliException">Unknown name, or a setting the optimizer does not take.</exception>
    public static IOptimizer<float> Create(string name, int parameterCount, double? learningRate, double? momentum, double? weightDecay)
    {
        string key = name.Trim().ToUpperInvariant();
        if (momentum is not null && key is not ("SGD" or "RMSPROP"))
        {
            throw new CliException($"--momentum: only sgd and rmsprop take a momentum, the optimizer is {name.Trim()}.");
        }

        if (key == "RPROP" && (learningRate is not null || weightDecay is not null))
        {
            throw new CliException("--learning-rate/--weight-decay: rprop adapts a step per weight and takes neither.");
        }

        return key switch
        {
            "ADAM" => new Adam<float>(parameterCount, learningRate ?? 1e-3, weightDecay: weightDecay ?? 0),
            "ADAMW" => new AdamW<float>(parameterCount, learningRate ?? 1e-3, weightDecay: weightDecay ?? 0.01),
            "SGD" => new Sgd<float>(parameterCount, learningRate ?? 0.1, momentum ?? 0, weightDecay: weightDecay ?? 0),
            "RMSPROP" => new RmsProp<float>(parameterCount, learningRate ?? 1e-3, weightDecay: weightDecay ?? 0, momentum: momentum ?? 0),
            "RPROP" => new Rprop<float>(parameterCount, RpropVariant.IRpropMinus),
            _ => throw new CliException($"--optimizer: unknown optimizer '{name.Trim()}'; expected one of {Names}."),
        };
    }
}
