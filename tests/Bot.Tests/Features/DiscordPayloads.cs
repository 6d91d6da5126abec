using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CaravanBot.Bot.Tests.Features;

/// <summary>Gateway dispatch data shaped as Discord sends it (snake_case, ids as strings).</summary>
internal static class DiscordPayloads
{
    public const ulong BotUserId = 1000;
    public const ulong ApplicationId = 2000;
    public const ulong GuildId = 3000;
    public const ulong ChannelId = 4000;
    public const ulong DmChannelId = 4100;
    public const ulong ReaderId = 5000;
    public const ulong MessageId = 6000;
    public const ulong InteractionId = 7000;
    public const string InteractionToken = "interaction-token-abc";

    public static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>A MESSAGE_CREATE; <paramref name="guild"/> false makes it a DM.</summary>
    public static JsonElement Message(
        string content,
        bool guild = true,
        ulong authorId = ReaderId,
        bool authorIsBot = false,
        bool webhook = false,
        bool mentionsBot = false,
        ulong messageId = MessageId)
    {
        var message = new JsonObject
        {
            ["id"] = Id(messageId),
            ["type"] = 0,
            ["channel_id"] = Id(guild ? ChannelId : DmChannelId),
            ["author"] = User(authorId, authorIsBot),
            ["content"] = content,
            ["timestamp"] = "2026-11-26T12:00:00.000000+00:00",
            ["tts"] = false,
            ["mention_everyone"] = false,
            ["mentions"] = mentionsBot ? new JsonArray(User(BotUserId, bot: true)) : new JsonArray(),
            ["mention_roles"] = new JsonArray(),
            ["attachments"] = new JsonArray(),
            ["embeds"] = new JsonArray(),
            ["pinned"] = false,
        };
        if (guild)
        {
            message["guild_id"] = Id(GuildId);
            message["member"] = new JsonObject { ["roles"] = new JsonArray(), ["joined_at"] = "2026-01-01T00:00:00+00:00" };
        }

        if (webhook)
        {
            message["webhook_id"] = "8800";
        }

        return JsonSerializer.SerializeToElement(message);
    }

    /// <summary>An INTERACTION_CREATE for a slash command with the given options (type 3 string, 4 integer, 5 boolean).</summary>
    public static JsonElement SlashCommand(string name, params (string Name, int Type, JsonNode Value)[] options)
    {
        var data = new JsonObject
        {
            ["id"] = "9100",
            ["name"] = name,
            ["type"] = 1,
            ["options"] = new JsonArray(options.Select(o => (JsonNode)new JsonObject { ["name"] = o.Name, ["type"] = o.Type, ["value"] = o.Value }).ToArray()),
        };
        return Interaction(2, data);
    }

    /// <summary>An INTERACTION_CREATE for the "Ask CaravanBot" message command on a message with <paramref name="targetContent"/>.</summary>
    public static JsonElement MessageCommand(string targetContent, string name = "Ask CaravanBot")
    {
        const string targetId = "6500";
        var target = new JsonObject
        {
            ["id"] = targetId,
            ["channel_id"] = Id(ChannelId),
            ["author"] = User(5001, bot: false),
            ["content"] = targetContent,
            ["mentions"] = new JsonArray(),
        };
        var data = new JsonObject
        {
            ["id"] = "9200",
            ["name"] = name,
            ["type"] = 3,
            ["target_id"] = targetId,
            ["resolved"] = new JsonObject { ["messages"] = new JsonObject { [targetId] = target } },
        };
        return Interaction(2, data);
    }

    /// <summary>An INTERACTION_CREATE for a button click.</summary>
    public static JsonElement Button(string customId)
    {
        var interaction = JsonNode.Parse(Interaction(3, new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 }).GetRawText())!.AsObject();
        interaction["message"] = new JsonObject
        {
            ["id"] = "6600",
            ["channel_id"] = Id(ChannelId),
            ["author"] = User(BotUserId, bot: true),
            ["content"] = string.Empty,
            ["mentions"] = new JsonArray(),
        };
        return JsonSerializer.SerializeToElement(interaction);
    }

    /// <summary>A READY event.</summary>
    public static JsonElement Ready() => JsonSerializer.SerializeToElement(new JsonObject
    {
        ["v"] = 10,
        ["user"] = User(BotUserId, bot: true),
        ["guilds"] = new JsonArray(),
        ["session_id"] = "session-1",
        ["resume_gateway_url"] = "wss://resume.invalid",
        ["application"] = new JsonObject { ["id"] = Id(ApplicationId), ["flags"] = 0 },
    });

    private static JsonElement Interaction(int type, JsonObject data, ulong userId = ReaderId)
    {
        var interaction = new JsonObject
        {
            ["id"] = Id(InteractionId),
            ["application_id"] = Id(ApplicationId),
            ["type"] = type,
            ["data"] = data,
            ["guild_id"] = Id(GuildId),
            ["channel_id"] = Id(ChannelId),
            ["member"] = new JsonObject
            {
                ["user"] = User(userId, bot: false),
                ["roles"] = new JsonArray(),
                ["permissions"] = "2248473465835073",
            },
            ["token"] = InteractionToken,
            ["version"] = 1,
            ["locale"] = "en-GB",
        };
        return JsonSerializer.SerializeToElement(interaction);
    }

    /// <summary>The same interaction, invoked by another user.</summary>
    public static JsonElement FromUser(JsonElement interaction, ulong userId)
    {
        var node = JsonNode.Parse(interaction.GetRawText())!.AsObject();
        node["member"]!["user"] = User(userId, bot: false);
        return JsonSerializer.SerializeToElement(node);
    }

    private static JsonObject User(ulong id, bool bot)
    {
        var user = new JsonObject
        {
            ["id"] = Id(id),
            ["username"] = id == BotUserId ? "caravanbot" : "reader" + Id(id),
            ["discriminator"] = "0",
            ["global_name"] = null,
            ["avatar"] = null,
        };
        if (bot)
        {
            user["bot"] = true;
        }

        return user;
    }
}
