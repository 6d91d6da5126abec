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

    /// <summary>
    /// How long a connection must have been up after READY or RESUMED before the back-off starts over. A gateway
    /// that accepts the session and drops it at once keeps the bot backing off instead of reconnecting in a loop.
    /// </summary>
    public TimeSpan ConnectionStableAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long to wait for READY after IDENTIFY, or RESUMED after RESUME. Without an answer the connection is
    /// given up (logged as a warning) and a new session is identified, so the bot never hangs half-connected.
    /// </summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Shortest heartbeat interval the client accepts from HELLO; a shorter one (say 1 ms) is raised to this, so a
    /// broken or hostile gateway cannot make the bot beat thousands of times a minute. Discord asks for about 41 s.
    /// </summary>
    public TimeSpan MinHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest heartbeat interval the client accepts from HELLO; a longer one is lowered to this.</summary>
    public TimeSpan MaxHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Shortest wait after Invalid Session (op 9, d=false) before identifying again (Discord: 1–5 s). This wait
    /// replaces the reconnect back-off: Discord asks for a pause of seconds, not the back-off's minute.
    /// </summary>
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
    /// Slots of <see cref="SendLimit"/> kept for heartbeats, which never wait for the other payloads' limiter. The
    /// scheduled beats of a window come first (at <see cref="MinHeartbeatInterval"/>, 5 s, at most 13 a minute);
    /// answers to Discord's op 1 take what is left, so a flood of op 1 never pushes the bot past 120 payloads.
    /// </summary>
    public int ReservedHeartbeatSends { get; set; } = 20;

    /// <summary>Largest payload the gateway accepts, in bytes of UTF-8 JSON; larger ones are refused and logged.</summary>
    public int MaxPayloadBytes { get; set; } = 4096;

    /// <summary>
    /// Largest message accepted from Discord (GUILD_CREATE of a big guild runs to a megabyte or two without zlib,
    /// and the bot asks for no member or presence lists); anything larger is treated as a broken connection.
    /// </summary>
    public int MaxReceiveBytes { get; set; } = 8 * 1024 * 1024;

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
        Require(ConnectionStableAfter >= TimeSpan.Zero, nameof(ConnectionStableAfter), "must not be negative");
        Require(ReadyTimeout > TimeSpan.Zero, nameof(ReadyTimeout), "must be positive");
        Require(MinHeartbeatInterval > TimeSpan.Zero, nameof(MinHeartbeatInterval), "must be positive");
        Require(MaxHeartbeatInterval >= MinHeartbeatInterval, nameof(MaxHeartbeatInterval), "must be at least MinHeartbeatInterval");
        Require(InvalidSessionDelayMin >= TimeSpan.Zero, nameof(InvalidSessionDelayMin), "must not be negative");
        Require(InvalidSessionDelayMax >= InvalidSessionDelayMin, nameof(InvalidSessionDelayMax), "must be at least InvalidSessionDelayMin");
        Require(IdentifyInterval >= TimeSpan.Zero, nameof(IdentifyInterval), "must not be negative");
        Require(SendWindow > TimeSpan.Zero, nameof(SendWindow), "must be positive");
        Require(ReservedHeartbeatSends >= 0, nameof(ReservedHeartbeatSends), "must not be negative");
        Require(SendLimit > ReservedHeartbeatSends + 1, nameof(SendLimit), "must leave room for IDENTIFY/RESUME besides the heartbeat reserve");
        Require(
            ReservedHeartbeatSends > ScheduledBeatsPerWindow(MinHeartbeatInterval),
            nameof(ReservedHeartbeatSends),
            "must hold the scheduled heartbeats of a window at MinHeartbeatInterval, plus at least one answer to op 1");
        Require(MaxPayloadBytes >= 256, nameof(MaxPayloadBytes), "must hold an IDENTIFY (at least 256 bytes)");
        Require(MaxReceiveBytes >= 4096, nameof(MaxReceiveBytes), "must be at least 4096 bytes");
        Require(ConnectTimeout > TimeSpan.Zero, nameof(ConnectTimeout), "must be positive");
        Require(HelloTimeout > TimeSpan.Zero, nameof(HelloTimeout), "must be positive");
        Require(SendTimeout > TimeSpan.Zero, nameof(SendTimeout), "must be positive");
        Require(CloseTimeout > TimeSpan.Zero, nameof(CloseTimeout), "must be positive");
        Require(DispatchQueueCapacity > 0, nameof(DispatchQueueCapacity), "must be positive");
        Require(!string.IsNullOrWhiteSpace(Os) && !string.IsNullOrWhiteSpace(Browser) && !string.IsNullOrWhiteSpace(Device), "Os/Browser/Device", "must not be empty");
    }

    /// <summary>Scheduled heartbeats one send window can hold at <paramref name="interval"/>: one per interval, plus the jittered first.</summary>
    internal int ScheduledBeatsPerWindow(TimeSpan interval) =>
        (int)Math.Min(int.MaxValue - 1, Math.Ceiling(LimiterWindow / interval)) + 1;

    /// <summary>
    /// The window the client's limiters count in: <see cref="SendWindow"/> stretched by one segment, so that a burst at
    /// the end of one segment cannot meet a burst at the start of Discord's next window (a plain fixed window would
    /// allow twice the limit across a boundary).
    /// </summary>
    internal TimeSpan LimiterWindow => SendWindow + (SendWindow / LimiterSegments);

    /// <summary>Segments of <see cref="SendWindow"/> the sliding limiters move by.</summary>
    internal const int LimiterSegments = 10;

    private static void Require(bool condition, string name, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"GatewayClientOptions.{name} {problem}.", name);
        }
    }
}
