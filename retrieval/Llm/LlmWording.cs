using System.Text.RegularExpressions;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Retrieval.Llm;

/// <summary>
/// The model's one-line wording as a reader may see it. It is shown above verified quotes, so it must
/// never pass for one: wording with a ¶ or "paragraph 9" reference, a quotation block, or quotation
/// marks around more than <see cref="MaxQuotedWords"/> words is dropped whole (the neutral lead-in is
/// shown instead). What is left loses every link form (Markdown links, nested or not, autolinks
/// <c>&lt;https://…&gt;</c>, bare <c>https://…</c>, <c>www.…</c>, invites such as <c>discord.gg/…</c>,
/// domains with a path), every mention, control character and bidirectional control, becomes one
/// line, and is cut to <see cref="MaxLength"/> between text elements. Markdown is escaped where it is
/// shown (Discord), as for readers' questions.
/// </summary>
public static partial class LlmWording
{
    /// <summary>Longest wording shown, in UTF-16 units.</summary>
    public const int MaxLength = 400;

    /// <summary>More words than this between quotation marks would read as a quote of the article.</summary>
    public const int MaxQuotedWords = 3;

    /// <summary>The wording as it may be shown, or an empty string when it must not be shown at all.</summary>
    public static string Clean(string? answer)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return string.Empty;
        }

        var text = VisibleText.Plain(answer);
        text = RemoveMarkdownLinks(text);
        text = LinkForms().Replace(text, " ");
        text = DiscordMention().Replace(text, " ");
        text = MassMention().Replace(text, " ");
        text = Whitespace().Replace(text, " ").Trim();
        if (text.Length == 0 || LooksLikeCitation(text))
        {
            return string.Empty;
        }

        return VisibleText.Cut(text, MaxLength);
    }

    /// <summary>True for wording a reader could take for a quote of the article.</summary>
    internal static bool LooksLikeCitation(string text) =>
        text.StartsWith('>')
        || text.Contains('¶', StringComparison.Ordinal)
        || text.Contains('§', StringComparison.Ordinal)
        || ParagraphReference().IsMatch(text)
        || QuotesTooMuch(text);

    /// <summary>[text](url) → text, innermost first, so nested links <c>[[x](y)](z)</c> lose every address.</summary>
    private static string RemoveMarkdownLinks(string text)
    {
        for (var i = 0; i < 10; i++)
        {
            var next = MarkdownLink().Replace(text, "$1");
            if (next == text)
            {
                break;
            }

            text = next;
        }

        return text;
    }

    private static bool QuotesTooMuch(string text)
    {
        // Double quotation marks of every script toggle in and out of a quotation; an unclosed one runs to the end.
        var inside = false;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && !IsDoubleQuote(text[i]))
            {
                continue;
            }

            if (inside && CitationWords(text.AsSpan(start, i - start)) > MaxQuotedWords)
            {
                return true;
            }

            inside = !inside;
            start = i + 1;
        }

        foreach (Match match in SingleQuoted().Matches(text))
        {
            if (CitationWords(match.Groups["inner"].ValueSpan) > MaxQuotedWords)
            {
                return true;
            }
        }

        return false;
    }

    private static int CitationWords(ReadOnlySpan<char> text) => Answering.CitationMinimum.CountWords(text);

    private static bool IsDoubleQuote(char c) => c is '"' or '“' or '”' or '„' or '‟' or '«' or '»' or '＂' or '〝' or '〞' or '〟';

    [GeneratedRegex(@"!?\[([^\[\]]*)\]\([^()]*(?:\([^()]*\)[^()]*)*\)", RegexOptions.CultureInvariant)]
    private static partial Regex MarkdownLink();

    // Autolinks, anything with a scheme, www., invite hosts, domains followed by a path, and bare domains
    // on the top-level domains links are usually made of.
    [GeneratedRegex(
        @"<[^<>\s]*[:.][^<>\s]*>"
        + @"|\b[a-z][a-z0-9+.\-]*://\S*"
        + @"|\b(?:mailto|javascript|data|tel|file|steam|discord):\S+"
        + @"|\bwww\.\S+"
        + @"|\b(?:discord(?:app)?\.(?:gg|com|io|me)|dsc\.gg|discord\.new)\S*"
        + @"|\b(?:[a-z0-9\-]+\.)+[a-z]{2,}/\S*"
        + @"|\b(?:[a-z0-9\-]+\.)+(?:com|net|org|gg|io|co|ly|me|info|biz|xyz|app|dev|link|site|online|shop|click|top|ru|cn|tk|uk|us|de|fr)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LinkForms();

    [GeneratedRegex(@"<(?:@[!&]?|#|/|:|a:|t:)[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex DiscordMention();

    [GeneratedRegex(@"@(?:everyone|here)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MassMention();

    [GeneratedRegex(@"\b(?:para(?:graph)?s?|par|pp?)\.?\s*#?\d", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ParagraphReference();

    // ‘…’, ‚…‘, ‹…› and '…' opening at the start of a word and closing at the end of one (not apostrophes);
    // an opening ‘ with no closing mark runs to the end.
    [GeneratedRegex(@"(?<![\p{L}\p{N}])(?:'(?<inner>[^']*?)'(?![\p{L}\p{N}])|[‘‚‛‹](?<inner>[^’‘‛›]*?)(?:[’‛›](?![\p{L}\p{N}])|$))", RegexOptions.CultureInvariant)]
    private static partial Regex SingleQuoted();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
