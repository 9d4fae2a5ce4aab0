using System.IO;
using FastBackprop.Networks;
using FastBackprop.Persistence;
using FastBackprop.Training;
using Xunit;

namespace FastBackprop.Tests.Persistence;

/// <summary>The calls the README's "Model files" section shows, run as shown (in a temporary directory).</summary>
public class ReadmeModelFileTests
{
    [Fact]
    public void The_readme_calls_save_load_read_the_header_export_and_import()
    {
        string directory = Directory.CreateTempSubdirectory("fbp-readme-").FullName;
        try
        {
            string fbp = Path.Combine(directory, "model.fbp"), npz = Path.Combine(directory, "model.npz");
            Network<float> net = ModelFiles.Random<float>(seed: 1);

            ModelFile.Save(fbp, net);
            Network<float> loaded = ModelFile.Load<float>(fbp);
            Network<float> again = ModelFile.Load<float>(fbp, out TrainingCheckpoint<float>? checkpoint);
            ModelFileInfo info = ModelFile.ReadHeader(fbp);
            NpzFile.Export(npz, net);
            NpzFile.Import(npz, again);

            ModelFileTests.AssertSame(net, loaded);
            ModelFileTests.AssertSame(net, again);
            Assert.Null(checkpoint);
            Assert.Equal(ModelElementType.Float32, info.ElementType);
            Assert.Equal(net.LayerCount, info.Layers.Count);
            Assert.False(info.HasCheckpoint);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
