using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Retrieval.Ingestion;

/// <summary>Thrown when an article is missing, unreadable, or has no story text left after cleaning.</summary>
public sealed class ArticleLoadException : Exception
{
    /// <summary>Creates the exception with a one-line, user-facing message.</summary>
    public ArticleLoadException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// Reads an article from plain text or a saved HTML page into numbered paragraphs,
/// dropping publisher boilerplate and repairing glued sentences.
/// </summary>
public static class ArticleReader
{
    /// <summary>Reads a file; <c>.html</c>/<c>.htm</c> (or content that looks like HTML) is parsed as a web page.</summary>
    public static Article ReadFile(string path) => throw new NotImplementedException();

    /// <summary>Reads plain text: one paragraph per line, or paragraphs separated by blank lines.</summary>
    public static Article ReadText(string text, string source) => throw new NotImplementedException();

    /// <summary>Reads a saved news page and keeps its main article content.</summary>
    public static Article ReadHtml(string html, string source) => throw new NotImplementedException();
}
