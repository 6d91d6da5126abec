using System.Text.Json;

namespace CaravanBot.Bot.Discord.Gateway;

/// <summary>One dispatched event (op 0) as received: its name, sequence number and raw data.</summary>
/// <param name="Type">The event name, e.g. <c>MESSAGE_CREATE</c>, <c>INTERACTION_CREATE</c>, <c>READY</c>.</param>
/// <param name="Sequence">The sequence number <c>s</c>.</param>
/// <param name="Data">The event's <c>d</c> object (a clone that outlives the socket buffer).</param>
public sealed record GatewayDispatch(string Type, long Sequence, JsonElement Data)
{
    /// <summary>
    /// When the event came off the socket, as a <see cref="TimeProvider.GetTimestamp"/> of the client's clock
    /// (0 when unknown): deadlines that Discord counts from sending the event, such as an interaction's 3 s,
    /// are measured from here rather than from whenever the handler got to it.
    /// </summary>
    public long ReceivedAt { get; init; }

    /// <summary>The shard whose connection received the event (0 when the bot is not sharded).</summary>
    public int Shard { get; init; }
}

/// <summary>Connection states, logged on every change.</summary>
public enum GatewayState
{
    /// <summary>Not connected yet.</summary>
    Disconnected,

    /// <summary>Opening the WebSocket.</summary>
    Connecting,

    /// <summary>Sent IDENTIFY, waiting for READY.</summary>
    Identifying,

    /// <summary>Sent RESUME, waiting for RESUMED.</summary>
    Resuming,

    /// <summary>READY or RESUMED received; events flow.</summary>
    Connected,

    /// <summary>Waiting (back-off) before the next connection attempt.</summary>
    Reconnecting,

    /// <summary>Stopped: cancelled, or a fatal close code.</summary>
    Stopped,
}

/// <summary>One shard's connection as it stands.</summary>
/// <param name="Shard">Which shard.</param>
/// <param name="State">Its connection state.</param>
/// <param name="Reconnects">Connections it opened after its first.</param>
public sealed record GatewayShardStatus(GatewayShard Shard, GatewayState State, int Reconnects);

/// <summary>What READY told the bot about itself.</summary>
/// <param name="SessionId">The session to resume.</param>
/// <param name="ResumeGatewayUrl">Where to resume.</param>
/// <param name="UserId">The bot user's id (to recognise mentions and its own messages).</param>
/// <param name="ApplicationId">The application's id (for commands and interaction webhooks).</param>
public sealed record GatewaySession(string SessionId, string ResumeGatewayUrl, ulong UserId, ulong ApplicationId);

/// <summary>Thrown when Discord closes the gateway with a code after which reconnecting cannot help.</summary>
public sealed class GatewayFatalException : Exception
{
    /// <summary>Creates the exception; the message names the cause and what to do.</summary>
    public GatewayFatalException(int closeCode, string message) : base(message)
    {
        CloseCode = closeCode;
    }

    /// <summary>The WebSocket close code (4004, 4010–4014).</summary>
    public int CloseCode { get; }
}

/// <summary>
/// A Discord gateway connection that stays up: heartbeats, resumes, re-identifies and backs off
/// as Discord's rules say, and hands every dispatch to the caller in order.
/// </summary>
public interface IGatewayClient
{
    /// <summary>The current state.</summary>
    GatewayState State { get; }

    /// <summary>The session from the last READY, or null before the first.</summary>
    GatewaySession? Session { get; }

    /// <summary>Raised on every state change (also logged).</summary>
    event Action<GatewayState>? StateChanged;

    /// <summary>
    /// Each shard this client runs, with its state and reconnects (one entry, shard 0 of 1, when it is not sharded);
    /// empty until the shards are known.
    /// </summary>
    IReadOnlyList<GatewayShardStatus> Shards => [new GatewayShardStatus(GatewayShard.Unsharded, State, 0)];

    /// <summary>
    /// Connects and keeps the connection up until <paramref name="cancellationToken"/> is cancelled
    /// (then closes cleanly) or a fatal close code arrives (then throws <see cref="GatewayFatalException"/>).
    /// <paramref name="onDispatch"/> is awaited for each dispatch in sequence order; READY and RESUMED
    /// are handled by the client and also passed on.
    /// </summary>
    Task RunAsync(Func<GatewayDispatch, CancellationToken, ValueTask> onDispatch, CancellationToken cancellationToken);
}
