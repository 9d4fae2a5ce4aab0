using System.Globalization;

namespace FastBackprop.Cli;

/// <summary>The <c>fastbackprop</c> command; with no arguments it trains the embedded MNIST digits.</summary>
internal static class Program
{
    static int Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        return CliApplication.Run(args, CliContext.FromConsole());
    }
}
