namespace FastBackprop.Data;

/// <summary>How a reader turns a class label into a sample's targets.</summary>
public enum LabelEncoding
{
    /// <summary>One output per class: 1 for the sample's class, 0 elsewhere (for softmax or sigmoid outputs).</summary>
    OneHot,

    /// <summary>One output holding the class number itself (0, 1, 2, …) as a value.</summary>
    Index,
}
