using System;
using System.IO;
using System.Security.Cryptography;
using FastBackprop.Data;
using FastBackprop.Training;
using Xunit;

namespace FastBackprop.Tests.Data;

/// <summary>
/// The checked-in MNIST split (data/mnist) is what its README and script say: the recorded SHA-256s, 8,000 and
/// 2,000 images of 28 x 28, the per-digit counts of the split rule, labels not sorted, and pixels like MNIST's.
/// </summary>
public sealed class MnistDataTests
{
    // From data/mnist/README.md: the split rule applied to the package's per-digit counts (1001, 1127, 991, ...).
    static readonly int[] s_trainPerDigit = [801, 902, 793, 826, 784, 690, 811, 856, 755, 782];
    static readonly int[] s_testPerDigit = [200, 225, 198, 206, 196, 173, 203, 214, 189, 196];

    [Theory]
    [InlineData(IdxFile.TrainImagesFileName, "5c100f0b54018440118f00c61a951c8bf6c924bfc64383f215ee42b2a969f703")]
    [InlineData(IdxFile.TrainLabelsFileName, "ffb5a47963c26dd729c85004571fdc51af07e8061d7caf1ea77af9b7a4bd0154")]
    [InlineData(IdxFile.TestImagesFileName, "0a69fe7105a8a4b217b99d0663ae553300d904c7f04cf1c36e0264a07c2e9c85")]
    [InlineData(IdxFile.TestLabelsFileName, "452488f853a305d2814a25cee2715d782942a15e368a46caa3bc2c81e26e05fc")]
    public void Files_have_the_SHA256_the_README_records(string name, string sha256)
    {
        byte[] hash = SHA256.HashData(File.ReadAllBytes(DataFiles.Mnist(name)));
        Assert.Equal(sha256, Convert.ToHexStringLower(hash));
        Assert.Contains(sha256, File.ReadAllText(DataFiles.Mnist("README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void Training_set_has_8000_images_with_the_split_rules_digit_counts()
    {
        IdxArray images = IdxFile.Read(DataFiles.Mnist(IdxFile.TrainImagesFileName));
        IdxArray labels = IdxFile.Read(DataFiles.Mnist(IdxFile.TrainLabelsFileName));

        Assert.Equal([8000, 28, 28], images.Dimensions.ToArray());
        Assert.Equal(s_trainPerDigit, Histogram(labels));

        // The first labels as Python's gzip module reads them from the file: interleaved, not sorted.
        Assert.Equal([9, 3, 9, 0, 6, 4, 5, 0, 7, 8, 2, 6, 9, 5, 7, 8, 0, 3, 0, 1], labels.Data[..20].ToArray());
    }

    [Fact]
    public void Test_set_has_2000_images_with_the_split_rules_digit_counts()
    {
        using FileStream images = File.OpenRead(DataFiles.Mnist(IdxFile.TestImagesFileName));
        using FileStream labels = File.OpenRead(DataFiles.Mnist(IdxFile.TestLabelsFileName));

        Dataset<float> set = IdxFile.LoadDataset<float>(images, labels, classCount: 10);

        Assert.Equal(2000, set.SampleCount);
        Assert.Equal(784, set.InputCount);
        Assert.Equal(10, set.OutputCount);
        var perDigit = new int[10];
        for (int i = 0; i < set.SampleCount; i++)
        {
            ReadOnlySpan<float> row = set.TargetRow(i);
            int digit = row.IndexOf(1f);
            Assert.True(digit >= 0 && row.LastIndexOf(1f) == digit && row.Count(0f) == 9, $"row {i} is not one-hot");
            perDigit[digit]++;
        }

        Assert.Equal(s_testPerDigit, perDigit);
    }

    [Fact]
    public void Pixels_span_0_to_1_with_MNISTs_mean_intensity()
    {
        Dataset<float> set = IdxFile.LoadDataset<float>(
            DataFiles.Mnist(IdxFile.TrainImagesFileName), DataFiles.Mnist(IdxFile.TrainLabelsFileName));

        double min = double.MaxValue, max = double.MinValue, sum = 0;
        foreach (float v in set.Features)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            sum += v;
        }

        Assert.Equal(0, min);
        Assert.Equal(1, max);

        // MNIST's 60,000 training images average 0.1307 (the usual normalisation constant); 8,000 of them come close.
        Assert.Equal(0.1307, sum / set.Features.Length, 0.003);
    }

    static int[] Histogram(IdxArray labels)
    {
        var counts = new int[10];
        foreach (byte label in labels.Data)
        {
            counts[label]++;
        }

        return counts;
    }
}
