using System;
using System.Numerics;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastBackprop.Layers;
using FastBackprop.Losses;
using FastBackprop.Networks;
using Xunit;

namespace FastBackprop.Tests.Networks;

/// <summary>
/// A large parameter vector (85,000 bytes and more) starts on a 64-byte boundary, in float and double, and
/// stays there through a compacting collection: the batch-1 kernels stream the weights with vector loads and
/// stores, which split across two cache lines when a row does not start on one. Small vectors are ordinary
/// arrays (see Network's remark). A large workspace's buffers (outputs, deltas, logits, gradients) each start on
/// a boundary too, whatever the sizes before them.
/// </summary>
public unsafe class ParameterAlignmentTests
{
    [Theory]
    [InlineData(784, 128, 10)]   // W2: 101,770 parameters
    [InlineData(333, 67, 5)]     // 22,718: 90,872 bytes in float
    [InlineData(1, 7_083, 1)]    // 21,250: exactly 85,000 bytes in float
    public void Large_parameter_vectors_start_on_a_cache_line_and_stay_there(int inputs, int hidden, int outputs)
    {
        AssertAligned(Create<float>(inputs, hidden, outputs));
        AssertAligned(Create<double>(inputs, hidden, outputs));
    }

    [Fact]
    public void Every_buffer_of_a_workspace_starts_on_a_cache_line_and_stays_there()
    {
        // Odd unit counts and batch sizes, so that buffers laid end to end would fall off their lines; 22,718
        // parameters, so that the workspace (which holds a gradient as long) is large enough to be aligned.
        var net = new Network<float>(333, Loss.SquaredError, new LayerSpec(67, Activation.Sigmoid), new LayerSpec(5, Activation.Identity));
        using Workspace<float> workspace = net.CreateWorkspace(maxBatch: 5, threads: 1);
        AssertBuffersAligned(net, workspace);

        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        AssertBuffersAligned(net, workspace);
    }

    static void AssertBuffersAligned(Network<float> net, Workspace<float> workspace)
    {
        for (int l = 0; l < net.LayerCount; l++)
        {
            Assert.Equal(0u, Address(workspace.Outputs(l, 5)) % 64);
            Assert.Equal(0u, Address(workspace.Deltas(l, 5)) % 64);
        }

        Assert.Equal(0u, Address(workspace.Logits(5)) % 64);
        Assert.Equal(0u, Address(workspace.Gradients) % 64);
    }

    static Network<T> Create<T>(int inputs, int hidden, int outputs)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        new(inputs, Loss.SquaredError, new LayerSpec(hidden, Activation.Sigmoid), new LayerSpec(outputs, Activation.Identity));

    static void AssertAligned<T>(Network<T> net)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Assert.Equal(0u, Address(net.Parameters) % 64);

        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        Assert.Equal(0u, Address(net.Parameters) % 64);
    }

    static nuint Address<T>(Span<T> span) => (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(span));
}
