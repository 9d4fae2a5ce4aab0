using System;
using System.Numerics;
using FastBackprop.Internal;
using FastBackprop.Kernels;

namespace FastBackprop.Optimizers;

/// <summary>
/// What every optimizer here shares: the checks on the spans, the learning rate and the step counter, and the one
/// state buffer, allocated in the constructor. The update rules derive from it; it cannot be derived from outside
/// the library.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public abstract class Optimizer<T> : IOptimizer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    readonly T[] _state;
    T _learningRate;
    long _stepCount;

    private protected Optimizer(int parameterCount, double learningRate, int stateVectors, int extraState, string learningRateName = "learningRate")
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw ThrowHelper.UnsupportedElementType<T>();
        }

        // Initialise the ISA gates before any kernel is compiled, so tier-1 code sees them as constants.
        _ = Isa.Active;

        if (parameterCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(parameterCount), parameterCount, "Expected a parameter count of 0 or more.");
        }

        long length = ((long)stateVectors * parameterCount) + extraState;
        if (length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(parameterCount), parameterCount, $"The optimizer's state would need {length} elements, more than one array holds ({Array.MaxLength}).");
        }

        ParameterCount = parameterCount;
        T rate = T.CreateTruncating(learningRate);
        if (!T.IsFinite(rate) || rate <= T.Zero)
        {
            ThrowHelper.ArgumentOutOfRange(learningRateName, learningRate, $"Expected a positive, finite learning rate (in {typeof(T).Name}), but got {learningRate}.");
        }

        _learningRate = rate;
        _state = new T[length];
    }

    /// <inheritdoc/>
    public int ParameterCount { get; }

    /// <inheritdoc/>
    public T LearningRate
    {
        get => _learningRate;
        set
        {
            if (!T.IsFinite(value) || value <= T.Zero)
            {
                ThrowHelper.ArgumentOutOfRange(nameof(value), value, $"Expected a positive, finite learning rate, but got {value}.");
            }

            _learningRate = value;
        }
    }

    /// <inheritdoc/>
    public long StepCount
    {
        get => _stepCount;
        set
        {
            if (value < 0)
            {
                ThrowHelper.ArgumentOutOfRange(nameof(value), value, "Expected a step count of 0 or more.");
            }

            _stepCount = value;
        }
    }

    /// <inheritdoc/>
    public Span<T> State => _state;

    /// <inheritdoc/>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradients)
    {
        CheckLengths(parameters, gradients);
        Update(parameters, gradients, T.Zero, hasLoss: false);
        _stepCount++;
    }

    /// <inheritdoc/>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradients, T loss)
    {
        CheckLengths(parameters, gradients);
        if (!T.IsFinite(loss))
        {
            ThrowHelper.ArgumentOutOfRange(nameof(loss), loss, "Expected a finite loss.");
        }

        Update(parameters, gradients, loss, hasLoss: true);
        _stepCount++;
    }

    /// <inheritdoc/>
    public void Reset()
    {
        Array.Clear(_state);
        InitializeState(_state);
        _stepCount = 0;
    }

    /// <summary>The rule itself; the spans have been checked.</summary>
    private protected abstract void Update(Span<T> parameters, ReadOnlySpan<T> gradients, T loss, bool hasLoss);

    /// <summary>Sets the state that is not zero after a reset (Rprop's step sizes); <paramref name="state"/> is zero.</summary>
    private protected virtual void InitializeState(Span<T> state)
    {
    }

    /// <summary>The value in [0, 1) as <typeparamref name="T"/>, checked after rounding (0.99999999 is 1 in float).</summary>
    private protected static T CheckFraction(double value, string name)
    {
        T rounded = T.CreateTruncating(value);
        if (!(rounded >= T.Zero && rounded < T.One))
        {
            ThrowHelper.ArgumentOutOfRange(name, value, $"Expected {name} in [0, 1) (after rounding to {typeof(T).Name}), but got {value}.");
        }

        return rounded;
    }

    /// <summary>The value as <typeparamref name="T"/>, checked to be finite and at least 0 (or above 0 when <paramref name="positive"/>).</summary>
    private protected static T CheckNonNegative(double value, string name, bool positive = false)
    {
        T rounded = T.CreateTruncating(value);
        if (!T.IsFinite(rounded) || rounded < T.Zero || (positive && rounded == T.Zero))
        {
            ThrowHelper.ArgumentOutOfRange(name, value, $"Expected {name} to be a finite number {(positive ? "above" : "of at least")} 0 (in {typeof(T).Name}), but got {value}.");
        }

        return rounded;
    }

    void CheckLengths(Span<T> parameters, ReadOnlySpan<T> gradients)
    {
        if (parameters.Length != ParameterCount)
        {
            ThrowHelper.LengthMismatch(nameof(parameters), $"{ParameterCount} parameters (the optimizer's ParameterCount)", parameters.Length);
        }

        if (gradients.Length != ParameterCount)
        {
            ThrowHelper.LengthMismatch(nameof(gradients), $"{ParameterCount} gradients (the optimizer's ParameterCount)", gradients.Length);
        }
    }
}
