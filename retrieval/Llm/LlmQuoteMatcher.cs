using System.Text;
using System.Text.RegularExpressions;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Retrieval.Llm;

/// <summary>
/// Turns a model's quote into verbatim citations, or nothing. The only leniency is the one models
/// show without changing meaning: runs of whitespace, and typographic versus straight quote marks.
/// Each match is mapped back to the exact span of the paragraph, so every citation passes
/// <see cref="QuoteVerifier.IsVerbatim"/>. A quote shortened with an ellipsis becomes one citation per
/// segment, the segments in the paragraph's order; if any segment is not in the paragraph the whole
/// quote is rejected, because the model would be misquoting.
/// </summary>
public static partial class LlmQuoteMatcher
{
    // Shorter segments ("the", "a ...") match almost any paragraph and prove nothing.
    private const int MinimumSegmentLength = 4;

    /// <summary>The verbatim citations for <paramref name="quote"/>, or an empty list when it is not article text.</summary>
    public static IReadOnlyList<Citation> Match(Article article, LlmQuote quote)
    {
        ArgumentNullException.ThrowIfNull(article);
        ArgumentNullException.ThrowIfNull(quote);
        if (article.GetParagraph(quote.Paragraph) is not { } paragraph || string.IsNullOrWhiteSpace(quote.Quote))
        {
            return [];
        }

        var (text, map) = Normalize(paragraph.Text);
        var segments = Ellipsis().Split(TrimWrappingQuotes(quote.Quote))
            .Select(s => Normalize(s).Text)
            .Where(s => s.Length > 0)
            .ToArray();
        if (segments.Length == 0)
        {
            return [];
        }

        var citations = new List<Citation>();
        var from = 0;
        foreach (var segment in segments)
        {
            if (segment.Length < MinimumSegmentLength || !segment.Any(char.IsLetterOrDigit))
            {
                return [];
            }

            var at = text.IndexOf(segment, from, StringComparison.Ordinal);
            if (at < 0)
            {
                return [];
            }

            // Segments start and end on non-whitespace (they are trimmed), so both ends map to real characters.
            var start = map[at];
            var end = map[at + segment.Length - 1] + 1;
            citations.Add(new Citation(paragraph.Number, paragraph.Text[start..end], start, end));
            from = at + segment.Length;
        }

        return citations;
    }

    /// <summary>
    /// The text with typographic quotes straightened and whitespace runs collapsed to one space
    /// (trimmed), and for each character of it the index of the original character it came from.
    /// </summary>
    internal static (string Text, int[] Map) Normalize(string original)
    {
        var text = new StringBuilder(original.Length);
        var map = new List<int>(original.Length);
        var pendingSpace = -1;
        for (var i = 0; i < original.Length; i++)
        {
            var c = original[i];
            if (char.IsWhiteSpace(c))
            {
                if (pendingSpace < 0)
                {
                    pendingSpace = i;
                }

                continue;
            }

            if (pendingSpace >= 0 && text.Length > 0)
            {
                text.Append(' ');
                map.Add(pendingSpace);
            }

            pendingSpace = -1;
            text.Append(c switch
            {
                '\u201C' or '\u201D' or '\u201E' or '\u201F' => '"',
                '\u2018' or '\u2019' or '\u201A' or '\u201B' => '\'',
                _ => c,
            });
            map.Add(i);
        }

        return (text.ToString(), map.ToArray());
    }

    private static string TrimWrappingQuotes(string segment)
    {
        // Models often wrap a quote in quotation marks of their own; those are not part of the article text.
        var trimmed = segment.Trim();
        return trimmed.Length >= 2 && IsQuoteMark(trimmed[0]) && IsQuoteMark(trimmed[^1]) ? trimmed[1..^1] : trimmed;
    }

    private static bool IsQuoteMark(char c) => c is '"' or '\u201C' or '\u201D' or '\u201E';

    [GeneratedRegex(@"\s*(?:\[\s*)?(?:…|\.\.\.)(?:\s*\])?\s*")]
    private static partial Regex Ellipsis();
}
