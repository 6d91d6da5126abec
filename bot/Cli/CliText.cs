namespace CaravanBot.Bot.Cli;

/// <summary>Text shaping shared by the command line's error and progress lines.</summary>
internal static class CliText
{
    /// <summary>
    /// <paramref name="text"/> on one line: line breaks and other control characters become spaces,
    /// so every error stays one line that scripts can grep.
    /// </summary>
    public static string OneLine(string text)
    {
        var chars = text.Trim().ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]))
            {
                chars[i] = ' ';
            }
        }

        return new string(chars);
    }
}
