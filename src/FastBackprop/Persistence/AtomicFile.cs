using System;
using System.IO;

namespace FastBackprop.Persistence;

/// <summary>
/// Replaces a file atomically: writes a temporary file in the target's directory, flushes it to disk and renames
/// it over the target. A reader sees the old file or the new one, never a mixture, and a failure at any point
/// leaves the old file untouched and removes the temporary one.
/// </summary>
internal static class AtomicFile
{
    /// <param name="path">The file to replace (or create).</param>
    /// <param name="write">Writes the whole new content to the stream it is given.</param>
    /// <param name="wrapStream">A test seam: wraps the temporary file's stream before <paramref name="write"/> sees it.</param>
    public static void Write(string path, Action<Stream> write, Func<Stream, Stream>? wrapStream = null)
    {
        string target = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        if (Directory.Exists(target))
        {
            throw new ArgumentException($"Expected a file path, but '{path}' is a directory.", nameof(path));
        }

        // Same directory, so that the rename stays within one file system and is atomic; a random name, so that
        // concurrent saves to one target do not write into each other's temporary file.
        string temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1))
            {
                Stream stream = wrapStream?.Invoke(file) ?? file;
                write(stream);
                stream.Flush();

                // Data on the disk before the rename makes it visible: otherwise a crash soon after the rename
                // could leave the target name pointing at an empty or partial file.
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original exception is the one that matters.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
