using System.Globalization;
using System.Text.RegularExpressions;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Bot.Moderation;

/// <summary>Why a citation line of a correction was refused.</summary>
public enum CitationProblem
{
    /// <summary>Not written as <c>¶N: quoted text</c>.</summary>
    Format,

    /// <summary>The paragraph number is outside the article.</summary>
    NoSuchParagraph,

    /// <summary>The quote is not verbatim text of that paragraph (or only inside other words).</summary>
    NotVerbatim,

    /// <summary>The quote is verbatim but smaller than <see cref="CitationMinimum"/> allows.</summary>
    TooShort,
}

/// <summary>The first citation line that failed, and why.</summary>
/// <param name="Line">1-based line number in the field as typed (blank lines count).</param>
/// <param name="Text">The line, or for <see cref="CitationProblem.NotVerbatim"/> the quote.</param>
/// <param name="Problem">What is wrong.</param>
/// <param name="Paragraph">The paragraph it names (0 for a format problem).</param>
public sealed record CitationFailure(int Line, string Text, CitationProblem Problem, int Paragraph);

/// <summary>The citations of a correction, verified, or the first line that failed.</summary>
/// <param name="Citations">Every cited span (empty when none were given), set only on success.</param>
/// <param name="Failure">The failed line; null on success.</param>
public sealed record CitationCheck(IReadOnlyList<LoggedCitation> Citations, CitationFailure? Failure)
{
    /// <summary>True when every line was verbatim.</summary>
    public bool IsValid => Failure is null;
}

/// <summary>
/// Reads a moderator's citations, one a line as <c>¶N: quoted text</c> (<c>¶</c> optional, <c>:</c>
/// or <c>-</c> after the number), and proves each quote is verbatim text of paragraph N by finding
/// its span (first occurrence on word boundaries), as answers' own quotes are, and that it is large
/// enough to check (<see cref="CitationMinimum"/>: five words or a whole sentence). Surrounding
/// quotation marks are accepted when the text inside them is verbatim. Anything else is refused, so a
/// correction never shows a quote the article does not contain, nor one too small to mean anything.
/// </summary>
public static partial class CorrectionCitations
{
    /// <summary>Most citations one correction may carry (an answer shows at most a handful).</summary>
    public const int MaxCitations = 10;

    /// <summary>Parses and verifies <paramref name="lines"/> against <paramref name="article"/>.</summary>
    public static CitationCheck Verify(string? lines, Article article)
    {
        ArgumentNullException.ThrowIfNull(article);
        var citations = new List<LoggedCitation>();
        var number = 0;
        foreach (var raw in (lines ?? string.Empty).Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var match = CitationLine().Match(line);
            if (!match.Success
                || !int.TryParse(match.Groups["paragraph"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var paragraphNumber)
                || citations.Count >= MaxCitations)
            {
                return Failed(number, line, CitationProblem.Format, 0);
            }

            var quote = match.Groups["quote"].Value;
            if (article.GetParagraph(paragraphNumber) is not { } paragraph)
            {
                return Failed(number, line, CitationProblem.NoSuchParagraph, paragraphNumber);
            }

            if (Find(paragraph, quote) is not { } citation)
            {
                return Failed(number, quote, CitationProblem.NotVerbatim, paragraphNumber);
            }

            if (!CitationMinimum.IsMet(paragraph, citation.Start, citation.End))
            {
                return Failed(number, citation.Quote, CitationProblem.TooShort, paragraphNumber);
            }

            citations.Add(citation);
        }

        return new CitationCheck(citations, null);
    }

    /// <summary>
    /// Re-checks stored citations against <paramref name="article"/> before they are shown again: each
    /// must still be verbatim at its span and large enough to check.
    /// </summary>
    public static bool StillHold(IReadOnlyList<LoggedCitation> citations, Article article)
    {
        ArgumentNullException.ThrowIfNull(citations);
        ArgumentNullException.ThrowIfNull(article);
        return citations.All(c => CitationMinimum.IsMet(article, new Citation(c.Paragraph, c.Quote, c.Start, c.End)));
    }

    /// <summary>The span of <paramref name="quote"/> in the paragraph, trying it as typed, then without surrounding quotation marks.</summary>
    private static LoggedCitation? Find(Paragraph paragraph, string quote)
    {
        foreach (var candidate in new[] { quote, Unquote(quote) })
        {
            if (candidate.Length == 0)
            {
                continue;
            }

            var start = CitationMinimum.IndexOnWordBoundaries(paragraph.Text, candidate);
            if (start >= 0)
            {
                return new LoggedCitation(paragraph.Number, candidate, start, start + candidate.Length);
            }
        }

        return null;
    }

    private static string Unquote(string quote) =>
        quote.Length >= 2 && IsOpening(quote[0]) && IsClosing(quote[^1]) ? quote[1..^1].Trim() : quote;

    private static bool IsOpening(char c) => c is '"' or '“' or '«' or '\'' or '‘';

    private static bool IsClosing(char c) => c is '"' or '”' or '»' or '\'' or '’';

    private static CitationCheck Failed(int line, string text, CitationProblem problem, int paragraph) =>
        new([], new CitationFailure(line, text, problem, paragraph));

    [GeneratedRegex(@"^¶?\s*(?<paragraph>\d{1,6})\s*[:\-–—]\s*(?<quote>\S.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex CitationLine();
}
