namespace FastBackprop.Recurrent.Sequence;

/// <summary>Where a call's sequence starts from.</summary>
public enum StateMode
{
    /// <summary>Every layer's hidden state (and LSTM cell state) starts at zero.</summary>
    Reset = 0,

    /// <summary>
    /// The state starts where the workspace's previous call on this network ended, so a long sequence can be fed
    /// in consecutive chunks. The batch must be the previous call's. No gradient flows back into the previous
    /// call: the carried state is a constant.
    /// </summary>
    Carry = 1,
}
