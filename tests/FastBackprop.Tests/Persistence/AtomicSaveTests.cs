using System;
using System.IO;
using FastBackprop.Networks;
using FastBackprop.Persistence;
using FastBackprop.Training;
using Xunit;

namespace FastBackprop.Tests.Persistence;

/// <summary>
/// Saving to a path is atomic: a write that fails at any byte, or in the final flush, leaves the previous file
/// byte for byte as it was and no temporary file behind; a save that succeeds replaces the file whole.
/// </summary>
public sealed class AtomicSaveTests : IDisposable
{
    readonly string _directory = Directory.CreateTempSubdirectory("fbp-atomic-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_save_that_fails_at_any_point_leaves_the_previous_file_intact()
    {
        string path = Path.Combine(_directory, "model.fbp");
        Network<float> previous = ModelFiles.Random<float>(seed: 1);
        ModelFile.Save(path, previous);
        byte[] before = File.ReadAllBytes(path);

        Network<float> next = ModelFiles.Random<float>(seed: 2);
        TrainingCheckpoint<float> checkpoint = ModelFiles.Checkpoint(next, seed: 3);
        int length = ModelFiles.Save(next, checkpoint).Length;
        foreach (long failAfter in new long[] { 0, 1, 8, 100, length / 2, length - 33, length - 1 })
        {
            var e = Assert.Throws<IOException>(() => ModelFile.Save(path, next, checkpoint, stream => new FailingStream(stream, failAfter)));
            Assert.Contains("Simulated failure", e.Message);
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.Equal([path], Directory.GetFiles(_directory));
        }

        Assert.Throws<IOException>(() => ModelFile.Save(path, next, checkpoint, stream => new FailingStream(stream, long.MaxValue, failOnFlush: true)));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_directory));

        // The previous file still loads as what it was.
        ModelFileTests.AssertSame(previous, ModelFile.Load<float>(path));
    }

    [Fact]
    public void A_save_that_succeeds_replaces_the_file_and_leaves_nothing_else()
    {
        string path = Path.Combine(_directory, "model.fbp");
        ModelFile.Save(path, ModelFiles.Random<double>(seed: 1));
        Network<double> next = ModelFiles.Random<double>(seed: 2);
        ModelFile.Save(path, next, checkpoint: null, stream => new FailingStream(stream, long.MaxValue));
        ModelFileTests.AssertSame(next, ModelFile.Load<double>(path));
        Assert.Equal([path], Directory.GetFiles(_directory));
    }

    [Fact]
    public void A_save_into_a_missing_directory_or_onto_a_directory_creates_nothing()
    {
        string missing = Path.Combine(_directory, "no-such-directory", "model.fbp");
        Assert.Throws<DirectoryNotFoundException>(() => ModelFile.Save(missing, ModelFiles.Random<float>(seed: 1)));
        var e = Assert.Throws<ArgumentException>(() => ModelFile.Save(_directory, ModelFiles.Random<float>(seed: 1)));
        Assert.Equal("path", e.ParamName);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }
}
