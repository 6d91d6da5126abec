using System.Globalization;
using System.Text;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// A free-text CSV cell as spreadsheets may safely open it. Readers write the questions, and a
/// spreadsheet runs a cell that starts with = + - or @ as a formula (OWASP "CSV injection") — also when
/// the sign follows leading spaces, tabs, line breaks, a NUL, a non-breaking space, or is the
/// full-width ＝ ＋ － ＠. Such a cell gets a leading apostrophe, which spreadsheets hide and read as
/// "this is text". Control characters other than the line break and bidirectional controls show as
/// <see cref="VisibleText.Marker"/>, as on a terminal.
/// </summary>
internal static class CsvCell
{
    /// <summary>The cell text for <paramref name="value"/> (empty for null).</summary>
    public static string Neutralise(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var visible = Visible(value);
        return StartsDangerously(value) ? "'" + visible : visible;
    }

    private static bool StartsDangerously(string value)
    {
        var first = value[0];
        return first is '=' or '+' or '-' or '@' or '＝' or '＋' or '－' or '＠' or '﹦' or '﹢' or '﹣'
            || char.IsWhiteSpace(first)
            || char.IsControl(first)
            || CharUnicodeInfo.GetUnicodeCategory(first) == UnicodeCategory.Format;
    }

    private static string Visible(string value)
    {
        var text = value.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (!text.Any(c => (VisibleText.IsControl(c) && c != '\n') || VisibleText.IsBidiControl(c)))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append((VisibleText.IsControl(c) && c != '\n') || VisibleText.IsBidiControl(c) ? VisibleText.Marker : c);
        }

        return builder.ToString();
    }
}
