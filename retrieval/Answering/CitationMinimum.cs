using System.Globalization;
using System.Text;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Retrieval.Answering;

/// <summary>
/// The smallest quote a reader can check: at least <see cref="MinimumWords"/> words, or a whole
/// sentence of the paragraph, starting and ending on word boundaries. "help" or "rder" is verbatim
/// text of a paragraph about helping at the border, yet proves nothing about what the article says;
/// a clause does. Every citation a reader sees meets this, whoever chose it: the model, a moderator, or
/// retrieval (which quotes whole sentences).
/// </summary>
public static class CitationMinimum
{
    /// <summary>Words a quote needs unless it is a whole sentence ("He refused." is one).</summary>
    public const int MinimumWords = 5;

    /// <summary>True when <paramref name="citation"/> is verbatim and meets the minimum (see <see cref="IsMet(Paragraph, int, int)"/>).</summary>
    public static bool IsMet(Article article, Citation citation)
    {
        ArgumentNullException.ThrowIfNull(article);
        ArgumentNullException.ThrowIfNull(citation);
        return QuoteVerifier.IsVerbatim(article, citation) && IsMet(article.GetParagraph(citation.Paragraph)!, citation.Start, citation.End);
    }

    /// <summary>
    /// True when <c>paragraph.Text[start..end]</c> starts and ends on word boundaries and has at least
    /// <see cref="MinimumWords"/> words or covers a whole sentence of the paragraph.
    /// </summary>
    public static bool IsMet(Paragraph paragraph, int start, int end)
    {
        ArgumentNullException.ThrowIfNull(paragraph);
        var text = paragraph.Text;
        if (start < 0 || end > text.Length || start >= end || !IsWordBoundary(text, start) || !IsWordBoundary(text, end))
        {
            return false;
        }

        return CountWords(text.AsSpan(start, end - start)) >= MinimumWords || CoversSentence(paragraph, start, end);
    }

    /// <summary>
    /// Where <paramref name="quote"/> first occurs in <paramref name="text"/> at or after <paramref name="from"/>
    /// starting and ending on word boundaries (so "aid" is not found inside "said"); -1 when it does not.
    /// </summary>
    public static int IndexOnWordBoundaries(string text, string quote, int from = 0)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(quote);
        if (quote.Length == 0)
        {
            return -1;
        }

        for (var at = text.IndexOf(quote, from, StringComparison.Ordinal); at >= 0; at = text.IndexOf(quote, at + 1, StringComparison.Ordinal))
        {
            if (IsWordBoundary(text, at) && IsWordBoundary(text, at + quote.Length))
            {
                return at;
            }
        }

        return -1;
    }

    /// <summary>
    /// True between two characters that are not both part of one word (letters, digits and their marks),
    /// and never inside a surrogate pair.
    /// </summary>
    public static bool IsWordBoundary(string text, int index)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (index <= 0 || index >= text.Length)
        {
            return index == 0 || index == text.Length;
        }

        if (char.IsLowSurrogate(text[index]) && char.IsHighSurrogate(text[index - 1]))
        {
            return false;
        }

        var before = Rune.DecodeLastFromUtf16(text.AsSpan(0, index), out var previous, out _) == System.Buffers.OperationStatus.Done ? previous : Rune.ReplacementChar;
        var after = Rune.DecodeFromUtf16(text.AsSpan(index), out var next, out _) == System.Buffers.OperationStatus.Done ? next : Rune.ReplacementChar;
        return !(IsWordRune(before) && IsWordRune(after));
    }

    /// <summary>Whitespace-separated pieces that hold a letter or a digit ("8,000-strong" is one word, "—" none).</summary>
    public static int CountWords(ReadOnlySpan<char> text)
    {
        var words = 0;
        var inWord = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                inWord = false;
            }
            else if (!inWord && char.IsLetterOrDigit(c))
            {
                words++;
                inWord = true;
            }
        }

        return words;
    }

    private static bool IsWordRune(Rune rune) =>
        Rune.IsLetterOrDigit(rune)
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    private static bool CoversSentence(Paragraph paragraph, int start, int end)
    {
        if (start == 0 && end == paragraph.Text.Length)
        {
            return true;
        }

        foreach (var sentence in paragraph.Sentences)
        {
            var sentenceEnd = sentence.End;
            while (sentenceEnd > sentence.Start && char.IsWhiteSpace(paragraph.Text[sentenceEnd - 1]))
            {
                sentenceEnd--;
            }

            if (start <= sentence.Start && sentenceEnd <= end && sentence.Start < sentenceEnd)
            {
                return true;
            }
        }

        return false;
    }
}
