using System.Globalization;

namespace CaravanBot.Retrieval.Ingestion;

/// <summary>
/// How large one article may be. Every paragraph and sentence is embedded when an article is indexed,
/// so the size of an article is the time to index it: a long feature runs to a few hundred paragraphs
/// and well under 200,000 characters, and 2,000 paragraphs already take seconds on two cores. A file
/// beyond these bounds is a mistake (a dump, a log, a book), refused at once rather than indexed for minutes.
/// </summary>
public static class ArticleLimits
{
    /// <summary>Most paragraphs kept from one article.</summary>
    public const int MaxParagraphs = 2_000;

    /// <summary>Most characters of kept story text in one article.</summary>
    public const int MaxCharacters = 500_000;

    /// <summary>Throws when the kept paragraphs are more than an article can be.</summary>
    /// <exception cref="ArticleLoadException">Too many paragraphs or characters.</exception>
    internal static void ThrowIfTooLarge(IReadOnlyCollection<string> paragraphs, string source)
    {
        if (paragraphs.Count > MaxParagraphs)
        {
            throw new ArticleLoadException(string.Create(
                CultureInfo.InvariantCulture,
                $"Article '{source}' has {paragraphs.Count:N0} paragraphs; an article may have at most {MaxParagraphs:N0}."));
        }

        var characters = paragraphs.Sum(p => (long)p.Length);
        if (characters > MaxCharacters)
        {
            throw new ArticleLoadException(string.Create(
                CultureInfo.InvariantCulture,
                $"Article '{source}' has {characters:N0} characters of text; an article may have at most {MaxCharacters:N0}."));
        }
    }
}
