using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Discord.Models;

namespace CaravanBot.Bot.Moderation;

/// <summary>Where a question came from, as the answer log records it.</summary>
/// <param name="Asker">Who asked.</param>
/// <param name="Source">"mention", "dm", "slash" or "context-menu".</param>
/// <param name="GuildId">The server, null in DMs.</param>
/// <param name="ChannelId">The channel the reply goes to.</param>
public sealed record AskedQuestion(Actor Asker, string Source, string? GuildId, string? ChannelId)
{
    /// <summary>A question in a message: a mention in a server channel, or any message in a DM (<paramref name="direct"/>).</summary>
    public static AskedQuestion From(DiscordMessage message, bool direct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var author = message.Author ?? throw new ArgumentException("The message has no author.", nameof(message));
        return new AskedQuestion(
            DiscordActors.Of(author, message.Member),
            direct ? "dm" : "mention",
            message.GuildId?.ToString(),
            message.ChannelId.ToString());
    }

    /// <summary>A question asked with <c>/ask</c> ("slash") or the message menu ("context-menu").</summary>
    public static AskedQuestion From(Interaction interaction, string source)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return new AskedQuestion(DiscordActors.Of(interaction), source, interaction.GuildId?.ToString(), interaction.ChannelId?.ToString());
    }
}
