using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Bot.Cli;

/// <summary>Text shaping shared by the command line's error and progress lines.</summary>
internal static class CliText
{
    /// <summary>
    /// <paramref name="text"/> on one line: line breaks and other control characters become spaces and
    /// bidirectional controls are dropped, so every error stays one line that scripts can grep and that
    /// shows on a terminal as written.
    /// </summary>
    public static string OneLine(string text) => VisibleText.Plain(text.Trim()).Trim();
}
