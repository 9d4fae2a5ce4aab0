using System;

namespace FastBackprop.Training;

/// <summary>
/// The trainer's shuffling generator: xoshiro256** (Blackman and Vigna, 2018) seeded through SplitMix64. Unlike
/// <see cref="Random"/>, its whole state is four words that can be read out and written back, so a checkpointed
/// run resumes with exactly the order an uninterrupted one would have drawn.
/// </summary>
internal sealed class ShuffleRandom
{
    /// <summary>Words of <see cref="SaveState"/> and <see cref="RestoreState"/>.</summary>
    public const int StateLength = 4;

    ulong _s0, _s1, _s2, _s3;

    /// <summary>Seeds the four words from successive SplitMix64 outputs of <paramref name="seed"/>, as the authors advise.</summary>
    public ShuffleRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>Starts from the given state words (not all zero), for tests against the reference outputs.</summary>
    public ShuffleRandom(ReadOnlySpan<ulong> state) => RestoreState(state);

    /// <summary>One SplitMix64 step (Steele, Lea and Flood, 2014): advances <paramref name="x"/> and returns its mix.</summary>
    public static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        ulong z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), without modulo bias (Lemire's multiply-and-reject).</summary>
    public int NextInt(int bound)
    {
        ulong range = (ulong)bound;
        UInt128 m = (UInt128)NextUInt64() * range;
        ulong low = (ulong)m;
        if (low < range)
        {
            ulong threshold = (0UL - range) % range;
            while (low < threshold)
            {
                m = (UInt128)NextUInt64() * range;
                low = (ulong)m;
            }
        }

        return (int)(ulong)(m >> 64);
    }

    /// <summary>Copies the four state words into <paramref name="destination"/> (length <see cref="StateLength"/>).</summary>
    public void SaveState(Span<ulong> destination)
    {
        destination[0] = _s0;
        destination[1] = _s1;
        destination[2] = _s2;
        destination[3] = _s3;
    }

    /// <summary>Sets the four state words; the all-zero state, from which xoshiro only emits zeros, is refused.</summary>
    /// <exception cref="ArgumentException">Not <see cref="StateLength"/> words, or all zero.</exception>
    public void RestoreState(ReadOnlySpan<ulong> state)
    {
        if (!IsValidState(state))
        {
            throw new ArgumentException($"Expected {StateLength} generator state words, not all zero; got {state.Length}.", nameof(state));
        }

        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
    }

    /// <summary>Whether <paramref name="state"/> is a usable state: <see cref="StateLength"/> words, not all zero.</summary>
    public static bool IsValidState(ReadOnlySpan<ulong> state) =>
        state.Length == StateLength && (state[0] | state[1] | state[2] | state[3]) != 0;
}
