using System.Globalization;
using System.Text;

namespace CaravanBot.Retrieval.Articles;

/// <summary>
/// What may reach a terminal or a chat window: control characters (ESC clears a screen and sets a
/// window title, BEL rings, NUL cuts a line) and bidirectional overrides (which reorder what a reader
/// sees, so "exe.txt" can show as "txt.exe") never do. Text that is not a quote loses them; a verbatim
/// quote shows <see cref="Marker"/> in their place, one for one, so the reader sees that something
/// invisible sat there and the quote's length and spans stay those of the article.
/// </summary>
public static class VisibleText
{
    /// <summary>Shown where a control character or a bidirectional override sat inside a quote.</summary>
    public const char Marker = '\uFFFD';

    /// <summary>
    /// The bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069).
    /// The plain marks (LRM, RLM, ALM) stay: right-to-left text needs them and they reorder nothing on their own.
    /// </summary>
    public static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    /// <summary>C0 and C1 control characters, DEL, and the line and paragraph separators.</summary>
    public static bool IsControl(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    /// <summary>True when <paramref name="text"/> holds nothing <see cref="Plain"/> or <see cref="Quote"/> would change.</summary>
    public static bool IsSafe(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (IsControl(c) || IsBidiControl(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Text that is not a quote (a question, a model's wording, a name, an error): bidirectional controls
    /// removed, control characters (line breaks included) turned into spaces.
    /// </summary>
    public static string Plain(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsSafe(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (IsBidiControl(c))
            {
                continue;
            }

            builder.Append(IsControl(c) ? ' ' : c);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Verbatim text (a quote, a paragraph): every control character and bidirectional control becomes
    /// <see cref="Marker"/>, one for one.
    /// </summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsSafe(text))
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (IsControl(chars[i]) || IsBidiControl(chars[i]))
            {
                chars[i] = Marker;
            }
        }

        return new string(chars);
    }

    /// <summary>
    /// At most <paramref name="maxLength"/> UTF-16 units of <paramref name="text"/>, cut between text
    /// elements (never inside an emoji, a surrogate pair or a letter with its accents), at the last space
    /// when that keeps at least half, and ending with "…" when cut.
    /// </summary>
    public static string Cut(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        if (text.Length <= maxLength)
        {
            return text;
        }

        var budget = maxLength - 1;
        var kept = 0;
        var lastSpace = -1;
        while (kept < text.Length)
        {
            var length = StringInfo.GetNextTextElementLength(text.AsSpan(kept));
            if (kept + length > budget)
            {
                break;
            }

            if (char.IsWhiteSpace(text[kept]))
            {
                lastSpace = kept;
            }

            kept += length;
        }

        var end = lastSpace > budget / 2 ? lastSpace : kept;
        return text[..end].TrimEnd() + "…";
    }
}
