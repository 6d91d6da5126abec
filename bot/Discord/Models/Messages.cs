using System.Text.Json.Serialization;

namespace CaravanBot.Bot.Discord.Models;

/// <summary>A Discord user (the fields the bot reads).</summary>
public sealed record DiscordUser
{
    /// <summary>User id.</summary>
    public required Snowflake Id { get; init; }

    /// <summary>Unique username.</summary>
    public string Username { get; init; } = string.Empty;

    /// <summary>Display name, if set.</summary>
    public string? GlobalName { get; init; }

    /// <summary>True for bot accounts (whose messages the bot ignores).</summary>
    public bool? Bot { get; init; }
}

/// <summary>A guild member attached to a message or interaction.</summary>
public sealed record GuildMember
{
    /// <summary>The member's user (absent inside MESSAGE_CREATE, where it is the author).</summary>
    public DiscordUser? User { get; init; }

    /// <summary>Guild nickname.</summary>
    public string? Nick { get; init; }

    /// <summary>Role ids (entries that are not ids are skipped rather than failing the whole message).</summary>
    [JsonConverter(typeof(LenientSnowflakeListConverter))]
    public IReadOnlyList<Snowflake> Roles { get; init; } = [];

    /// <summary>Permissions in the channel of an interaction (a decimal bit set as a string).</summary>
    public string? Permissions { get; init; }
}

/// <summary>A message as received (MESSAGE_CREATE, or a REST response).</summary>
public sealed record DiscordMessage
{
    /// <summary>Message id; 0 when Discord created the message but its answer could not be read.</summary>
    public required Snowflake Id { get; init; }

    /// <summary>False when the id is not known (<see cref="Id"/> 0): Discord's answer to a create could not be read.</summary>
    [JsonIgnore]
    public bool IsKnown => Id.Value != 0;

    /// <summary>Channel id.</summary>
    public required Snowflake ChannelId { get; init; }

    /// <summary>Guild id, absent in DMs.</summary>
    public Snowflake? GuildId { get; init; }

    /// <summary>Author.</summary>
    public DiscordUser? Author { get; init; }

    /// <summary>Author as a guild member, in guilds.</summary>
    public GuildMember? Member { get; init; }

    /// <summary>Text content (needs the MESSAGE_CONTENT intent).</summary>
    public string Content { get; init; } = string.Empty;

    /// <summary>Users mentioned.</summary>
    public IReadOnlyList<DiscordUser> Mentions { get; init; } = [];

    /// <summary>Set by webhooks; such messages are not from a reader.</summary>
    public Snowflake? WebhookId { get; init; }
}

/// <summary>Who a message may ping. CaravanBot always sends an empty <see cref="Parse"/> list.</summary>
public sealed record AllowedMentions
{
    /// <summary>Nobody: no @everyone, no roles, no users, and no ping of the replied-to author.</summary>
    public static AllowedMentions None { get; } = new() { Parse = [], RepliedUser = false };

    /// <summary>Mention types to parse from content; empty means none.</summary>
    public IReadOnlyList<string> Parse { get; init; } = [];

    /// <summary>Whether a reply pings the author of the message replied to.</summary>
    public bool? RepliedUser { get; init; }
}

/// <summary>Marks a message as a reply.</summary>
public sealed record MessageReference
{
    /// <summary>The message replied to.</summary>
    public required Snowflake MessageId { get; init; }

    /// <summary>Its channel.</summary>
    public Snowflake? ChannelId { get; init; }

    /// <summary>Its guild.</summary>
    public Snowflake? GuildId { get; init; }

    /// <summary>False: still send the reply if the original was deleted.</summary>
    public bool? FailIfNotExists { get; init; }
}

/// <summary>Message flags the bot uses.</summary>
[Flags]
public enum MessageFlags
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>Only the user who invoked the interaction sees the message.</summary>
    Ephemeral = 1 << 6,
}

/// <summary>Body of <c>POST /channels/{id}/messages</c>, of follow-ups and of interaction responses' data.</summary>
public sealed record MessageCreateRequest
{
    /// <summary>Text, at most 2000 characters.</summary>
    public string? Content { get; init; }

    /// <summary>At most 10 embeds.</summary>
    public IReadOnlyList<Embed>? Embeds { get; init; }

    /// <summary>Always <see cref="AllowedMentions.None"/> unless a ping is intended (it never is).</summary>
    public AllowedMentions AllowedMentions { get; init; } = AllowedMentions.None;

    /// <summary>Set to reply to a message.</summary>
    public MessageReference? MessageReference { get; init; }

    /// <summary>Buttons.</summary>
    public IReadOnlyList<ActionRow>? Components { get; init; }

    /// <summary>Flags (ephemeral, for interaction responses and follow-ups).</summary>
    public int? Flags { get; init; }

    /// <summary>
    /// Channel messages only: a value (at most 25 characters) Discord uses, with <see cref="EnforceNonce"/>,
    /// to return the existing message instead of creating a second one. The REST client sets it when
    /// absent so that retrying a create after a lost response cannot post the message twice.
    /// </summary>
    public string? Nonce { get; init; }

    /// <summary>Channel messages only: reject (return the earlier message for) a repeated <see cref="Nonce"/>.</summary>
    public bool? EnforceNonce { get; init; }
}

/// <summary>Body of message edits (<c>PATCH</c> a message or <c>@original</c>).</summary>
public sealed record MessageEditRequest
{
    /// <summary>New text; null leaves it, "" clears it.</summary>
    public string? Content { get; init; }

    /// <summary>New embeds; null leaves them, empty clears them.</summary>
    public IReadOnlyList<Embed>? Embeds { get; init; }

    /// <summary>Always no pings.</summary>
    public AllowedMentions AllowedMentions { get; init; } = AllowedMentions.None;

    /// <summary>New components; null leaves them, empty removes them.</summary>
    public IReadOnlyList<ActionRow>? Components { get; init; }
}

/// <summary>Channel types the bot tells apart.</summary>
public enum ChannelType
{
    /// <summary>A text channel in a guild.</summary>
    GuildText = 0,

    /// <summary>A direct message between the bot and one user.</summary>
    DirectMessage = 1,

    /// <summary>A group direct message.</summary>
    GroupDirectMessage = 3,
}

/// <summary>A channel as <c>GET /channels/{id}</c> or CHANNEL_CREATE gives it (the fields the bot reads).</summary>
public sealed record DiscordChannel
{
    /// <summary>Channel id.</summary>
    public required Snowflake Id { get; init; }

    /// <summary>The channel type (1 DM, 3 group DM, others in guilds).</summary>
    public int Type { get; init; }

    /// <summary>The guild, for guild channels.</summary>
    public Snowflake? GuildId { get; init; }

    /// <summary>True for a DM or group DM: no guild, and the only channels where the bot answers without a mention.</summary>
    [JsonIgnore]
    public bool IsDirect => Type is (int)ChannelType.DirectMessage or (int)ChannelType.GroupDirectMessage;
}
