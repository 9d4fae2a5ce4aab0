namespace FastBackprop.Kernels.Elementwise;

/// <summary>The slope of leaky ReLU for negative inputs.</summary>
public static class LeakyReluSlope
{
    /// <summary>0.01, the value PyTorch's <c>nn.LeakyReLU</c> and most papers use.</summary>
    public const double Value = 0.01;
}
