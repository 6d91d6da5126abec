using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Bot.Features;

/// <summary>
/// Makes reader and article text safe to show in a Discord message: markdown escaped, mentions
/// neutralised, and cut to a length limit without splitting a character (never inside a surrogate
/// pair or a grapheme cluster), preferring a word boundary and ending with an ellipsis.
/// </summary>
public static partial class DiscordText
{
    /// <summary>What a cut text ends with.</summary>
    public const string Ellipsis = "…";

    /// <summary>Inserted after <c>@</c> so that <c>@everyone</c> or <c>&lt;@123&gt;</c> no longer reads as a mention.</summary>
    public const char ZeroWidthSpace = '\u200B';

    // Everything Discord markdown gives a meaning to anywhere in a line of reader text, including the
    // line-start markers (> # -) because a question becomes its own line in an embed.
    private static readonly SearchValues<char> AllMarkdown = SearchValues.Create("\\*_~`|>#-[]()");

    // Inside our own layout (a quote after "> “") line-start markers are inert: escaping only what
    // changes text mid-line keeps "8,000-strong" and "(1,600km)" as the article prints them.
    private static readonly SearchValues<char> InlineMarkdown = SearchValues.Create("\\*_~`|[]");

    /// <summary>
    /// Reader-typed text (a question, a model's wording) for one line of a message: control characters
    /// and line breaks become spaces, bidirectional controls are dropped, mentions are neutralised, all
    /// markdown is escaped, and the result fits <paramref name="maxLength"/> (cut at a word boundary
    /// with <see cref="Ellipsis"/>).
    /// </summary>
    public static string ReaderLine(string text, int maxLength) =>
        Fit(NeutraliseMentions(CollapseWhitespace(text)), maxLength, AllMarkdown);

    /// <summary>
    /// Verbatim article text inside the bot's own layout: line breaks become spaces and bidirectional
    /// controls <see cref="VisibleText.Marker"/> (character for character, so what is shown stays the
    /// article's text and the reader sees where something invisible sat), mentions are neutralised,
    /// inline markdown is escaped, and the result fits <paramref name="maxLength"/>.
    /// </summary>
    public static string ArticleText(string text, int maxLength) =>
        Fit(NeutraliseMentions(MarkBidi(ControlToSpace(text))), maxLength, InlineMarkdown);

    /// <summary>
    /// Trusted text (our own wording, a moderator's correction) cut to <paramref name="maxLength"/>;
    /// nothing is escaped, but control characters other than line breaks become spaces and bidirectional
    /// controls are dropped.
    /// </summary>
    public static string Plain(string text, int maxLength) => Fit(WithoutControls(text), maxLength, escaped: null);

    /// <summary>The length <see cref="ArticleText"/> would have with no limit.</summary>
    public static int ArticleTextLength(string text) => EscapedLength(NeutraliseMentions(MarkBidi(ControlToSpace(text))), InlineMarkdown);

    /// <summary>
    /// Inserts a zero-width space after the <c>@</c> of <c>@everyone</c>, <c>@here</c> and the
    /// <c>&lt;@id&gt;</c>, <c>&lt;@!id&gt;</c>, <c>&lt;@&amp;id&gt;</c> forms (also when invisible characters
    /// are slipped in between), so the text shows as typed but can never ping, whatever
    /// <c>allowed_mentions</c> a future change sends.
    /// </summary>
    public static string NeutraliseMentions(string text) =>
        text.Contains('@', StringComparison.Ordinal) ? MentionStart().Replace(text, "$0" + ZeroWidthSpace) : text;

    /// <summary>Replaces control characters (line breaks, tabs, escapes) with spaces, one for one.</summary>
    public static string ControlToSpace(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]))
            {
                chars[i] = ' ';
            }
        }

        return new string(chars);
    }

    /// <summary>True when <paramref name="text"/> has nothing a reader could see: only whitespace, control and format (zero-width) characters.</summary>
    public static bool IsBlank(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c) && !char.IsControl(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format)
            {
                return false;
            }
        }

        return true;
    }

    private static string CollapseWhitespace(string text) => Whitespace().Replace(VisibleText.Plain(text), " ").Trim();

    private static string MarkBidi(string text) => text.Any(VisibleText.IsBidiControl) ? VisibleText.Quote(text) : text;

    private static string WithoutControls(string text)
    {
        if (VisibleText.IsSafe(text))
        {
            return text;
        }

        // Line breaks are layout in our own messages; everything else a terminal or client acts on goes.
        return string.Join('\n', text.Split('\n').Select(VisibleText.Plain));
    }

    private static int EscapedLength(ReadOnlySpan<char> text, SearchValues<char>? escaped)
    {
        var length = text.Length;
        if (escaped is not null)
        {
            foreach (var c in text)
            {
                if (escaped.Contains(c))
                {
                    length++;
                }
            }
        }

        return length;
    }

    /// <summary>
    /// Escapes <paramref name="text"/> and keeps it within <paramref name="maxLength"/>. When it must be
    /// cut, whole text elements are kept (an escape is never separated from its character), the cut
    /// goes back to the last space unless that would give up more than half of the room (one very long
    /// word or address), and <see cref="Ellipsis"/> is appended: what is shown, unescaped, is always a
    /// prefix of <paramref name="text"/> followed by the ellipsis.
    /// </summary>
    private static string Fit(string text, int maxLength, SearchValues<char>? escaped)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, Ellipsis.Length);
        if (EscapedLength(text, escaped) <= maxLength)
        {
            return Escape(text, escaped, text.Length);
        }

        var budget = maxLength - Ellipsis.Length;
        var kept = 0;
        var keptLength = 0;
        var lastSpace = -1;
        while (kept < text.Length)
        {
            var elementLength = StringInfo.GetNextTextElementLength(text.AsSpan(kept));
            var element = text.AsSpan(kept, elementLength);
            var escapedLength = EscapedLength(element, escaped);
            if (keptLength + escapedLength > budget)
            {
                break;
            }

            if (char.IsWhiteSpace(element[0]))
            {
                lastSpace = kept;
            }

            kept += elementLength;
            keptLength += escapedLength;
        }

        var end = lastSpace > 0 && lastSpace >= kept / 2 ? lastSpace : kept;
        while (end > 0 && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return Escape(text, escaped, end) + Ellipsis;
    }

    private static string Escape(string text, SearchValues<char>? escaped, int length)
    {
        if (escaped is null || text.AsSpan(0, length).IndexOfAny(escaped) < 0)
        {
            return text[..length];
        }

        var builder = new StringBuilder(length + 16);
        foreach (var c in text.AsSpan(0, length))
        {
            if (escaped.Contains(c))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    // "@" before everyone/here, and "<@" before an id, "!id" or "&id", with any invisible format
    // characters (zero-width joiners, word joiners) in between.
    [GeneratedRegex(@"(?:@(?=\p{Cf}*(?:everyone|here))|<\p{Cf}*@(?=\p{Cf}*[!&]?\p{Cf}*\d))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MentionStart();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
