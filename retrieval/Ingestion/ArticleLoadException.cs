namespace CaravanBot.Retrieval.Ingestion;

/// <summary>Thrown when an article is missing, unreadable, or has no story text left after cleaning.</summary>
public sealed class ArticleLoadException : Exception
{
    /// <summary>Creates the exception with a one-line, user-facing message.</summary>
    public ArticleLoadException(string message, Exception? inner = null) : base(message, inner) { }
}
