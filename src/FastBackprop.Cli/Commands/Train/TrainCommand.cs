using System.CommandLine;
using System.Threading.Tasks;
using FastBackprop.Cli.Common;

namespace FastBackprop.Cli.Commands.Train;

/// <summary>The <c>train</c> command's options; with none, it is the no-argument default run on MNIST.</summary>
internal sealed class TrainCommand
{
    readonly DataOptions _data = new();

    readonly Option<string> _layers = new("--layers", "-l")
    {
        Description = "Hidden layers as UNITS[:ACTIVATION], comma-separated, or 'none' (" + ArchitectureParser.ActivationNames + "). The output layer is sized by the data.",
        HelpName = "LIST",
        DefaultValueFactory = _ => "128:relu",
    };

    readonly Option<string?> _loss = new("--loss")
    {
        Description = "Loss: " + ArchitectureParser.LossNames + " (default: cross-entropy for classes, squared-error for numbers). It sets the output activation.",
        HelpName = "LOSS",
    };

    readonly Option<string?> _outputActivation = new("--output-activation")
    {
        Description = "The output activation with squared-error (default identity).",
        HelpName = "ACTIVATION",
    };

    readonly Option<string> _optimizer = new("--optimizer", "-o")
    {
        Description = "Optimizer: " + OptimizerFactory.Names + ".",
        HelpName = "NAME",
        DefaultValueFactory = _ => "adam",
    };

    readonly Option<double?> _learningRate = new("--learning-rate", "--lr")
    {
        Description = "Learning rate (default: adam/adamw/rmsprop 0.001, sgd 0.1).",
        HelpName = "RATE",
    };

    readonly Option<double?> _momentum = new("--momentum") { Description = "Momentum (sgd, rmsprop).", HelpName = "MU" };

    readonly Option<double?> _weightDecay = new("--weight-decay")
    {
        Description = "Weight decay: L2 for adam, sgd and rmsprop, decoupled for adamw (default 0.01).",
        HelpName = "LAMBDA",
    };

    readonly Option<int> _batchSize = new("--batch-size", "-b")
    {
        Description = "Samples per update (1: online, as in the seeds).",
        HelpName = "N",
        DefaultValueFactory = _ => 32,
    };

    readonly Option<int> _epochs = new("--epochs", "-e")
    {
        Description = "The most epochs to run.",
        HelpName = "N",
        DefaultValueFactory = _ => 8,
    };

    readonly Option<double?> _targetLoss = new("--target-loss") { Description = "Stop once the training loss is at most this.", HelpName = "LOSS" };

    readonly Option<bool> _allCorrect = new("--stop-when-all-correct") { Description = "Stop once every training sample is classified correctly." };

    readonly Option<int> _patience = new("--patience")
    {
        Description = "Early stopping: stop after N epochs without a better validation loss and keep the best weights (needs --validation-split).",
        HelpName = "N",
    };

    readonly Option<double?> _timeBudget = new("--time-budget") { Description = "Stop after this many seconds (checked after each epoch).", HelpName = "SECONDS" };

    readonly Option<double> _validationSplit = new("--validation-split")
    {
        Description = "Hold out this fraction of the training data as a validation set (then the test set is measured only at the end).",
        HelpName = "FRACTION",
    };

    readonly Option<int> _seed = new("--seed", "-s")
    {
        Description = "Seed of the weights, the shuffling and the validation split.",
        HelpName = "N",
        DefaultValueFactory = _ => 1,
    };

    readonly Option<int> _threads = new("--threads", "-t")
    {
        Description = "Worker threads for large products (0: one per processor; small products always run on one).",
        HelpName = "N",
    };

    readonly Option<string?> _out = new("--out")
    {
        Description = "The model file to write ('none': no file). Default: fastbackprop-output/<data>.fbp.",
        HelpName = "FILE",
    };

    readonly Option<string?> _plot = new("--plot")
    {
        Description = "The SVG chart of loss and accuracy per epoch ('none': no chart). Default: fastbackprop-output/<data>-curves.svg.",
        HelpName = "FILE.svg",
    };

    /// <summary>Creates the option set; <see cref="Command"/> or <see cref="AddTo"/> uses it.</summary>
    public TrainCommand(Option<bool> json)
    {
        Json = json;
    }

    /// <summary>The shared <c>--json</c> option.</summary>
    public Option<bool> Json { get; }

    /// <summary>The <c>train</c> subcommand.</summary>
    public Command Create(CliContext context)
    {
        var command = new Command("train", "Train a network (default: 784-128-10 on the embedded MNIST digits), show its progress, save the model and the curves.");
        AddTo(command);
        command.Options.Add(Json);
        command.SetAction((parse, cancellationToken) => Task.FromResult(TrainRun.Execute(Read(parse), context, cancellationToken)));
        return command;
    }

    /// <summary>Adds every option of <c>train</c> to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        _data.AddTo(command);
        command.Options.Add(_layers);
        command.Options.Add(_loss);
        command.Options.Add(_outputActivation);
        command.Options.Add(_optimizer);
        command.Options.Add(_learningRate);
        command.Options.Add(_momentum);
        command.Options.Add(_weightDecay);
        command.Options.Add(_batchSize);
        command.Options.Add(_epochs);
        command.Options.Add(_targetLoss);
        command.Options.Add(_allCorrect);
        command.Options.Add(_patience);
        command.Options.Add(_timeBudget);
        command.Options.Add(_validationSplit);
        command.Options.Add(_seed);
        command.Options.Add(_threads);
        command.Options.Add(_out);
        command.Options.Add(_plot);
    }

    /// <summary>The settings the parsed options make.</summary>
    public TrainSettings Read(ParseResult parse) => new()
    {
        Data = _data.Read(parse),
        Layers = parse.GetValue(_layers) ?? "128:relu",
        Loss = parse.GetValue(_loss),
        OutputActivation = parse.GetValue(_outputActivation),
        Optimizer = parse.GetValue(_optimizer) ?? "adam",
        LearningRate = parse.GetValue(_learningRate),
        Momentum = parse.GetValue(_momentum),
        WeightDecay = parse.GetValue(_weightDecay),
        BatchSize = parse.GetValue(_batchSize),
        Epochs = parse.GetValue(_epochs),
        TargetLoss = parse.GetValue(_targetLoss),
        StopWhenAllCorrect = parse.GetValue(_allCorrect),
        Patience = parse.GetValue(_patience),
        TimeBudgetSeconds = parse.GetValue(_timeBudget),
        ValidationSplit = parse.GetValue(_validationSplit),
        Seed = parse.GetValue(_seed),
        Threads = parse.GetValue(_threads),
        ModelPath = parse.GetValue(_out),
        PlotPath = parse.GetValue(_plot),
        Json = parse.GetValue(Json),
    };
}
