namespace FastBackprop.Optimizers;

/// <summary>The two improved Rprop rules of Igel and Hüsken (2000).</summary>
public enum RpropVariant
{
    /// <summary>
    /// iRPROP−: on a sign change the step size shrinks and the parameter does not move. FANN's default training
    /// algorithm (<c>FANN_TRAIN_RPROP</c>).
    /// </summary>
    IRpropMinus,

    /// <summary>
    /// iRPROP+: as iRPROP−, but on a sign change the previous move is also taken back when the error rose since the
    /// last step (weight-backtracking). It needs the loss: pass it to
    /// <see cref="IOptimizer{T}.Step(System.Span{T}, System.ReadOnlySpan{T}, T)"/>.
    /// </summary>
    IRpropPlus,
}
