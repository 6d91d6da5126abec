namespace CaravanBot.Bot.Features;

/// <summary>
/// The quotation marks shown around a quote from the article. A sentence that is itself someone's
/// words (<c>“We are going to help,” the president said.</c>) opens or closes with marks of its own;
/// ours around it would print <c>““We are going to help,”…”</c>. Such a quote is shown without ours:
/// its own marks and the quote block already say it is quoted, and its text stays verbatim.
/// </summary>
public static class QuoteMarks
{
    /// <summary>The mark put before a quote that has none of its own.</summary>
    public const string Open = "“";

    /// <summary>The mark put after it.</summary>
    public const string Close = "”";

    private const string BlockStart = "> ";

    /// <summary>The marks to put around <paramref name="quote"/>: “ and ”, or none when it opens or closes with a double quotation mark.</summary>
    public static (string Open, string Close) For(string quote) =>
        HasOwnMarks(quote) ? (string.Empty, string.Empty) : (Open, Close);

    /// <summary>
    /// <paramref name="quote"/> as a Discord quote block: "&gt; ", the marks it needs, and its text made safe
    /// and cut to at most <paramref name="maxLength"/> characters (<see cref="DiscordText.ArticleText"/>).
    /// </summary>
    public static string Block(string quote, int maxLength)
    {
        var (open, close) = For(quote);
        return BlockStart + open + DiscordText.ArticleText(quote, maxLength) + close;
    }

    /// <summary>The characters <see cref="Block"/> adds around the quote's text.</summary>
    public static int BlockOverhead(string quote)
    {
        var (open, close) = For(quote);
        return BlockStart.Length + open.Length + close.Length;
    }

    // A closing mark may sit before the sentence's last stop (“… said ‘no’.” in British style).
    private static bool HasOwnMarks(string quote)
    {
        var text = quote.AsSpan().Trim();
        if (text.IsEmpty)
        {
            return false;
        }

        var end = text.TrimEnd(".,;:!?)");
        return IsDoubleMark(text[0]) || (!end.IsEmpty && IsDoubleMark(end[^1]));
    }

    private static bool IsDoubleMark(char c) => c is '"' or '“' or '”' or '„' or '«' or '»';
}
