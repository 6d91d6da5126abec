namespace CaravanBot.Bot.Discord.Gateway;

/// <summary>
/// Tuning knobs of <see cref="GatewayClient"/>. The defaults are Discord's documented numbers
/// (see <c>shared/discord/GATEWAY.md</c>); tests shrink the timings.
/// </summary>
public sealed class GatewayClientOptions
{
    /// <summary>Configuration section name (under <c>Discord</c>).</summary>
    public const string SectionName = "Discord:Gateway";

    /// <summary>Intents sent in IDENTIFY; GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES | MESSAGE_CONTENT by default.</summary>
    public GatewayIntents Intents { get; set; } = GatewayIntents.CaravanBotDefault;

    /// <summary>IDENTIFY <c>properties.os</c>.</summary>
    public string Os { get; set; } = "linux";

    /// <summary>IDENTIFY <c>properties.browser</c> (the library name).</summary>
    public string Browser { get; set; } = "caravanbot";

    /// <summary>IDENTIFY <c>properties.device</c> (the library name).</summary>
    public string Device { get; set; } = "caravanbot";

    /// <summary>
    /// Back-off before the second attempt in a row that failed; it doubles with each further failure,
    /// up to <see cref="ReconnectBackoffMax"/>, and the actual wait is uniformly random below it (full jitter).
    /// </summary>
    public TimeSpan ReconnectBackoffBase { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of the reconnect back-off.</summary>
    public TimeSpan ReconnectBackoffMax { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Shortest wait after Invalid Session (op 9, d=false) before identifying again (Discord: 1–5 s).</summary>
    public TimeSpan InvalidSessionDelayMin { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait after Invalid Session (op 9, d=false) before identifying again.</summary>
    public TimeSpan InvalidSessionDelayMax { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Shortest time between two IDENTIFYs: Discord allows one per 5 s per <c>max_concurrency</c> bucket,
    /// and CaravanBot runs one unsharded connection.
    /// </summary>
    public TimeSpan IdentifyInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Payloads a connection may send per <see cref="SendWindow"/> (Discord closes with 4008 beyond 120 per 60 s).</summary>
    public int SendLimit { get; set; } = 120;

    /// <summary>The window of <see cref="SendLimit"/>.</summary>
    public TimeSpan SendWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Slots of <see cref="SendLimit"/> kept for heartbeats, which never wait for the limiter:
    /// at Discord's ~41 s interval a window holds at most two scheduled beats plus an answer to a server op 1.
    /// </summary>
    public int ReservedHeartbeatSends { get; set; } = 3;

    /// <summary>Largest payload the gateway accepts, in bytes of UTF-8 JSON; larger ones are refused and logged.</summary>
    public int MaxPayloadBytes { get; set; } = 4096;

    /// <summary>
    /// Largest message accepted from Discord (GUILD_CREATE of a big guild runs to megabytes without zlib);
    /// anything larger is treated as a broken connection.
    /// </summary>
    public int MaxReceiveBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>How long the WebSocket upgrade may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for HELLO after the upgrade.</summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one send (including the wait for the socket) may take before the connection counts as dead.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long to wait for Discord's side of a close handshake before dropping the socket.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Dispatches received but not yet handled. When full, receiving pauses until the handler catches up
    /// (heartbeats continue; Discord may then drop the connection, and the resume replays what was missed).
    /// </summary>
    public int DispatchQueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// Source of the random factor in [0, 1) used for heartbeat, back-off and invalid-session jitter.
    /// Tests pin it to measure exact waits.
    /// </summary>
    internal Func<double> NextJitter { get; set; } = Random.Shared.NextDouble;

    /// <summary>Throws when the options cannot work together, naming the knob.</summary>
    internal void Validate()
    {
        Require(Intents >= 0, nameof(Intents), "must not be negative");
        Require(ReconnectBackoffBase > TimeSpan.Zero, nameof(ReconnectBackoffBase), "must be positive");
        Require(ReconnectBackoffMax >= ReconnectBackoffBase, nameof(ReconnectBackoffMax), "must be at least ReconnectBackoffBase");
        Require(InvalidSessionDelayMin >= TimeSpan.Zero, nameof(InvalidSessionDelayMin), "must not be negative");
        Require(InvalidSessionDelayMax >= InvalidSessionDelayMin, nameof(InvalidSessionDelayMax), "must be at least InvalidSessionDelayMin");
        Require(IdentifyInterval >= TimeSpan.Zero, nameof(IdentifyInterval), "must not be negative");
        Require(SendWindow > TimeSpan.Zero, nameof(SendWindow), "must be positive");
        Require(ReservedHeartbeatSends >= 0, nameof(ReservedHeartbeatSends), "must not be negative");
        Require(SendLimit > ReservedHeartbeatSends + 1, nameof(SendLimit), "must leave room for IDENTIFY/RESUME besides the heartbeat reserve");
        Require(MaxPayloadBytes >= 256, nameof(MaxPayloadBytes), "must hold an IDENTIFY (at least 256 bytes)");
        Require(MaxReceiveBytes >= 4096, nameof(MaxReceiveBytes), "must be at least 4096 bytes");
        Require(ConnectTimeout > TimeSpan.Zero, nameof(ConnectTimeout), "must be positive");
        Require(HelloTimeout > TimeSpan.Zero, nameof(HelloTimeout), "must be positive");
        Require(SendTimeout > TimeSpan.Zero, nameof(SendTimeout), "must be positive");
        Require(CloseTimeout > TimeSpan.Zero, nameof(CloseTimeout), "must be positive");
        Require(DispatchQueueCapacity > 0, nameof(DispatchQueueCapacity), "must be positive");
        Require(!string.IsNullOrWhiteSpace(Os) && !string.IsNullOrWhiteSpace(Browser) && !string.IsNullOrWhiteSpace(Device), "Os/Browser/Device", "must not be empty");
    }

    private static void Require(bool condition, string name, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"GatewayClientOptions.{name} {problem}.", name);
        }
    }
}
