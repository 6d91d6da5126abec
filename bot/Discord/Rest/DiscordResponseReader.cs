using System.Globalization;
using System.Text.Json;
using CaravanBot.Bot.Discord.Models;

namespace CaravanBot.Bot.Discord.Rest;

/// <summary>
/// Reads the bodies of successful responses leniently. The whole model is tried first; when that fails (truncated
/// JSON, a field of an unexpected type, an unknown shape) the few fields the bot relies on are picked out of
/// whatever can be read, and the problem is returned for one debug line. A success never becomes a failure here.
/// </summary>
internal static class DiscordResponseReader
{
    /// <summary>A created, edited or fetched message; <see cref="DiscordMessage.Id"/> 0 when even the id is unreadable.</summary>
    public static DiscordMessage Message(byte[] body, Snowflake channelId, out string? problem)
    {
        problem = null;
        if (body.Length == 0)
        {
            problem = "no body";
            return new DiscordMessage { Id = default, ChannelId = channelId };
        }

        try
        {
            if (JsonSerializer.Deserialize<DiscordMessage>(body, DiscordJson.Options) is { } message)
            {
                return message;
            }

            problem = "the body is JSON null";
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            problem = ex.Message;
        }

        var fields = TopLevelStrings(body, "id", "channel_id");
        return new DiscordMessage
        {
            Id = ParseId(fields.GetValueOrDefault("id")) ?? default,
            ChannelId = ParseId(fields.GetValueOrDefault("channel_id")) ?? channelId,
        };
    }

    /// <summary><c>GET /gateway/bot</c>: null when there is no address to connect to.</summary>
    public static GatewayBotInfo? GatewayBot(byte[] body, out string? problem)
    {
        problem = null;
        try
        {
            if (JsonSerializer.Deserialize<GatewayBotInfo>(body, DiscordJson.Options) is { } info)
            {
                return info;
            }

            problem = "the body is JSON null";
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            problem = ex.Message;
        }

        return TopLevelStrings(body, "url").GetValueOrDefault("url") is { Length: > 0 } url ? new GatewayBotInfo { Url = url } : null;
    }

    /// <summary><c>GET /channels/{id}</c>: null when the type cannot be read.</summary>
    public static DiscordChannel? Channel(byte[] body, out string? problem)
    {
        problem = null;
        try
        {
            if (JsonSerializer.Deserialize<DiscordChannel>(body, DiscordJson.Options) is { } channel)
            {
                return channel;
            }

            problem = "the body is JSON null";
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            problem = ex.Message;
        }

        return null;
    }

    /// <summary>The registered commands; empty when the list cannot be read (the overwrite succeeded all the same).</summary>
    public static IReadOnlyList<ApplicationCommand> Commands(byte[] body, out string? problem)
    {
        problem = null;
        try
        {
            return JsonSerializer.Deserialize<List<ApplicationCommand>>(body, DiscordJson.Options) ?? [];
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            problem = ex.Message;
            return [];
        }
    }

    private static bool IsReadFailure(Exception ex) =>
        ex is JsonException or InvalidOperationException or FormatException or OverflowException or ArgumentException or NotSupportedException;

    private static Snowflake? ParseId(string? text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id != 0 ? new Snowflake(id) : null;

    /// <summary>
    /// The named top-level properties whose values are strings or numbers, read in order until the JSON ends or
    /// breaks (so a truncated body still gives the fields before the cut).
    /// </summary>
    private static Dictionary<string, string> TopLevelStrings(byte[] body, params string[] names)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return found;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                if (!reader.Read())
                {
                    break;
                }

                if (name is not null && names.Contains(name) && reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
                {
                    found[name] = reader.TokenType == JsonTokenType.String
                        ? reader.GetString() ?? string.Empty
                        : reader.GetDouble().ToString("R", CultureInfo.InvariantCulture);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Truncated or broken from here on: what was read before stays.
        }

        return found;
    }
}
