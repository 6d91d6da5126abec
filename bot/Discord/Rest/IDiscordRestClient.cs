using CaravanBot.Bot.Discord.Models;

namespace CaravanBot.Bot.Discord.Rest;

/// <summary>
/// Thrown for a REST request Discord refused (4xx other than 429), that kept failing (5xx or no
/// response after the bounded retries), or that Discord rate-limited for longer than the client
/// is configured to wait (429). The message names the route template, never a token.
/// </summary>
public sealed class DiscordRestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DiscordRestException(int statusCode, int? errorCode, string message) : base(message)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    /// <summary>Creates the exception with the failure that caused it (a network error, an unreadable body).</summary>
    public DiscordRestException(int statusCode, int? errorCode, string message, Exception? innerException) : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    /// <summary>HTTP status; 0 when no response arrived (network error or time-out after the retries).</summary>
    public int StatusCode { get; }

    /// <summary>Discord's JSON error code (e.g. 50035 invalid form body), when given.</summary>
    public int? ErrorCode { get; }
}

/// <summary>
/// The REST calls CaravanBot makes, with Discord's rate limits honoured (per-bucket and global),
/// 429s waited out, 5xx retried a bounded number of times, and 401/403 never retried.
/// </summary>
public interface IDiscordRestClient
{
    /// <summary><c>GET /gateway/bot</c>.</summary>
    Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken = default);

    /// <summary><c>POST /channels/{channel}/messages</c>.</summary>
    Task<DiscordMessage> CreateMessageAsync(Snowflake channelId, MessageCreateRequest message, CancellationToken cancellationToken = default);

    /// <summary><c>PATCH /channels/{channel}/messages/{message}</c>.</summary>
    Task<DiscordMessage> EditMessageAsync(Snowflake channelId, Snowflake messageId, MessageEditRequest message, CancellationToken cancellationToken = default);

    /// <summary><c>DELETE /channels/{channel}/messages/{message}</c>.</summary>
    Task DeleteMessageAsync(Snowflake channelId, Snowflake messageId, CancellationToken cancellationToken = default);

    /// <summary><c>POST /interactions/{id}/{token}/callback</c> (no bot authorization needed, sent anyway).</summary>
    Task CreateInteractionResponseAsync(Snowflake interactionId, string interactionToken, InteractionResponse response, CancellationToken cancellationToken = default);

    /// <summary><c>PATCH /webhooks/{application}/{token}/messages/@original</c>.</summary>
    Task<DiscordMessage> EditOriginalResponseAsync(Snowflake applicationId, string interactionToken, MessageEditRequest message, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>GET /webhooks/{application}/{token}/messages/@original</c>: the message a type 4 callback
    /// created, whose id the callback itself does not return.
    /// </summary>
    Task<DiscordMessage> GetOriginalResponseAsync(Snowflake applicationId, string interactionToken, CancellationToken cancellationToken = default);

    /// <summary><c>POST /webhooks/{application}/{token}</c> (a follow-up message).</summary>
    Task<DiscordMessage> CreateFollowupMessageAsync(Snowflake applicationId, string interactionToken, MessageCreateRequest message, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /applications/{application}/commands</c>, or <c>…/guilds/{guild}/commands</c> when <paramref name="guildId"/> is set.</summary>
    Task<IReadOnlyList<ApplicationCommand>> BulkOverwriteCommandsAsync(Snowflake applicationId, Snowflake? guildId, IReadOnlyList<ApplicationCommandRequest> commands, CancellationToken cancellationToken = default);
}
