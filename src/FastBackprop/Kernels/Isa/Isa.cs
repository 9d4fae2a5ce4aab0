using System;
using System.Runtime.Intrinsics;

namespace FastBackprop.Kernels;

/// <summary>
/// Decides once per process which vector width the kernels use. The environment variable
/// <c>FASTBACKPROP_ISA</c> (Scalar, V128, V256 or V512) can lower the level, never raise it,
/// so one machine can exercise every code path.
/// </summary>
public static class Isa
{
    /// <summary>The name of the environment variable that lowers <see cref="Active"/>.</summary>
    public const string EnvironmentVariable = "FASTBACKPROP_ISA";

    /// <summary>
    /// The best level the runtime accelerates. Decided on <c>VectorNNN.IsHardwareAccelerated</c>, not on
    /// <c>Avx512F.IsSupported</c>, because only the former honours the runtime's switches
    /// (DOTNET_EnableAVX512=0, DOTNET_PreferredVectorBitWidth).
    /// </summary>
    public static IsaLevel Best =>
        Vector512.IsHardwareAccelerated ? IsaLevel.V512 :
        Vector256.IsHardwareAccelerated ? IsaLevel.V256 :
        Vector128.IsHardwareAccelerated ? IsaLevel.V128 : IsaLevel.Scalar;

    /// <summary>The level every kernel in this process uses: <see cref="Best"/>, lowered by FASTBACKPROP_ISA.</summary>
    public static IsaLevel Active { get; } = Choose(Environment.GetEnvironmentVariable(EnvironmentVariable), Best);

    // Gates for the kernels. static readonly bools become JIT-time constants once the class is initialised,
    // so the branches on them cost nothing in tier-1 code; Network's constructor touches Active for that reason.
    internal static readonly bool Use512 = Active >= IsaLevel.V512;
    internal static readonly bool Use256 = Active >= IsaLevel.V256;
    internal static readonly bool Use128 = Active >= IsaLevel.V128;

    /// <summary>The level a request yields: the requested level if it is a known name not above <paramref name="best"/>, else <paramref name="best"/>.</summary>
    internal static IsaLevel Choose(string? requested, IsaLevel best) =>
        Enum.TryParse(requested, ignoreCase: true, out IsaLevel forced) && Enum.IsDefined(forced) && forced < best
            ? forced
            : best;
}
