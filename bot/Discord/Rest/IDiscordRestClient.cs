using CaravanBot.Bot.Discord.Models;

namespace CaravanBot.Bot.Discord.Rest;

/// <summary>
/// Thrown for a REST request Discord refused (4xx other than 429), that kept failing (5xx or no
/// response after the bounded retries or past the reply's deadline), or that Discord rate-limited for
/// longer than the client is configured to wait (429); also for a request the client did not send at all
/// because Discord refused it recently (<see cref="WasSent"/> false). The message names the route template,
/// never a token.
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

    /// <summary>429: how long Discord holds the route (or, when global, every route) from when this was thrown.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// False when the client refused to send the request: its bucket or the global limit is held longer than the
    /// client waits, Discord answered 403 to the same route there recently, the token was rejected, or too many
    /// invalid requests were made lately. Nothing reached Discord, so nothing counts against the bot.
    /// </summary>
    public bool WasSent { get; init; } = true;

    /// <summary>
    /// True when Discord may well have done what was asked although no answer says so (the response never came):
    /// a reply may be showing, so apologising for it would be wrong.
    /// </summary>
    public bool OutcomeUnknown => WasSent && StatusCode == 0;
}

/// <summary>
/// The REST calls CaravanBot makes, with Discord's rate limits honoured (per-bucket and global),
/// 429s waited out, 5xx retried a bounded number of times, and 401/403 never retried. A 2xx is a
/// success whatever its body: a message Discord created but whose answer cannot be read comes back with
/// <see cref="DiscordMessage.Id"/> 0 (<see cref="DiscordMessage.IsKnown"/> false).
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

    /// <summary><c>GET /channels/{channel}</c>: the channel's type tells a DM from a guild channel.</summary>
    Task<DiscordChannel> GetChannelAsync(Snowflake channelId, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /applications/{application}/commands</c>, or <c>…/guilds/{guild}/commands</c> when <paramref name="guildId"/> is set.</summary>
    Task<IReadOnlyList<ApplicationCommand>> BulkOverwriteCommandsAsync(Snowflake applicationId, Snowflake? guildId, IReadOnlyList<ApplicationCommandRequest> commands, CancellationToken cancellationToken = default);
}
