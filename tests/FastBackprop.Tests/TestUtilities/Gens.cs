using FastBackprop.Layers;
using FastBackprop.Losses;
using FsCheck;
using FsCheck.Fluent;

namespace FastBackprop.Tests.TestUtilities;

/// <summary>FsCheck generators for the network properties.</summary>
internal static class Gens
{
    static readonly Activation[] s_hidden =
        [Activation.Identity, Activation.Sigmoid, Activation.Tanh, Activation.Relu, Activation.LeakyRelu];

    static readonly Activation[] s_squaredErrorOutputs =
        [Activation.Identity, Activation.Sigmoid, Activation.Tanh, Activation.Relu, Activation.LeakyRelu, Activation.Softmax];

    /// <summary>
    /// 1-4 layers of 1-70 units (half the draws below 12, so narrow layers and odd widths are common), a random
    /// hidden activation per layer, every loss with every output activation it accepts, batch 1-33. Cases whose
    /// full finite-difference check would exceed <paramref name="maxCost"/> multiply-adds are redrawn.
    /// </summary>
    public static Gen<GradientCase> GradientCases(long maxCost) =>
        (from layers in Gen.Choose(1, 4)
         from inputs in Width()
         from widths in Gen.ArrayOf(Width(), layers)
         from hidden in Gen.ArrayOf(Gen.Elements(s_hidden), layers)
         from loss in Gen.Elements(Loss.SquaredError, Loss.SoftmaxCrossEntropy, Loss.SigmoidBinaryCrossEntropy)
         from seOutput in Gen.Elements(s_squaredErrorOutputs)
         from batch in Gen.Choose(1, 33)
         from seed in Gen.Choose(0, 1_000_000)
         select Build(inputs, widths, hidden, loss, seOutput, batch, seed))
        .Where(c => c.CheckCost <= maxCost);

    static Gen<int> Width() => Gen.OneOf(Gen.Choose(1, 11), Gen.Choose(1, 70));

    static GradientCase Build(int inputs, int[] widths, Activation[] hidden, Loss loss, Activation seOutput, int batch, int seed)
    {
        var activations = (Activation[])hidden.Clone();
        activations[^1] = loss switch
        {
            Loss.SoftmaxCrossEntropy => Activation.Softmax,
            Loss.SigmoidBinaryCrossEntropy => Activation.Sigmoid,
            _ => seOutput,
        };
        return new GradientCase(inputs, widths, activations, loss, batch, seed);
    }
}
