using FastBackprop.Networks;

namespace FastBackprop.Peers;

/// <summary>One inference call (W5), outputs copied out, as <c>TrainStepBench</c> times it.</summary>
internal readonly struct InferenceStep(Network<float> network, Workspace<float> workspace, float[] inputs, float[] outputs) : IStep
{
    public void Run() => network.Predict(inputs, outputs, workspace);
}
