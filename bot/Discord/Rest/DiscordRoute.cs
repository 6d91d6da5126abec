using System.Globalization;
using CaravanBot.Bot.Discord.Models;

namespace CaravanBot.Bot.Discord.Rest;

/// <summary>What a request body is, so the guard applies the rules of that endpoint.</summary>
internal enum RequestBodyKind
{
    /// <summary>No body (GET, DELETE).</summary>
    None,

    /// <summary><c>POST /channels/{id}/messages</c>.</summary>
    ChannelMessage,

    /// <summary><c>PATCH /channels/{id}/messages/{id}</c>.</summary>
    ChannelMessageEdit,

    /// <summary><c>POST /interactions/{id}/{token}/callback</c>.</summary>
    InteractionResponse,

    /// <summary><c>POST /webhooks/{application}/{token}</c> (a follow-up).</summary>
    FollowupMessage,

    /// <summary><c>PATCH /webhooks/{application}/{token}/messages/@original</c>.</summary>
    OriginalResponseEdit,

    /// <summary><c>PUT …/commands</c>.</summary>
    Commands,
}

/// <summary>
/// One REST call: its method, the route template (what logs and exceptions show), the concrete
/// relative path (which may hold an interaction token and is never logged), and the top-level
/// ("major") parameter that Discord scopes rate-limit buckets by. A class, not a record, so that no
/// generated <see cref="object.ToString"/> ever prints the token-bearing members.
/// </summary>
internal sealed class DiscordRoute
{
    private DiscordRoute(HttpMethod method, string template, string path, string majorKey, string majorDescription, bool isInteraction, RequestBodyKind bodyKind)
    {
        Method = method;
        Template = template;
        Path = path;
        MajorKey = majorKey;
        MajorDescription = majorDescription;
        IsInteraction = isInteraction;
        BodyKind = bodyKind;
    }

    /// <summary>HTTP method.</summary>
    public HttpMethod Method { get; }

    /// <summary>Route template without a leading slash, e.g. <c>channels/{channel_id}/messages</c>.</summary>
    public string Template { get; }

    /// <summary>Concrete path relative to the API base address (may contain a token: never log it).</summary>
    public string Path { get; }

    /// <summary>Bucket scope: the channel, guild, or webhook/interaction id plus token (never log it).</summary>
    public string MajorKey { get; }

    /// <summary>Loggable form of the major parameter (ids only, no token).</summary>
    public string MajorDescription { get; }

    /// <summary>An interaction endpoint, which Discord exempts from the bot's global limit.</summary>
    public bool IsInteraction { get; }

    /// <summary>Which guard rules the body must satisfy.</summary>
    public RequestBodyKind BodyKind { get; }

    /// <summary>
    /// A route that carries a reply to a reader (channel messages, interaction callbacks and webhooks): it gets the
    /// tight per-attempt time-out and the deadline after which retrying is pointless.
    /// </summary>
    public bool CarriesReply => IsInteraction || Template.StartsWith("channels/{channel_id}/messages", StringComparison.Ordinal);

    /// <summary>Key of the route (method + template) that learnt bucket hashes are stored under.</summary>
    public string RouteKey => $"{Method.Method} {Template}";

    /// <summary>The route within its major parameter, as a 403 refuses it (holds a token for interaction routes: never log it).</summary>
    public string RefusalKey => $"{RouteKey} {MajorKey}";

    /// <summary>What logs and exception messages name: <c>POST /channels/{channel_id}/messages</c>.</summary>
    public string Display => $"{Method.Method} /{Template}";

    public static DiscordRoute GetGatewayBot() =>
        new(HttpMethod.Get, "gateway/bot", "gateway/bot", "global", "global", isInteraction: false, RequestBodyKind.None);

    public static DiscordRoute GetChannel(Snowflake channelId) =>
        new(HttpMethod.Get, "channels/{channel_id}", $"channels/{channelId}", $"channel:{channelId}", $"channel {channelId}", isInteraction: false, RequestBodyKind.None);

    public static DiscordRoute CreateMessage(Snowflake channelId) =>
        Channel(HttpMethod.Post, "channels/{channel_id}/messages", $"channels/{channelId}/messages", channelId, RequestBodyKind.ChannelMessage);

