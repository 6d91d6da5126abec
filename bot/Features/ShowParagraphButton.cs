using System.Globalization;

namespace CaravanBot.Bot.Features;

/// <summary>
/// The custom id of the "Show ¶n" buttons under an answer: <c>src:7</c>. Short and stateless, so a
/// button keeps working after a restart and stays far below Discord's 100-character limit.
/// </summary>
public static class ShowParagraphButton
{
    /// <summary>What every such custom id starts with.</summary>
    public const string Prefix = "src:";

    /// <summary>The custom id of the button showing ¶<paramref name="paragraph"/>.</summary>
    public static string CustomId(int paragraph) => Prefix + paragraph.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads the paragraph number back; false for any other custom id.</summary>
    public static bool TryParse(string? customId, out int paragraph)
    {
        paragraph = 0;
        return customId is not null
            && customId.StartsWith(Prefix, StringComparison.Ordinal)
            && int.TryParse(customId.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out paragraph);
    }
}
