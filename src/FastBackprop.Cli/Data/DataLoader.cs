using System;
using System.IO;
using FastBackprop.Data;
using FastBackprop.Training;

namespace FastBackprop.Cli.Data;

/// <summary>
/// Turns a <see cref="DataRequest"/> into data sets with the library's readers (FastBackprop.Data): the embedded
/// MNIST digits, a directory of IDX files, a CSV file or a FANN .data file.
/// </summary>
internal static class DataLoader
{
    /// <summary>Loads the training set and, when there is one, the test set.</summary>
    /// <exception cref="CliException">The path does not exist or is of no known format.</exception>
    public static LoadedData Load(DataRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Limit is int limit && limit < 1)
        {
            throw new CliException($"--limit: expected a positive number of samples, got {limit}.");
        }

        bool csvOptions = request.LabelColumn is not null || request.ClassNames is not null || request.Regression;
        bool csv = request.Path is not null && !Directory.Exists(request.Path)
            && Path.GetExtension(request.Path).Equals(".csv", StringComparison.OrdinalIgnoreCase);
        if (csvOptions && !csv)
        {
            throw new CliException("--label, --class-names and --regression describe a CSV file; --data does not name one.");
        }

        LoadedData data = request.Path is null ? LoadEmbedded() : LoadPath(request, classCount: null);
        if (request.TestPath is not null)
        {
            if (request.Path is null)
            {
                throw new CliException("--test: a separate test file goes with --data; the embedded MNIST digits bring their own test set.");
            }

            // Classes are inferred from the training file; the test file must use the same ones, seen or not.
            int? classes = data.IsClassification ? data.Training.OutputCount : null;
            LoadedData test = LoadPath(request with { Path = request.TestPath, TestPath = null }, classes);
            data = data with { Test = test.Training };
        }

        if (data.Test is Dataset<float> t && (t.InputCount != data.Training.InputCount || t.OutputCount != data.Training.OutputCount))
        {
            throw new CliException(
                $"The test set has {t.InputCount} inputs and {t.OutputCount} outputs; the training set {data.Training.InputCount} and {data.Training.OutputCount}.");
        }

        if (request.Limit is int n)
        {
            data = data with
            {
                Training = DatasetSlicing.Take(data.Training, n),
                Test = data.Test is null ? null : DatasetSlicing.Take(data.Test, n),
            };
        }

        return data;
    }

    static LoadedData LoadEmbedded() =>
        new("mnist", EmbeddedMnist.Description, EmbeddedMnist.LoadTraining(), EmbeddedMnist.LoadTest(), IsClassification: true);

    static LoadedData LoadPath(DataRequest request, int? classCount)
    {
        string path = request.Path!;
        if (Directory.Exists(path))
        {
            return LoadIdxDirectory(path);
        }

        if (!File.Exists(path))
        {
            throw new CliException($"--data: no file or directory at '{path}'.");
        }

        string extension = Path.GetExtension(path).ToUpperInvariant();
        return extension switch
        {
            ".DATA" => LoadFann(path),
            ".CSV" => LoadCsv(path, request, classCount),
            _ => throw new CliException(
                $"--data: '{path}' is of no known format; expected a directory of IDX files, a .csv file or a FANN .data file."),
        };
    }

    static LoadedData LoadIdxDirectory(string directory)
    {
        string? trainImages = Find(directory, "train-images-idx3-ubyte");
        string? trainLabels = Find(directory, "train-labels-idx1-ubyte");
        if (trainImages is null || trainLabels is null)
        {
            throw new CliException(
                $"--data: the directory '{directory}' holds no train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz] pair.");
        }

        Dataset<float> training = IdxFile.LoadDataset<float>(trainImages, trainLabels, classCount: 10);
        string? testImages = Find(directory, "t10k-images-idx3-ubyte");
        string? testLabels = Find(directory, "t10k-labels-idx1-ubyte");
        Dataset<float>? test = testImages is not null && testLabels is not null
            ? IdxFile.LoadDataset<float>(testImages, testLabels, classCount: 10)
            : null;
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
        return new LoadedData(name, $"IDX files in {directory}", training, test, IsClassification: true);
    }

    static string? Find(string directory, string stem)
    {
        foreach (string candidate in new[] { stem + ".gz", stem })
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    static LoadedData LoadCsv(string path, DataRequest request, int? classCount)
    {
        string? label = request.LabelColumn?.Trim();
        bool byIndex = int.TryParse(label, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index);
        var options = new CsvDatasetOptions
        {
            Targets = request.Regression ? CsvTargets.Regression : CsvTargets.ClassLabel,
            TargetColumnIndex = byIndex ? index : null,
            TargetColumnName = label is not null && !byIndex ? label : null,
            ClassCount = request.Regression || request.ClassNames is not null ? null : classCount,
            ClassNames = request.Regression ? null : request.ClassNames,
        };
        if (request.Regression && request.ClassNames is not null)
        {
            throw new CliException("--class-names: class names go with class labels, not with --regression.");
        }

        Dataset<float> data = CsvDataset.Read<float>(path, options);
        string kind = request.Regression ? "numbers to fit" : $"{data.OutputCount} classes";
        return new LoadedData(Path.GetFileNameWithoutExtension(path), $"CSV file {path} ({kind})", data, null, !request.Regression);
    }

    static LoadedData LoadFann(string path)
    {
        Dataset<float> data = FannDataFile.Read<float>(path);
        string name = Path.GetFileNameWithoutExtension(path);
        return new LoadedData(name, $"FANN data file {path}", data, null, LooksLikeClasses(data));
    }

    /// <summary>
    /// True when every target is 0 or 1 and, with several outputs, each row has exactly one 1: classes, where accuracy
    /// means something. FANN files often code classes as -1/1 for tanh outputs; those train as numbers.
    /// </summary>
    static bool LooksLikeClasses(Dataset<float> data)
    {
        int outputs = data.OutputCount;
        for (int s = 0; s < data.SampleCount; s++)
        {
            int ones = 0;
            foreach (float t in data.TargetRow(s))
            {
                if (t == 1)
                {
                    ones++;
                }
                else if (t != 0)
                {
                    return false;
                }
            }

            if (outputs > 1 && ones != 1)
            {
                return false;
            }
        }

        return data.SampleCount > 0;
    }
}
