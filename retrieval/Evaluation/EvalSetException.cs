namespace CaravanBot.Retrieval.Evaluation;

/// <summary>Thrown when an evaluation set cannot be read or one of its lines is malformed.</summary>
public sealed class EvalSetException : Exception
{
    /// <summary>Creates the exception with a one-line message that names the file and, when known, the line.</summary>
    public EvalSetException(string message, int? lineNumber = null, Exception? inner = null)
        : base(message, inner)
    {
        LineNumber = lineNumber;
    }

    /// <summary>The 1-based line at fault, or null when the whole file is at fault.</summary>
    public int? LineNumber { get; }
}
