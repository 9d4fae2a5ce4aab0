using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using FastBackprop.Persistence;
using Xunit;
using Xunit.Abstractions;

namespace FastBackprop.Tests.Persistence;

/// <summary>
/// Mutates valid model files 12,000 ways (bit flips, truncations, splices, random headers, forged counts,
/// insertions and deletions; half of them with the checksum recomputed, so that the mutation reaches the
/// structural and value checks behind it) and loads each one. Every outcome must be success or an
/// InvalidDataException: no other exception type, no hang, and no allocation beyond a bound derived from the
/// file's length.
/// </summary>
public class ModelFileFuzzTests(ITestOutputHelper output)
{
    const int Cases = 12_000;

    // Buffers, hash state and exception messages take a few kilobytes whatever the file; everything a file can
    // ask for (layers, parameters, checkpoint arrays) is bounded by a small multiple of its length.
    const long FixedAllowance = 128 * 1024;
    const long PerFileByte = 16;

    enum Mutation { BitFlips, Truncation, Splice, RandomHeader, ForgedInt32, InsertDelete }

    [Fact]
    public void Mutated_files_load_or_throw_InvalidDataException_and_nothing_else()
    {
        byte[][] seeds =
        [
            ModelFiles.FixtureBytes("worked-example-v1.fbp"),
            ModelFiles.FixtureBytes("worked-example-checkpoint-v1.fbp"),
            ModelFiles.Save(ModelFiles.Random<float>(seed: 1), ModelFiles.Checkpoint(ModelFiles.Random<float>(seed: 1), seed: 2)),
            ModelFiles.Save(ModelFiles.Random<double>(seed: 3, Losses.Loss.SigmoidBinaryCrossEntropy)),
        ];

        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var perMutation = new int[Enum.GetValues<Mutation>().Length];
        int loaded = 0;
        Exception? failure = null;
        var watch = Stopwatch.StartNew();

        // On its own thread so that a hang fails the test instead of stalling the run.
        var worker = new Thread(() =>
        {
            try
            {
                var random = new Random(20261202);
                for (int i = 0; i < Cases; i++)
                {
                    byte[] seed = seeds[random.Next(seeds.Length)];
                    var mutation = (Mutation)(i % perMutation.Length);
                    bool fixChecksum = random.Next(2) == 0;
                    byte[] file = Mutate(seed, seeds[random.Next(seeds.Length)], mutation, random);
                    if (fixChecksum)
                    {
                        file = ModelFiles.WithChecksum(file);
                    }

                    perMutation[(int)mutation]++;
                    string outcome = LoadOnce(file, i, mutation, fixChecksum);
                    if (outcome == "loaded")
                    {
                        loaded++;
                    }

                    outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        worker.Start();
        Assert.True(worker.Join(TimeSpan.FromMinutes(2)), "The fuzz loop did not finish in 2 minutes: a load hangs.");
        if (failure is not null)
        {
            throw new Xunit.Sdk.XunitException(failure.Message, failure);
        }

        output.WriteLine($"{Cases} mutated files in {watch.ElapsedMilliseconds} ms; {loaded} loaded, {Cases - loaded} refused with InvalidDataException.");
        foreach (Mutation m in Enum.GetValues<Mutation>())
        {
            output.WriteLine($"  {m}: {perMutation[(int)m]}");
        }

        var sorted = new List<KeyValuePair<string, int>>(outcomes);
        sorted.Sort((a, b) => b.Value.CompareTo(a.Value));
        foreach (KeyValuePair<string, int> kv in sorted)
        {
            output.WriteLine($"  {kv.Value,6}  {kv.Key}");
        }

        // The mutations must reach every layer of checks, not stop at the first: these kinds all occur.
        string[] reached =
        [
            "loaded",
            "The data are not a FastBackprop model file",
            "The model file has format version # newer than this library reads",
            "The model file is truncated or a count in it is wrong",
            "The model file's checksum does not match its contents",
            "The model file stores a parameter count of #",
            "The model file has # unexpected bytes after its last section",
            "The model file's layer # has activation #",
            "The checkpoint's random state has length #",
        ];
        foreach (string kind in reached)
        {
            Assert.Contains(outcomes.Keys, k => k.StartsWith(kind, StringComparison.Ordinal));
        }

        Assert.Contains(outcomes.Keys, k => k.Contains("NaN", StringComparison.Ordinal) || k.Contains("finite", StringComparison.Ordinal));
    }

    /// <summary>Loads <paramref name="file"/> as float and as double and reads its header; returns what happened.</summary>
    static string LoadOnce(byte[] file, int index, Mutation mutation, bool fixedChecksum)
    {
        string outcome = "";
        long bound = FixedAllowance + (PerFileByte * file.Length);
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var stream = new MemoryStream(file, writable: false);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                _ = attempt switch
                {
                    0 => ModelFile.Load<float>(stream, out _).ParameterCount,
                    1 => ModelFile.Load<double>(stream, out _).ParameterCount,
                    _ => ModelFile.ReadHeader(stream).ParameterCount,
                };
                if (attempt < 2)
                {
                    outcome = "loaded";
                }
            }
            catch (InvalidDataException e)
            {
                if (attempt < 2 && outcome != "loaded" && !e.Message.Contains("being loaded as", StringComparison.Ordinal))
                {
                    outcome = Category(e.Message);
                }
            }
            catch (Exception e)
            {
                throw new InvalidOperationException(
                    $"Case {index} ({mutation}, checksum {(fixedChecksum ? "recomputed" : "as mutated")}, {file.Length} bytes: {Convert.ToHexString(file)}) threw {e.GetType().Name}: {e.Message}", e);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated > bound)
            {
                throw new InvalidOperationException(
                    $"Case {index} ({mutation}) allocated {allocated} bytes loading a {file.Length}-byte file; the bound is {bound}. File: {Convert.ToHexString(file)}");
            }
        }

        return outcome == "" ? "refused as the other element type only" : outcome;
    }

    /// <summary>The message up to its first colon, with every word that holds a digit made '#', so that outcomes group by kind.</summary>
    static string Category(string message)
    {
        int colon = message.IndexOf(": ", StringComparison.Ordinal);
        string head = colon > 0 ? message[..colon] : message;
        string[] words = head.Split(' ');
        for (int i = 0; i < words.Length; i++)
        {
            if (words[i].AsSpan().IndexOfAnyInRange('0', '9') >= 0)
            {
                words[i] = "#";
            }
        }

        return string.Join(' ', words, 0, Math.Min(words.Length, 14));
    }

    static byte[] Mutate(byte[] seed, byte[] other, Mutation mutation, Random random)
    {
        byte[] file = (byte[])seed.Clone();
        switch (mutation)
        {
            case Mutation.BitFlips:
                for (int k = random.Next(1, 5); k > 0; k--)
                {
                    file[random.Next(file.Length)] ^= (byte)(1 << random.Next(8));
                }

                return file;

            case Mutation.Truncation:
                return file.AsSpan(0, random.Next(file.Length)).ToArray();

            case Mutation.Splice:
                {
                    // Replace a range of this file with a range of another, of a different length if it happens.
                    int start = random.Next(file.Length);
                    int cut = random.Next(file.Length - start + 1);
                    int from = random.Next(other.Length);
                    int take = random.Next(Math.Min(64, other.Length - from) + 1);
                    var spliced = new List<byte>(file.Length + take);
                    spliced.AddRange(file.AsSpan(0, start));
                    spliced.AddRange(other.AsSpan(from, take));
                    spliced.AddRange(file.AsSpan(start + cut));
                    return spliced.ToArray();
                }

            case Mutation.RandomHeader:
                {
                    // Random bytes over the header, keeping the magic and the version half of the time each so that
                    // the fields behind them are reached.
                    int length = Math.Min(file.Length, random.Next(8, 72));
                    int from = random.Next(2) == 0 ? 8 : 0;
                    if (from == 8 && random.Next(2) == 0)
                    {
                        from = 10;
                    }

                    random.NextBytes(file.AsSpan(from, Math.Max(0, length - from)));
                    return file;
                }

            case Mutation.ForgedInt32:
                {
                    // An extreme or plausible count at a four-byte boundary, where the header's and the checkpoint's
                    // counts live.
                    int[] values = [0, 1, -1, 2, 3, 5, 12, 255, 256, 257, 65536, 1 << 20, 46341, int.MaxValue, int.MinValue, int.MaxValue / 8];
                    int offset = random.Next(file.Length / 4) * 4;
                    int value = random.Next(3) == 0 ? random.Next() : values[random.Next(values.Length)];
                    if (offset + 4 <= file.Length)
                    {
                        BitConverter.TryWriteBytes(file.AsSpan(offset), value);
                    }

                    return file;
                }

            default:
                {
                    int at = random.Next(file.Length);
                    int n = random.Next(1, 9);
                    if (random.Next(2) == 0)
                    {
                        var inserted = new byte[file.Length + n];
                        file.AsSpan(0, at).CopyTo(inserted);
                        random.NextBytes(inserted.AsSpan(at, n));
                        file.AsSpan(at).CopyTo(inserted.AsSpan(at + n));
                        return inserted;
                    }

                    n = Math.Min(n, file.Length - at);
                    var deleted = new byte[file.Length - n];
                    file.AsSpan(0, at).CopyTo(deleted);
                    file.AsSpan(at + n).CopyTo(deleted.AsSpan(at));
                    return deleted;
                }
        }
    }
}
