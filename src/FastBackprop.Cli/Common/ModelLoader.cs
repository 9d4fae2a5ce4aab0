using System.IO;
using FastBackprop.Networks;
using FastBackprop.Persistence;

namespace FastBackprop.Cli.Common;

/// <summary>Opens a model file for <c>eval</c> and <c>predict</c>, with one-line errors for the usual mistakes.</summary>
internal static class ModelLoader
{
    /// <summary>The float network saved in <paramref name="path"/>.</summary>
    /// <exception cref="CliException">No such file, or a double-precision model.</exception>
    public static Network<float> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"--model: no model file at '{path}' (train writes one: fastbackprop train --out {path}).");
        }

        ModelFileInfo info = ModelFile.ReadHeader(path);
        if (info.ElementType != ModelElementType.Float32)
        {
            throw new CliException($"--model: '{path}' holds a {info.ElementType} network; the command-line tool works in float32.");
        }

        return ModelFile.Load<float>(path);
    }
}