    public static DiscordRoute EditMessage(Snowflake channelId, Snowflake messageId) =>
        Channel(HttpMethod.Patch, "channels/{channel_id}/messages/{message_id}", $"channels/{channelId}/messages/{messageId}", channelId, RequestBodyKind.ChannelMessageEdit);

    public static DiscordRoute DeleteMessage(Snowflake channelId, Snowflake messageId) =>
        Channel(HttpMethod.Delete, "channels/{channel_id}/messages/{message_id}", $"channels/{channelId}/messages/{messageId}", channelId, RequestBodyKind.None);

    public static DiscordRoute CreateInteractionResponse(Snowflake interactionId, string interactionToken) =>
        new(
            HttpMethod.Post,
            "interactions/{interaction_id}/{interaction_token}/callback",
            $"interactions/{interactionId}/{EscapeToken(interactionToken)}/callback",
            $"interaction:{interactionId}:{interactionToken}",
            $"interaction {interactionId}",
            isInteraction: true,
            RequestBodyKind.InteractionResponse);

    public static DiscordRoute EditOriginalResponse(Snowflake applicationId, string interactionToken) =>
        new(
            HttpMethod.Patch,
            "webhooks/{application_id}/{interaction_token}/messages/@original",
            $"webhooks/{applicationId}/{EscapeToken(interactionToken)}/messages/@original",
            $"webhook:{applicationId}:{interactionToken}",
            $"interaction webhook of application {applicationId}",
            isInteraction: true,
            RequestBodyKind.OriginalResponseEdit);

    // Same bucket scope as the edit of @original: Discord keys interaction webhooks by application and token.
    public static DiscordRoute GetOriginalResponse(Snowflake applicationId, string interactionToken) =>
        new(
            HttpMethod.Get,
            "webhooks/{application_id}/{interaction_token}/messages/@original",
            $"webhooks/{applicationId}/{EscapeToken(interactionToken)}/messages/@original",
            $"webhook:{applicationId}:{interactionToken}",
            $"interaction webhook of application {applicationId}",
            isInteraction: true,
            RequestBodyKind.None);

    public static DiscordRoute CreateFollowupMessage(Snowflake applicationId, string interactionToken) =>
        new(
            HttpMethod.Post,
            "webhooks/{application_id}/{interaction_token}",
            $"webhooks/{applicationId}/{EscapeToken(interactionToken)}",
            $"webhook:{applicationId}:{interactionToken}",
            $"interaction webhook of application {applicationId}",
            isInteraction: true,
            RequestBodyKind.FollowupMessage);

    public static DiscordRoute BulkOverwriteCommands(Snowflake applicationId, Snowflake? guildId) =>
        guildId is { } guild
            // guild_id is one of Discord's documented major parameters, so guild command buckets are per guild.
            ? new(
                HttpMethod.Put,
                "applications/{application_id}/guilds/{guild_id}/commands",
                $"applications/{applicationId}/guilds/{guild}/commands",
                $"guild:{guild}",
                $"guild {guild}",
                isInteraction: false,
                RequestBodyKind.Commands)
            : new(
                HttpMethod.Put,
                "applications/{application_id}/commands",
                $"applications/{applicationId}/commands",
                "global",
                "global",
                isInteraction: false,
                RequestBodyKind.Commands);

    private static DiscordRoute Channel(HttpMethod method, string template, string path, Snowflake channelId, RequestBodyKind bodyKind) =>
        new(method, template, path, $"channel:{channelId}", $"channel {channelId}", isInteraction: false, bodyKind);

    /// <summary>
    /// The token goes into one path segment as it is (escaped, never split or parsed); an empty or
    /// whitespace-bearing token is a caller bug, reported without echoing the token.
    /// </summary>
    private static string EscapeToken(string interactionToken)
    {
        ArgumentNullException.ThrowIfNull(interactionToken);
        if (interactionToken.Length == 0 || interactionToken.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The interaction token is empty or contains whitespace ({interactionToken.Length} characters)."),
                nameof(interactionToken));
        }

        return Uri.EscapeDataString(interactionToken);
    }
}
