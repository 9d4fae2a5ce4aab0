namespace FastBackprop.Peers;

/// <summary>One timed unit of work: a training step, or for W5 an inference call.</summary>
/// <remarks>Implemented by structs and passed as a generic argument, so that the JIT inlines the call into the timing loop.</remarks>
internal interface IStep
{
    /// <summary>Runs the step once.</summary>
    void Run();
}
