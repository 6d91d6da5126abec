using System.Globalization;
using System.Text.RegularExpressions;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Bot.Moderation;

/// <summary>Why a citation line of a correction was refused.</summary>
public enum CitationProblem
{
    /// <summary>Not written as <c>¶N: quoted text</c>.</summary>
    Format,

    /// <summary>The paragraph number is outside the article.</summary>
    NoSuchParagraph,

    /// <summary>The quote is not verbatim text of that paragraph.</summary>
    NotVerbatim,
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
/// its span (first occurrence), as answers' own quotes are. Surrounding quotation marks are accepted
/// when the text inside them is verbatim. Anything else is refused, so a correction never shows a
/// quote the article does not contain.
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

            citations.Add(citation);
        }

        return new CitationCheck(citations, null);
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

            var start = paragraph.Text.IndexOf(candidate, StringComparison.Ordinal);
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
