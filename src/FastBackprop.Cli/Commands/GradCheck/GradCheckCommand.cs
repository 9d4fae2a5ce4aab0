using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using FastBackprop.Cli.Common;
using FastBackprop.Cli.Output;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;

namespace FastBackprop.Cli.Commands.GradCheck;

/// <summary>
/// <c>fastbackprop gradcheck</c>: builds a double-precision network of the given architecture with random weights
/// and data, and compares every backpropagated gradient with central finite differences. Exit code 1 when any
/// entry is outside the tolerance.
/// </summary>
internal static class GradCheckCommand
{
    /// <summary>The <c>gradcheck</c> subcommand.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var inputs = new Option<int>("--inputs") { Description = "Input count.", HelpName = "N", DefaultValueFactory = _ => 4 };
        var layers = new Option<string>("--layers", "-l")
        {
            Description = "Hidden layers as UNITS[:ACTIVATION], comma-separated, or 'none' (" + ArchitectureParser.ActivationNames + ").",
            HelpName = "LIST",
            DefaultValueFactory = _ => "5:tanh,4:sigmoid",
        };
        var outputs = new Option<int>("--outputs") { Description = "Output count.", HelpName = "N", DefaultValueFactory = _ => 3 };
        var loss = new Option<string>("--loss")
        {
            Description = "Loss: " + ArchitectureParser.LossNames + ".",
            HelpName = "LOSS",
            DefaultValueFactory = _ => "cross-entropy",
        };
        var outputActivation = new Option<string?>("--output-activation") { Description = "Output activation with squared-error (default identity).", HelpName = "ACTIVATION" };
        var batch = new Option<int>("--batch") { Description = "Random samples in the batch.", HelpName = "N", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed", "-s") { Description = "Seed of the weights and data.", HelpName = "N", DefaultValueFactory = _ => 1 };
        var step = new Option<double>("--step") { Description = "Finite-difference step h.", HelpName = "H", DefaultValueFactory = _ => 1e-6 };
        var tolerance = new Option<double>("--tolerance")
        {
            Description = "Relative tolerance: an entry passes when |analytic - numeric| <= 1e-8 + tolerance * max(|analytic|, |numeric|).",
            HelpName = "TOL",
            DefaultValueFactory = _ => 1e-5,
        };
        Option<bool> json = JsonOption.Create();
        var command = new Command("gradcheck", "Check a network's backpropagated gradients against central finite differences (double precision, random weights and data).");
        foreach (Option option in new Option[] { inputs, layers, outputs, loss, outputActivation, batch, seed, step, tolerance, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => Run(
            parse.GetValue(inputs), parse.GetValue(layers)!, parse.GetValue(outputs), parse.GetValue(loss)!, parse.GetValue(outputActivation),
            parse.GetValue(batch), parse.GetValue(seed), parse.GetValue(step), parse.GetValue(tolerance), parse.GetValue(json), context));
        return command;
    }

    /// <summary>Checks and prints; returns 0 when every gradient agrees, 1 otherwise.</summary>
    public static int Run(
        int inputs, string layerText, int outputs, string lossName, string? outputActivation, int batch, int seed, double step, double tolerance, bool json,
        CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (inputs < 1 || outputs < 1 || batch < 1)
        {
            throw new CliException($"--inputs, --outputs and --batch: expected at least 1 each, got {inputs}, {outputs} and {batch}.");
        }

        if (!(step > 0 && step < 1) || !(tolerance > 0))
        {
            throw new CliException($"--step and --tolerance: expected 0 < step < 1 and a positive tolerance, got {step} and {tolerance}.");
        }

        Loss loss = ArchitectureParser.ParseLoss(lossName);
        LayerSpec[] hidden = ArchitectureParser.ParseHiddenLayers(layerText);
        var specs = new LayerSpec[hidden.Length + 1];
        hidden.CopyTo(specs, 0);
        specs[^1] = new LayerSpec(outputs, ArchitectureParser.OutputActivation(loss, outputActivation));
        Network<double> network;
        try
        {
            network = new Network<double>(inputs, loss, specs);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"The network {ArchitectureParser.Describe(inputs, specs)}: {e.Message}", e);
        }

        network.InitializeWeights(seed);
        IReadOnlyList<GradientCheckRow> rows = GradientChecker.Check(network, batch, seed, step, tolerance);
        int failures = 0;
        double worstRel = 0;
        foreach (GradientCheckRow row in rows)
        {
            failures += row.Failures;
            worstRel = Math.Max(worstRel, row.MaxRelativeError);
        }

        string architecture = ArchitectureParser.Describe(inputs, specs);
        if (json)
        {
            JsonOutput.Write(context.Out, w =>
            {
                w.WriteString("command", "gradcheck");
                w.WriteString("network", architecture);
                w.WriteString("loss", ArchitectureParser.FormatLoss(loss));
                w.WriteNumber("parameters", network.ParameterCount);
                w.WriteNumber("batch", batch);
                w.WriteNumber("step", step);
                w.WriteNumber("tolerance", tolerance);
                w.WriteBoolean("passed", failures == 0);
                w.WriteNumber("failures", failures);
                w.WriteNumber("maxRelativeError", worstRel);
                w.WriteStartArray("blocks");
                foreach (GradientCheckRow row in rows)
                {
                    w.WriteStartObject();
                    w.WriteNumber("layer", row.Layer);
                    w.WriteString("block", row.Block);
                    w.WriteNumber("count", row.Count);
                    w.WriteNumber("maxAbsoluteError", row.MaxAbsoluteError);
                    w.WriteNumber("maxRelativeError", row.MaxRelativeError);
                    w.WriteNumber("failures", row.Failures);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
        }
        else
        {
            context.Out.WriteLine($"gradcheck: {architecture}, {ArchitectureParser.FormatLoss(loss)}, {network.ParameterCount} parameters, batch {batch}, double precision");
            context.Out.WriteLine($"central differences with h = {step.ToString("G3", CultureInfo.InvariantCulture)}; pass: |analytic - numeric| <= {GradientChecker.AbsoluteTolerance:G1} + {tolerance.ToString("G3", CultureInfo.InvariantCulture)} * max(|analytic|, |numeric|)");
            context.Out.WriteLine();
            context.Out.WriteLine($"{"layer",5}  {"block",-7} {"count",6}  {"max abs error",14}  {"max rel error",14}  result");
            foreach (GradientCheckRow row in rows)
            {
                context.Out.WriteLine(
                    $"{row.Layer,5}  {row.Block,-7} {row.Count,6}  {row.MaxAbsoluteError,14:E2}  {row.MaxRelativeError,14:E2}  {(row.Failures == 0 ? "ok" : row.Failures + " FAILED")}");
            }

            context.Out.WriteLine();
            context.Out.WriteLine(failures == 0
                ? $"passed: all {network.ParameterCount} gradients agree with finite differences (worst relative error {worstRel:E2})"
                : $"FAILED: {failures} of {network.ParameterCount} gradients disagree (worst relative error {worstRel:E2}); a ReLU kink within h of a sample can cause this, try another --seed");
        }

        return failures == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }
}
