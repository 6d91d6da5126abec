namespace CaravanBot.Bot.Features;

/// <summary>
/// How much of what readers and moderators send the bot takes in. Discord's own clients keep to these limits, but a
/// gateway delivers whatever it is given, and everything taken in is stored in the answer log or written to the log:
/// text beyond these lengths is cut where it enters.
/// </summary>
public static class InputBounds
{
    /// <summary>A question (mention, DM, <c>/ask</c> or message command), as <c>/ask</c>'s option allows.</summary>
    public const int Question = BotCommands.MaxQuestionLength;

    /// <summary>A display name, nickname or user name (Discord's are at most 32).</summary>
    public const int Name = 100;

    /// <summary>A command name or custom id as logs show it (Discord's are at most 32 and 100).</summary>
    public const int Identifier = 100;

    /// <summary>
    /// <paramref name="text"/> cut to at most <paramref name="length"/> characters, never between the two halves of
    /// a surrogate pair; null stays null.
    /// </summary>
    public static string? Cut(string? text, int length)
    {
        if (text is null || text.Length <= length)
        {
            return text;
        }

        var end = length;
        if (end > 0 && char.IsHighSurrogate(text[end - 1]))
        {
            end--;
        }

        return text[..end];
    }
}
