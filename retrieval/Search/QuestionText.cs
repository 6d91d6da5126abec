using System.Text;
using System.Text.RegularExpressions;

namespace CaravanBot.Retrieval.Search;

/// <summary>
/// Cleans a reader's question for retrieval: removes Discord mentions (<c>@everyone</c>,
/// <c>&lt;@123&gt;</c>, <c>&lt;@&amp;123&gt;</c>, <c>&lt;#123&gt;</c>), invisible and control
/// characters, and bounds the length. The original question is kept for display; only this
/// cleaned form is searched.
/// </summary>
public static partial class QuestionText
{
    /// <summary>Longest cleaned question searched; the rest of a longer question is ignored.</summary>
    public const int MaxSearchedLength = 1000;

    /// <summary>The cleaned, single-spaced question ("" when nothing searchable is left).</summary>
    public static string Clean(string? question)
    {
        if (string.IsNullOrEmpty(question))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(Math.Min(question.Length, MaxSearchedLength * 2));
        foreach (var c in question)
        {
            if (IsInvisible(c))
            {
                continue;
            }

            builder.Append(char.IsControl(c) || char.IsWhiteSpace(c) ? ' ' : c);
            if (builder.Length >= MaxSearchedLength * 2)
            {
                break;
            }
        }

        var text = MentionPattern().Replace(builder.ToString(), " ");
        text = SpacePattern().Replace(text, " ").Trim();
        if (text.Length > MaxSearchedLength)
        {
            text = text[..MaxSearchedLength];
        }

        return text.Any(char.IsLetterOrDigit) ? text : string.Empty;
    }

    /// <summary>Zero-width and formatting characters a reader cannot see.</summary>
    public static bool IsInvisible(char c) =>
        c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD' or '\u180E'
        || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');

    [GeneratedRegex(@"<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MentionPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex SpacePattern();
}
