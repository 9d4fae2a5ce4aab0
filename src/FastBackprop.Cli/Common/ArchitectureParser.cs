using System;
using System.Collections.Generic;
using System.Globalization;
using FastBackprop.Layers;
using FastBackprop.Losses;

namespace FastBackprop.Cli.Common;

/// <summary>
/// Reads the command line's names for layers, activations and losses: <c>--layers 128:relu,64:tanh</c> (the hidden
/// layers; the output layer is sized by the data and its activation follows from the loss).
/// </summary>
internal static class ArchitectureParser
{
    /// <summary>The activation names accepted, for help texts and error messages.</summary>
    public const string ActivationNames = "identity, sigmoid, tanh, relu, leaky-relu, softmax";

    /// <summary>The loss names accepted.</summary>
    public const string LossNames = "cross-entropy, squared-error, binary-cross-entropy";

    /// <summary>
    /// Parses hidden layers written as <c>UNITS[:ACTIVATION]</c>, comma-separated (activation relu when omitted);
    /// <c>none</c> or an empty text means no hidden layer.
    /// </summary>
    /// <exception cref="CliException">A part is not of that form; the message quotes it.</exception>
    public static LayerSpec[] ParseHiddenLayers(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var layers = new List<LayerSpec>();
        foreach (string rawPart in trimmed.Split(','))
        {
            string part = rawPart.Trim();
            string[] pieces = part.Split(':');
            if (pieces.Length > 2
                || !int.TryParse(pieces[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int units)
                || units < 1)
            {
                throw new CliException(
                    $"--layers: expected UNITS[:ACTIVATION] with UNITS a positive integer (e.g. 128:relu,64:tanh), got '{part}'.");
            }

            Activation activation = pieces.Length == 2 ? ParseActivation(pieces[1], "--layers") : Activation.Relu;
            if (activation == Activation.Softmax)
            {
                throw new CliException($"--layers: softmax is an output activation, not a hidden one (in '{part}').");
            }

            layers.Add(new LayerSpec(units, activation));
        }

        return layers.ToArray();
    }

    /// <summary>An activation by its command-line name.</summary>
    /// <exception cref="CliException">Unknown name; the message lists the known ones.</exception>
    public static Activation ParseActivation(string name, string optionName)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToUpperInvariant() switch
        {
            "IDENTITY" or "LINEAR" => Activation.Identity,
            "SIGMOID" or "LOGISTIC" => Activation.Sigmoid,
            "TANH" => Activation.Tanh,
            "RELU" => Activation.Relu,
            "LEAKY-RELU" or "LEAKYRELU" or "LEAKY_RELU" => Activation.LeakyRelu,
            "SOFTMAX" => Activation.Softmax,
            _ => throw new CliException($"{optionName}: unknown activation '{name.Trim()}'; expected one of {ActivationNames}."),
        };
    }

    /// <summary>A loss by its command-line name.</summary>
    /// <exception cref="CliException">Unknown name.</exception>
    public static Loss ParseLoss(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToUpperInvariant() switch
        {
            "CROSS-ENTROPY" or "CE" or "SOFTMAX-CROSS-ENTROPY" => Loss.SoftmaxCrossEntropy,
            "SQUARED-ERROR" or "MSE" => Loss.SquaredError,
            "BINARY-CROSS-ENTROPY" or "BCE" => Loss.SigmoidBinaryCrossEntropy,
            _ => throw new CliException($"--loss: unknown loss '{name.Trim()}'; expected one of {LossNames}."),
        };
    }

    /// <summary>The output activation a loss needs, or, for squared error, the one asked for (identity by default).</summary>
    public static Activation OutputActivation(Loss loss, string? requested)
    {
        Activation? asked = requested is null ? null : ParseActivation(requested, "--output-activation");
        Activation needed = loss switch
        {
            Loss.SoftmaxCrossEntropy => Activation.Softmax,
            Loss.SigmoidBinaryCrossEntropy => Activation.Sigmoid,
            _ => asked ?? Activation.Identity,
        };
        if (asked is Activation a && a != needed)
        {
            throw new CliException(
                $"--output-activation: the loss {FormatLoss(loss)} needs a {FormatActivation(needed)} output, got {FormatActivation(a)}.");
        }

        return needed;
    }

    /// <summary>The command-line name of an activation.</summary>
    public static string FormatActivation(Activation activation) => activation switch
    {
        Activation.Identity => "identity",
        Activation.Sigmoid => "sigmoid",
        Activation.Tanh => "tanh",
        Activation.Relu => "relu",
        Activation.LeakyRelu => "leaky-relu",
        Activation.Softmax => "softmax",
        _ => activation.ToString().ToLowerInvariant(),
    };

    /// <summary>The command-line name of a loss.</summary>
    public static string FormatLoss(Loss loss) => loss switch
    {
        Loss.SoftmaxCrossEntropy => "cross-entropy",
        Loss.SquaredError => "squared-error",
        Loss.SigmoidBinaryCrossEntropy => "binary-cross-entropy",
        _ => loss.ToString().ToLowerInvariant(),
    };

    /// <summary>The architecture as <c>784-128(relu)-10(softmax)</c>.</summary>
    public static string Describe(int inputs, IReadOnlyList<LayerSpec> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var text = new System.Text.StringBuilder();
        text.Append(inputs.ToString(CultureInfo.InvariantCulture));
        foreach (LayerSpec layer in layers)
        {
            text.Append('-').Append(layer.Units.ToString(CultureInfo.InvariantCulture))
                .Append('(').Append(FormatActivation(layer.Activation)).Append(')');
        }

        return text.ToString();
    }
}
