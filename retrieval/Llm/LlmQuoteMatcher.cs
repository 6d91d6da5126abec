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
/// quote is rejected, because the model would be misquoting. So is a quote with a segment too small
/// to check (<see cref="CitationMinimum"/>: fewer than five words and not a whole sentence, or cut
/// inside a word), since "help" or "rder" proves nothing about what the article says.
/// </summary>
public static partial class LlmQuoteMatcher
{
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
            if (!segment.Any(char.IsLetterOrDigit)
                || Find(paragraph, text, map, segment, from) is not { } found
                || !CitationMinimum.IsMet(paragraph, found.Start, found.End))
            {
                return [];
            }

            var (at, start, end) = found;
            citations.Add(new Citation(paragraph.Number, paragraph.Text[start..end], start, end));
            from = at + segment.Length;
        }

        return citations;
    }

    /// <summary>
    /// The first occurrence of <paramref name="segment"/> in the normalised text at or after
    /// <paramref name="from"/> whose span in the paragraph starts and ends on word boundaries.
    /// </summary>
    private static (int At, int Start, int End)? Find(Paragraph paragraph, string text, int[] map, string segment, int from)
    {
        for (var at = text.IndexOf(segment, from, StringComparison.Ordinal); at >= 0; at = text.IndexOf(segment, at + 1, StringComparison.Ordinal))
        {
            // Segments start and end on non-whitespace (they are trimmed), so both ends map to real characters.
            var start = map[at];
            var end = map[at + segment.Length - 1] + 1;
            if (CitationMinimum.IsWordBoundary(paragraph.Text, start) && CitationMinimum.IsWordBoundary(paragraph.Text, end))
            {
                return (at, start, end);
            }
        }

        return null;
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
