using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;

namespace FastBackprop.Internal;

/// <summary>
/// Marks a workspace busy for one call of its network, so that a second thread sharing the workspace is refused
/// before it writes anything: two calls in one workspace would overwrite each other's activations, states and
/// gradients. One atomic compare-exchange per call (a few nanoseconds, measured with the W1 step). A mutable
/// struct, kept as a (non-readonly) field of the workspace it guards.
/// </summary>
internal struct CallGuard
{
    int _inUse;

    /// <summary>Begins a call, or throws when another call is running; <paramref name="factory"/> names where a thread gets its own workspace.</summary>
    /// <exception cref="InvalidOperationException">Another call is running in this workspace.</exception>
    public void Acquire(string factory)
    {
        if (Interlocked.CompareExchange(ref _inUse, 1, 0) != 0)
        {
            ThrowInUse(factory);
        }
    }

    /// <summary>Ends the call that <see cref="Acquire"/> began.</summary>
    public void Release() => Volatile.Write(ref _inUse, 0);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void ThrowInUse(string factory) =>
        throw new InvalidOperationException(
            "Expected the workspace to be idle, but another call is running in it: a workspace serves one thread at a time. " +
            $"Give each thread its own workspace ({factory}); threads may share the network itself for inference.");
}
