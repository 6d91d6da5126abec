using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Retrieval.Answering;

/// <summary>Thrown when a quote is not verbatim text of the paragraph it cites: a bug, never a reply.</summary>
public sealed class QuoteVerificationException : Exception
{
    /// <summary>Creates the exception for one failed citation.</summary>
    public QuoteVerificationException(string message) : base(message) { }
}

/// <summary>Proves, before an answer leaves the answering code, that every quote is verbatim article text.</summary>
public static class QuoteVerifier
{
    /// <summary>True when <paramref name="citation"/> is exactly <c>paragraph.Text[Start..End]</c> of the cited paragraph.</summary>
    public static bool IsVerbatim(Article article, Citation citation)
    {
        var paragraph = article.GetParagraph(citation.Paragraph);
        return paragraph is not null
            && citation.Start >= 0
            && citation.End <= paragraph.Text.Length
            && citation.Start < citation.End
            && string.CompareOrdinal(paragraph.Text, citation.Start, citation.Quote, 0, citation.End - citation.Start) == 0
            && citation.Quote.Length == citation.End - citation.Start;
    }

    /// <summary>Throws <see cref="QuoteVerificationException"/> unless every citation is verbatim.</summary>
    public static void EnsureVerbatim(Article article, IEnumerable<Citation> citations)
    {
        foreach (var citation in citations)
        {
            if (!IsVerbatim(article, citation))
            {
                throw new QuoteVerificationException(
                    $"Quote for ¶{citation.Paragraph} [{citation.Start}..{citation.End}) is not verbatim text of that paragraph: \"{citation.Quote}\"");
            }
        }
    }
}
