using System.Text;

namespace CaravanBot.Retrieval.Ingestion;

/// <summary>
/// Character-level clean-up shared by the plain-text and HTML readers. Paragraph text is quoted
/// verbatim to readers, so only invisible or layout characters change: everything else
/// (curly quotes, accents, dashes) is kept exactly as in the source.
/// </summary>
internal static class TextCleaner
{
    /// <summary>Strips a leading byte-order mark and turns every line-break convention into <c>\n</c>.</summary>
    public static string NormalizeLineBreaks(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        if (text.AsSpan().IndexOfAny("\r\u0085\u2028\u2029") < 0)
        {
            return text;
        }

        return text
            .Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace('\r', '\n')
            .Replace('\u0085', '\n')
            .Replace('\u2028', '\n')
            .Replace('\u2029', '\n');
    }

    /// <summary>
    /// One paragraph's text: zero-width and control characters removed, every run of whitespace
    /// (tabs, NBSP and other Unicode spaces, line breaks) collapsed to one space, ends trimmed.
    /// </summary>
    public static string CleanParagraph(string text)
    {
        if (!NeedsCleaning(text))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (IsInvisible(c))
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (char.IsControl(c))
            {
                continue;
            }

            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>True when the line has nothing a reader would see.</summary>
    public static bool IsBlank(string line)
    {
        foreach (var c in line)
        {
            if (!char.IsWhiteSpace(c) && !char.IsControl(c) && !IsInvisible(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Zero-width space/joiners, word joiner, BOM and soft hyphen: they survive copy-paste from web
    /// pages, break exact-match search and are invisible when quoted.
    /// </summary>
    private static bool IsInvisible(char c) =>
        c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD';

    private static bool NeedsCleaning(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        if (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
        {
            return true;
        }

        var previousWasSpace = false;
        foreach (var c in text)
        {
            if (c == ' ')
            {
                if (previousWasSpace)
                {
                    return true;
                }

                previousWasSpace = true;
                continue;
            }

            previousWasSpace = false;
            if (char.IsWhiteSpace(c) || char.IsControl(c) || IsInvisible(c))
            {
                return true;
            }
        }

        return false;
    }
}
