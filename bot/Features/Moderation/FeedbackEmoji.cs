namespace CaravanBot.Bot.Moderation;

/// <summary>How readers' votes are drawn: on the buttons, in the acknowledgements and on review cards.</summary>
public static class FeedbackEmoji
{
    /// <summary>A helpful answer.</summary>
    public const string Up = "👍";

    /// <summary>An unhelpful or wrong answer.</summary>
    public const string Down = "👎";

    /// <summary>The emoji of a +1 or -1 vote.</summary>
    public static string Of(int vote) => vote > 0 ? Up : Down;
}
