namespace FastBackprop.Recurrent.FixedPoint;

/// <summary>The two relaxations of Almeida-Pineda recurrent backpropagation.</summary>
public enum RelaxationPhase
{
    /// <summary>The state: x ← (1 − d)·x + d·f(x·W + s·V + b).</summary>
    Forward = 0,

    /// <summary>The adjoint: δ ← (1 − d)·δ + d·(g + f'(u*) ⊙ (δ·Wᵀ)).</summary>
    Backward = 1,
}
