using FastBackprop.Networks;

namespace FastBackprop.Peers;

/// <summary>One fused training step (forward, backward, SGD update), as <c>TrainStepBench</c> times it.</summary>
internal readonly struct TrainingStep(Network<float> network, Workspace<float> workspace, float[] inputs, float[] targets, float learningRate) : IStep
{
    public void Run() => network.TrainStep(inputs, targets, workspace, learningRate);
}
