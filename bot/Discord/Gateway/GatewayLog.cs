using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Discord.Gateway;

/// <summary>
/// The gateway client's log messages, with structured properties. None takes the token, a payload sent
/// by the client, or an IDENTIFY/RESUME body.
/// </summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Gateway state {State} (was {PreviousState})")]
    public static partial void StateChanged(ILogger logger, GatewayState state, GatewayState previousState);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Connecting to the gateway at {GatewayUrl} to {Purpose}")]
    public static partial void Connecting(ILogger logger, string gatewayUrl, string purpose);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "READY: session {SessionId}, bot user {UserId}, application {ApplicationId}")]
    public static partial void Ready(ILogger logger, string sessionId, ulong userId, ulong applicationId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "RESUMED session {SessionId} after sequence {Sequence}")]
    public static partial void Resumed(ILogger logger, string sessionId, long sequence);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "HELLO: heartbeat every {HeartbeatIntervalMs} ms")]
    public static partial void Hello(ILogger logger, double heartbeatIntervalMs);

    [LoggerMessage(EventId = 6, Level = LogLevel.Trace, Message = "Heartbeat sent with sequence {Sequence}")]
    public static partial void HeartbeatSent(ILogger logger, long? sequence);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "No heartbeat ACK within {HeartbeatIntervalMs} ms: the connection is a zombie; closing it with 4000 to resume")]
    public static partial void Zombie(ILogger logger, double heartbeatIntervalMs);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Gateway connection ended: {Reason} (close code {CloseCode}); next: {Next}")]
    public static partial void ConnectionEnded(ILogger logger, Exception? exception, string reason, int? closeCode, string next);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Reconnecting in {DelayMs} ms after {Failures} failed attempt(s) in a row")]
    public static partial void BackingOff(ILogger logger, double delayMs, int failures);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "No session starts remain (of {Total}); waiting {ResetAfterMs} ms for the budget to reset before identifying")]
    public static partial void SessionStartLimitExhausted(ILogger logger, int total, long resetAfterMs);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "Waiting {DelayMs} ms to space IDENTIFYs")]
    public static partial void IdentifySpacing(ILogger logger, double delayMs);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Refused to send an op {Opcode} payload of {Size} bytes: the gateway accepts at most {Limit}")]
    public static partial void PayloadTooLarge(ILogger logger, int opcode, int size, int limit);

    [LoggerMessage(EventId = 13, Level = LogLevel.Error, Message = "The dispatch handler threw for {EventType} (sequence {Sequence}); the connection carries on")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string eventType, long sequence);

    // Debug, not Critical: the explanation travels in the GatewayFatalException, and whoever catches it reports it
    // once (the bot's host writes the one line an operator reads); logging it here too printed it twice.
    [LoggerMessage(EventId = 14, Level = LogLevel.Debug, Message = "Gateway stopped for good (close code {CloseCode}): {Explanation}")]
    public static partial void Fatal(ILogger logger, int closeCode, string explanation);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning, Message = "The dispatch queue is full ({Capacity}); receiving waits for the handler to catch up")]
    public static partial void DispatchQueueFull(ILogger logger, int capacity);

    [LoggerMessage(EventId = 16, Level = LogLevel.Debug, Message = "Skipped {EventType} with sequence {Sequence}: replayed after RESUME, already delivered (resumed after {LastSequence})")]
    public static partial void DuplicateDispatch(ILogger logger, string eventType, long sequence, long lastSequence);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "Gateway connection attempt failed: {Reason}")]
    public static partial void AttemptFailed(ILogger logger, Exception exception, string reason);

    [LoggerMessage(EventId = 18, Level = LogLevel.Information, Message = "Discord asked to reconnect (op 7)")]
    public static partial void ReconnectRequested(ILogger logger);

    [LoggerMessage(EventId = 19, Level = LogLevel.Warning, Message = "Invalid session (op 9, resumable: {Resumable})")]
    public static partial void InvalidSession(ILogger logger, bool resumable);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Skipped a gateway message that is not valid JSON of Discord's shape ({Length} bytes)")]
    public static partial void MalformedMessage(ILogger logger, Exception exception, int length);

    [LoggerMessage(EventId = 21, Level = LogLevel.Debug, Message = "Not sent (op {Opcode}): {Reason}")]
    public static partial void NotSent(ILogger logger, int opcode, string reason);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "READY carried no usable resume_gateway_url (\"{ResumeGatewayUrl}\"); resuming at {FallbackUrl} instead")]
    public static partial void BadResumeUrl(ILogger logger, string resumeGatewayUrl, string fallbackUrl);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "A StateChanged subscriber threw")]
    public static partial void StateChangedHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 24, Level = LogLevel.Information, Message = "Gateway closed: shutting down")]
    public static partial void ShuttingDown(ILogger logger);

    [LoggerMessage(EventId = 25, Level = LogLevel.Debug, Message = "Received op {Opcode} {EventType} sequence {Sequence}")]
    public static partial void Received(ILogger logger, int opcode, string? eventType, long? sequence);

    [LoggerMessage(EventId = 26, Level = LogLevel.Information, Message = "Waiting {DelayMs} ms after an invalid session before identifying")]
    public static partial void InvalidSessionWait(ILogger logger, double delayMs);

    [LoggerMessage(EventId = 27, Level = LogLevel.Warning, Message = "HELLO asked for a heartbeat every {AskedMs} ms; beating every {UsedMs} ms instead (outside the sane range)")]
    public static partial void HeartbeatIntervalClamped(ILogger logger, double askedMs, double usedMs);

    [LoggerMessage(EventId = 28, Level = LogLevel.Warning, Message = "Discord asks for heartbeats (op 1) faster than the {Reserved} payloads per {WindowSeconds} s reserved for them allow; requests beyond the reserve go unanswered while the scheduled beats continue")]
    public static partial void HeartbeatRequestSkipped(ILogger logger, int reserved, double windowSeconds);

    [LoggerMessage(EventId = 29, Level = LogLevel.Warning, Message = "A scheduled heartbeat found the {Reserved} reserved payloads of the window spent; skipped it rather than exceed Discord's limit")]
    public static partial void HeartbeatOverBudget(ILogger logger, int reserved);

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "The gateway's sequence numbers jumped from {LastSequence} to {Sequence}; following the gateway's numbering (further jumps on this connection are not logged)")]
    public static partial void SequenceJumped(ILogger logger, long lastSequence, long sequence);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "No {Awaited} within {TimeoutMs} ms: the bot cannot answer anyone on this connection; giving it up to identify anew")]
    public static partial void NoReady(ILogger logger, string awaited, double timeoutMs);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Ignored an unexpected {EventType}: this connection did not ask for it (or already has its session)")]
    public static partial void UnexpectedSessionEvent(ILogger logger, string eventType);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "A READY names user {UserId} of application {ApplicationId}, but the bot is user {FirstUserId} of application {FirstApplicationId} (its first READY); keeping the first")]
    public static partial void IdentityChanged(ILogger logger, ulong userId, ulong applicationId, ulong firstUserId, ulong firstApplicationId);

    [LoggerMessage(EventId = 34, Level = LogLevel.Warning, Message = "Could not read the session-start budget from GET /gateway/bot ({Reason}); identifying on the configured gateway address")]
    public static partial void SessionBudgetUnknown(ILogger logger, Exception exception, string reason);

    /// <summary>Text from the gateway as a log shows it: at most 100 characters (a hostile peer's megabyte stays out of the log).</summary>
    public static string Bounded(string text) => text.Length <= 100 ? text : string.Concat(text.AsSpan(0, 100), "…");
}
