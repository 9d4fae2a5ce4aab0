using System;
using FastBackprop.Kernels;
using Xunit;

namespace FastBackprop.Tests.Isa;

/// <summary>
/// CI runs the suite once per ISA leg, each selected by environment variables. FASTBACKPROP_EXPECT_ISA names
/// the level a leg is meant to run at; this test fails a leg that silently got another one (for example
/// DOTNET_EnableAVX512F, which .NET 10 ignores, instead of DOTNET_EnableAVX512).
/// </summary>
public class IsaGuardTests
{
    [Fact]
    public void Leg_runs_at_the_level_it_claims()
    {
        string? expected = Environment.GetEnvironmentVariable("FASTBACKPROP_EXPECT_ISA");
        if (string.IsNullOrEmpty(expected))
        {
            return;
        }

        var level = Enum.Parse<IsaLevel>(expected, ignoreCase: true);
        var hardware = HardwareLevel();
        if (level > hardware)
        {
            // This CPU cannot reach the leg's level at all: then the leg must run at the best it has.
            Assert.Equal(hardware, FastBackprop.Kernels.Isa.Active);
            return;
        }

        Assert.Equal(level, FastBackprop.Kernels.Isa.Active);
    }

    [Theory]
    [InlineData(null, IsaLevel.V512, IsaLevel.V512)]
    [InlineData("", IsaLevel.V256, IsaLevel.V256)]
    [InlineData("V128", IsaLevel.V512, IsaLevel.V128)]
    [InlineData("scalar", IsaLevel.V256, IsaLevel.Scalar)]
    [InlineData("V512", IsaLevel.V256, IsaLevel.V256)]
    [InlineData("AVX9000", IsaLevel.V512, IsaLevel.V512)]
    [InlineData("7", IsaLevel.V512, IsaLevel.V512)]
    public void The_switch_lowers_but_never_raises(string? requested, IsaLevel best, IsaLevel expected) =>
        Assert.Equal(expected, FastBackprop.Kernels.Isa.Choose(requested, best));

    // What the processor and runtime offer, read independently of Isa.Best.
    static IsaLevel HardwareLevel() =>
        System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? IsaLevel.V512 :
        System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? IsaLevel.V256 :
        System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated ? IsaLevel.V128 : IsaLevel.Scalar;
}
