namespace FastBackprop.Cli.Commands.GradCheck;

/// <summary>How one block of parameters (a layer's weights or biases) compares with central differences.</summary>
/// <param name="Layer">The layer, 0 first.</param>
/// <param name="Block">"weights" or "biases".</param>
/// <param name="Count">Parameters compared.</param>
/// <param name="MaxAbsoluteError">max |analytic − numeric|.</param>
/// <param name="MaxRelativeError">max |analytic − numeric| / max(|analytic|, |numeric|) over entries not both near 0.</param>
/// <param name="Failures">Entries outside the tolerance.</param>
internal sealed record GradientCheckRow(int Layer, string Block, int Count, double MaxAbsoluteError, double MaxRelativeError, int Failures);
