using System;
using System.CommandLine;
using System.CommandLine.Help;
using System.IO;
using System.Threading.Tasks;
using FastBackprop.Cli.Commands.Bench;
using FastBackprop.Cli.Commands.Eval;
using FastBackprop.Cli.Commands.Example;
using FastBackprop.Cli.Commands.GradCheck;
using FastBackprop.Cli.Commands.Predict;
using FastBackprop.Cli.Commands.Train;
using FastBackprop.Cli.Common;

namespace FastBackprop.Cli;

/// <summary>
/// The command tree (System.CommandLine) and the one place errors become one line on standard error and an exit
/// code: 2 for a malformed command line, 1 for a command that failed, never a stack trace.
/// </summary>
internal static class CliApplication
{
    /// <summary>Parses <paramref name="args"/>, runs the command, and returns the exit code.</summary>
    public static int Run(string[] args, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        Command root = Build(context);
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            string command = parse.CommandResult.Command == root ? "fastbackprop" : "fastbackprop " + parse.CommandResult.Command.Name;
            context.Error.WriteLine($"fastbackprop: {parse.Errors[0].Message} (see '{command} --help')");
            return ExitCodes.UsageError;
        }

        var invocation = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return parse.InvokeAsync(invocation).GetAwaiter().GetResult();
        }
        catch (Exception e) when (IsUserError(e))
        {
            context.Error.WriteLine($"fastbackprop: {OneLine(e.Message)}");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not expected, but still one line: the type says where to look.
            context.Error.WriteLine($"fastbackprop: unexpected {e.GetType().Name}: {OneLine(e.Message)}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>The root command (which trains MNIST when given no subcommand) and its subcommands.</summary>
    /// <remarks>
    /// A plain <see cref="Command"/> named <c>fastbackprop</c> rather than a <see cref="RootCommand"/>, whose name would be
    /// the assembly's (FastBackprop.Cli); so it brings its own --help (for every subcommand too) and --version.
    /// </remarks>
    public static Command Build(CliContext context)
    {
        var root = new Command(
            "fastbackprop",
            "fastbackprop: train, evaluate and benchmark dense neural networks on the CPU with FastBackprop. "
            + "With no command it trains 784-128-10 on the 10,000 embedded MNIST digits (8,000 training, 2,000 held-out test), "
            + "writes fastbackprop-output/mnist.fbp and mnist-curves.svg, and prints a summary. Every option of 'train' works here too.");
        root.Options.Add(new HelpOption { Recursive = true });
        root.Options.Add(new VersionOption());
        var defaultTrain = new TrainCommand(JsonOption.Create());
        defaultTrain.AddTo(root);
        root.Options.Add(defaultTrain.Json);
        root.SetAction((parse, cancellationToken) => Task.FromResult(TrainRun.Execute(defaultTrain.Read(parse), context, cancellationToken)));

        root.Subcommands.Add(new TrainCommand(JsonOption.Create()).Create(context));
        root.Subcommands.Add(EvalCommand.Create(context));
        root.Subcommands.Add(PredictCommand.Create(context));
        root.Subcommands.Add(BenchCommand.Create(context));
        root.Subcommands.Add(GradCheckCommand.Create(context));
        root.Subcommands.Add(ExampleCommand.Create(context));
        return root;
    }

    static bool IsUserError(Exception e) =>
        e is CliException or ArgumentException or FormatException or InvalidDataException or IOException
            or UnauthorizedAccessException or NotSupportedException or InvalidOperationException;

    static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
