using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Features;

namespace CaravanBot.Bot.Moderation;

/// <summary>Discord users as the answer log names them: the id, and the name the server showed at the time.</summary>
public static class DiscordActors
{
    /// <summary>The user and, in a server, the member: nickname, else display name, else username.</summary>
    public static Actor Of(DiscordUser user, GuildMember? member)
    {
        ArgumentNullException.ThrowIfNull(user);
        var name = member?.Nick is { Length: > 0 } nick ? nick
            : user.GlobalName is { Length: > 0 } global ? global
            : user.Username;

        // Discord's names are at most 32 characters; whatever a gateway sends is stored, so it is cut.
        return new Actor(user.Id.ToString(), InputBounds.Cut(name, InputBounds.Name)!);
    }

    /// <summary>Whoever invoked <paramref name="interaction"/>.</summary>
    public static Actor Of(Interaction interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        var user = interaction.Invoker ?? throw new ArgumentException("The interaction names no user.", nameof(interaction));
        return Of(user, interaction.Member);
    }
}
