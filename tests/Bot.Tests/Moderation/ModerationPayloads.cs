using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaravanBot.Bot.Tests.Features;

namespace CaravanBot.Bot.Tests.Moderation;

/// <summary>
/// INTERACTION_CREATE and MESSAGE_CREATE data for moderation flows, shaped as Discord sends them.
/// Every interaction gets its own id and token (the fake REST server, like Discord, accepts one
/// callback per token). Who acts is explicit: a reader (no Manage Messages), a moderator by
/// permission, or a moderator by role.
/// </summary>
internal static class ModerationPayloads
{
    public const ulong ReaderId = 5000;
    public const ulong SecondReaderId = 5001;
    public const ulong ThirdReaderId = 5002;
    public const ulong ModeratorId = 9100;
    public const ulong ModeratorRoleId = 8800;
    public const ulong ReviewChannelId = 7700;
    public const ulong GuildId = DiscordPayloads.GuildId;
    public const ulong ChannelId = DiscordPayloads.ChannelId;

    /// <summary>What @everyone usually may do: view, send, read history, react; not Manage Messages.</summary>
    public const string ReaderPermissions = "1071698660929";

    /// <summary>The same plus Manage Messages (1 &lt;&lt; 13).</summary>
    public const string ModeratorPermissions = "1071698669121";

    private static long _next = 70_000;

    /// <summary>Who invokes an interaction.</summary>
    public sealed record Invoker(ulong UserId, string Permissions, params ulong[] Roles)
    {
        public static Invoker Reader { get; } = new(ReaderId, ReaderPermissions);

        public static Invoker Moderator { get; } = new(ModeratorId, ModeratorPermissions);

        public static Invoker RoleModerator { get; } = new(ModeratorId + 1, ReaderPermissions, ModeratorRoleId);

        public static Invoker ReaderNumber(ulong id) => new(id, ReaderPermissions);
    }

    /// <summary>A mention of the bot asking <paramref name="question"/>.</summary>
    public static JsonElement Mention(string question, ulong messageId, ulong authorId = ReaderId) =>
        DiscordPayloads.Message("<@1000> " + question, mentionsBot: true, messageId: messageId, authorId: authorId);

    /// <summary><c>/ask question:…</c>.</summary>
    public static JsonElement Ask(string question, bool? isPrivate = null, Invoker? by = null)
    {
        var options = new JsonArray(new JsonObject { ["name"] = "question", ["type"] = 3, ["value"] = question });
        if (isPrivate is { } p)
        {
            options.Add(new JsonObject { ["name"] = "private", ["type"] = 5, ["value"] = p });
        }

        return Interaction(2, new JsonObject { ["id"] = "9100", ["name"] = "ask", ["type"] = 1, ["options"] = options }, by ?? Invoker.Reader);
    }

    /// <summary><c>/review queue [status:…]</c>.</summary>
    public static JsonElement ReviewQueue(string? status, Invoker by)
    {
        var sub = new JsonObject { ["name"] = "queue", ["type"] = 1, ["options"] = new JsonArray() };
        if (status is not null)
        {
            sub["options"]!.AsArray().Add(new JsonObject { ["name"] = "status", ["type"] = 3, ["value"] = status });
        }

        return Interaction(2, new JsonObject { ["id"] = "9300", ["name"] = "review", ["type"] = 1, ["options"] = new JsonArray(sub) }, by);
    }

    /// <summary><c>/review stats</c>.</summary>
    public static JsonElement ReviewStats(Invoker by) =>
        Interaction(2, new JsonObject
        {
            ["id"] = "9300",
            ["name"] = "review",
            ["type"] = 1,
            ["options"] = new JsonArray(new JsonObject { ["name"] = "stats", ["type"] = 1 }),
        }, by);

    /// <summary>A click on a button with <paramref name="customId"/> on message <paramref name="messageId"/> in <paramref name="channelId"/>.</summary>
    public static JsonElement Button(string customId, ulong channelId, string messageId, Invoker by, bool ephemeral = false) =>
        Interaction(3, new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 }, by, Message(channelId, messageId, ephemeral));

    /// <summary>A form submitted, opened from a button on message <paramref name="messageId"/> (or from nowhere).</summary>
    public static JsonElement Modal(string customId, Invoker by, ulong? channelId, string? messageId, params (string Id, string Value)[] fields)
    {
        var rows = new JsonArray(fields.Select(f => (JsonNode)new JsonObject
        {
            ["type"] = 1,
            ["components"] = new JsonArray(new JsonObject { ["type"] = 4, ["custom_id"] = f.Id, ["value"] = f.Value }),
        }).ToArray());
        return Interaction(5, new JsonObject { ["custom_id"] = customId, ["components"] = rows }, by, messageId is null ? null : Message(channelId!.Value, messageId, ephemeral: false));
    }

    private static JsonObject Message(ulong channelId, string messageId, bool ephemeral) => new()
    {
        ["id"] = messageId,
        ["channel_id"] = Id(channelId),
        ["author"] = new JsonObject { ["id"] = Id(DiscordPayloads.BotUserId), ["username"] = "caravanbot", ["bot"] = true },
        ["content"] = string.Empty,
        ["mentions"] = new JsonArray(),
        ["flags"] = ephemeral ? 64 : 0,
    };

    private static JsonElement Interaction(int type, JsonObject data, Invoker by, JsonObject? message = null)
    {
        var number = Interlocked.Increment(ref _next);
        var interaction = new JsonObject
        {
            ["id"] = Id((ulong)number),
            ["application_id"] = Id(DiscordPayloads.ApplicationId),
            ["type"] = type,
            ["data"] = data,
            ["guild_id"] = Id(GuildId),
            ["channel_id"] = Id(ChannelId),
            ["member"] = new JsonObject
            {
                ["user"] = new JsonObject { ["id"] = Id(by.UserId), ["username"] = "user" + Id(by.UserId), ["global_name"] = "User " + Id(by.UserId) },
                ["roles"] = new JsonArray(by.Roles.Select(r => (JsonNode)Id(r)).ToArray()),
                ["permissions"] = by.Permissions,
            },
            ["token"] = "token-" + Id((ulong)number),
            ["version"] = 1,
            ["locale"] = "en-GB",
        };
        if (message is not null)
        {
            interaction["message"] = message;
        }

        return JsonSerializer.SerializeToElement(interaction);
    }

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
