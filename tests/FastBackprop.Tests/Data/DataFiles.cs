using System;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace FastBackprop.Tests.Data;

/// <summary>Helpers the data reader tests share: the checked-in MNIST files, gzip, and text as streams.</summary>
internal static class DataFiles
{
    public static string Mnist(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "mnist", name);

    /// <summary>Gzips with the framework's compressor, independently of the reader under test.</summary>
    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(raw);
        }

        return output.ToArray();
    }

    public static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));
}
