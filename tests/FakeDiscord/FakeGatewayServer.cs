using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CaravanBot.FakeDiscord;

/// <summary>One payload a client sent to the fake gateway.</summary>
/// <param name="ConnectionIndex">Which connection (0 = the first) it came on.</param>
/// <param name="Op">Its opcode.</param>
/// <param name="Data">Its <c>d</c> (JSON null when absent).</param>
/// <param name="At">When it arrived, on <see cref="FakeGatewayServer.Elapsed"/>'s clock.</param>
/// <param name="Json">The whole payload as sent.</param>
public sealed record FakeGatewayPayload(int ConnectionIndex, int Op, JsonElement Data, TimeSpan At, string Json);

/// <summary>How a connection to the fake gateway ended.</summary>
/// <param name="ClientCloseCode">The close code the client sent (its own close, or its echo of the server's); null when it sent none.</param>
/// <param name="ClientCloseDescription">The client's close reason.</param>
/// <param name="ServerClosedFirst">The fake closed (or dropped) the connection before the client did.</param>
/// <param name="Aborted">The connection ended without a close frame from the client (dropped by either side).</param>
/// <param name="At">When it ended.</param>
public sealed record FakeGatewayClose(int? ClientCloseCode, string? ClientCloseDescription, bool ServerClosedFirst, bool Aborted, TimeSpan At);

/// <summary>
/// A real WebSocket server on 127.0.0.1 (Kestrel) that plays Discord's gateway (API v10, JSON) from payloads
/// in Discord's documented shapes: HELLO, READY (whose <c>resume_gateway_url</c> points back at this server
/// under <see cref="ResumePath"/>, so tests can tell a resume went there), RESUMED, MESSAGE_CREATE, heartbeat
/// ACKs, and replay of missed dispatches on RESUME. It records every payload and connection, and each
/// connection can be scripted: op 1, op 7, op 9, a close with any code, an abrupt drop, ACKs switched off.
/// </summary>
/// <remarks>
/// Sessions keep their numbered events: <see cref="DispatchAsync"/> sends on the session's live connection,
/// <see cref="AddMissedDispatch"/> only records one (as if it were lost on the wire), and RESUME with
/// <c>seq = n</c> replays every recorded event above <c>n − <see cref="ReplayOverlap"/></c>, then RESUMED.
/// </remarks>
public sealed class FakeGatewayServer : IAsyncDisposable
{
    /// <summary>The path of the gateway address clients are configured with.</summary>
    public const string GatewayPath = "/gateway";

    /// <summary>The path READY hands out as <c>resume_gateway_url</c>.</summary>
    public const string ResumePath = "/resume";

    // Discord's documented examples, with the identifiers this fake fills in.
    private const string HelloTemplate = """
        {"heartbeat_interval": 41250, "_trace": ["[\"gateway-prd-us-east1-b-0568\",{\"micros\":0.0}]"]}
        """;

    private const string ReadyTemplate = """
        {
          "v": 10,
          "user_settings": {},
          "user": {"id": "0", "username": "caravanbot", "global_name": null, "discriminator": "0", "avatar": null, "bot": true, "verified": true, "flags": 0, "mfa_enabled": false},
          "guilds": [{"id": "1300000000000000003", "unavailable": true}],
          "session_id": "",
          "session_type": "normal",
          "resume_gateway_url": "",
          "shard": [0, 1],
          "application": {"id": "0", "flags": 8953856},
          "private_channels": [],
          "relationships": [],
          "presences": [],
          "guild_join_requests": [],
          "geo_ordered_rtc_regions": ["newark", "us-east"],
          "_trace": ["[\"gateway-prd-us-east1-b-0568\",{\"micros\":125000}]"]
        }
        """;

    private const string ResumedTemplate = """
        {"_trace": ["[\"gateway-prd-us-east1-b-0568\",{\"micros\":1200}]"]}
        """;

    private const string MessageCreateTemplate = """
        {
          "type": 0,
          "tts": false,
          "timestamp": "2024-01-02T10:00:00.000000+00:00",
          "pinned": false,
          "nonce": "1190000000000000000",
          "mentions": [],
          "mention_roles": [],
          "mention_everyone": false,
          "member": {"roles": [], "premium_since": null, "pending": false, "nick": null, "mute": false, "joined_at": "2023-06-01T09:00:00.000000+00:00", "flags": 0, "deaf": false, "communication_disabled_until": null, "avatar": null},
          "id": "0",
          "flags": 0,
          "embeds": [],
          "edited_timestamp": null,
          "content": "",
          "components": [],
          "channel_id": "0",
          "author": {"username": "reader", "public_flags": 0, "id": "0", "global_name": "A Reader", "discriminator": "0", "avatar": null},
          "attachments": [],
          "guild_id": "0"
        }
        """;

    private const string InteractionCreateTemplate = """
        {
          "version": 1,
          "type": 2,
          "token": "",
          "member": {
            "user": {"username": "reader", "public_flags": 0, "id": "0", "global_name": "A Reader", "discriminator": "0", "avatar": null},
            "roles": [], "premium_since": null, "permissions": "2248473465835073", "pending": false, "nick": null,
            "mute": false, "joined_at": "2023-06-01T09:00:00.000000+00:00", "flags": 0, "deaf": false, "communication_disabled_until": null, "avatar": null
          },
          "locale": "en-US",
          "id": "0",
          "guild_locale": "en-US",
          "guild_id": "0",
          "guild": {"locale": "en-US", "id": "0", "features": []},
          "entitlements": [],
          "entitlement_sku_ids": [],
          "data": {"type": 1, "name": "", "id": "1330000000000000006", "options": []},
          "context": 0,
          "channel_id": "0",
          "channel": {"type": 0, "id": "0", "guild_id": "0", "name": "general"},
          "authorizing_integration_owners": {"0": "0"},
          "application_id": "0",
          "app_permissions": "2248473465835073"
        }
        """;

    private readonly WebApplication _app;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private readonly List<FakeGatewayConnection> _connections = [];
    private readonly List<FakeGatewayPayload> _received = [];
    private readonly List<TimeSpan> _upgradeAttempts = [];
    private readonly List<FakeGatewaySession> _sessions = [];
    private int _rejectUpgrades;
    private long _nextMessageId = 1400000000000000000;

    private FakeGatewayServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The base of every address, <c>ws://127.0.0.1:port</c>.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>The address to give the client (as <c>Discord:GatewayUrl</c> or from <c>GET /gateway/bot</c>).</summary>
    public string GatewayUrl => BaseUrl + GatewayPath;

    /// <summary>The address READY hands out for resuming.</summary>
    public string ResumeUrl => BaseUrl + ResumePath;

    /// <summary><c>heartbeat_interval</c> sent in HELLO, in milliseconds.</summary>
    public int HeartbeatIntervalMs { get; set; } = 1000;

    /// <summary>Whether new connections answer heartbeats with op 11 (each connection can be switched on its own).</summary>
    public bool AckHeartbeats { get; set; } = true;

    /// <summary>Whether IDENTIFY is answered with READY at once.</summary>
    public bool AutoReady { get; set; } = true;

    /// <summary>Whether HELLO is sent as soon as a connection opens.</summary>
    public bool SendHello { get; set; } = true;

    /// <summary>Fault script: RESUME is never answered (neither RESUMED nor op 9), as a gateway gone quiet.</summary>
    public bool IgnoreResumes { get; set; }

    /// <summary>Fault script: every connection that resumes is dropped this long after RESUMED (null: never).</summary>
    public TimeSpan? DropResumedAfter { get; set; }

    /// <summary>Fault script: drop every resumed connection <paramref name="after"/> RESUMED, a reconnect storm's trigger.</summary>
    public void DropEveryResumedConnectionAfter(TimeSpan after) => DropResumedAfter = after;

    /// <summary>How many already-acknowledged events a RESUME replays besides the missed ones (Discord may repeat some).</summary>
    public int ReplayOverlap { get; set; }

    /// <summary>
    /// How many shards the bot is expected to run: a guild's events go to the latest session identified as shard
    /// <c>(guild_id &gt;&gt; 22) % ShardCount</c>, events outside a guild to shard 0 (<see cref="DispatchToShardAsync"/>).
    /// </summary>
    public int ShardCount { get; set; } = 1;

    /// <summary>The bot user's id in READY.</summary>
    public ulong BotUserId { get; set; } = 1100000000000000001;

    /// <summary>The application's id in READY.</summary>
    public ulong ApplicationId { get; set; } = 1200000000000000002;

    /// <summary>
    /// Sees every client payload before the default handling (ACK, READY, replay); returning true skips the
    /// default. Use it to answer IDENTIFY with a close code, for instance.
    /// </summary>
    public Func<FakeGatewayConnection, FakeGatewayPayload, Task<bool>>? Intercept { get; set; }

    /// <summary>Time since the server started; every recorded time is on this clock.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Every accepted connection, in order.</summary>
    public IReadOnlyList<FakeGatewayConnection> Connections
    {
        get
        {
            lock (_gate)
            {
                return [.. _connections];
            }
        }
    }

    /// <summary>Every payload received, in order.</summary>
    public IReadOnlyList<FakeGatewayPayload> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>When each upgrade request arrived, rejected ones included.</summary>
    public IReadOnlyList<TimeSpan> UpgradeAttempts
    {
        get
        {
            lock (_gate)
            {
                return [.. _upgradeAttempts];
            }
        }
    }

    /// <summary>The session the last IDENTIFY started, or null.</summary>
    public FakeGatewaySession? CurrentSession
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count == 0 ? null : _sessions[^1];
            }
        }
    }

    /// <summary>Starts the server on a free port of 127.0.0.1.</summary>
    public static async Task<FakeGatewayServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeGatewayServer(app);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Map(GatewayPath, server.AcceptAsync);
        app.Map(ResumePath, server.AcceptAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = new Uri(app.Urls.First());
        server.BaseUrl = $"ws://127.0.0.1:{address.Port.ToString(CultureInfo.InvariantCulture)}";
        return server;
    }

    /// <summary>Answers the next <paramref name="count"/> upgrade requests with HTTP 503 instead of a WebSocket.</summary>
    public void RejectNextUpgrades(int count) => Interlocked.Exchange(ref _rejectUpgrades, count);

    /// <summary>Waits for the connection with the given index to open.</summary>
    public async Task<FakeGatewayConnection> WaitForConnectionAsync(int index, TimeSpan? timeout = null)
    {
        await WaitUntilAsync(() => Connections.Count > index, $"connection #{index.ToString(CultureInfo.InvariantCulture)}", timeout).ConfigureAwait(false);
        return Connections[index];
    }

    /// <summary>Waits for the first payload (already received or still to come) that matches.</summary>
    public async Task<FakeGatewayPayload> WaitForPayloadAsync(Func<FakeGatewayPayload, bool> match, string description, TimeSpan? timeout = null)
    {
        FakeGatewayPayload? found = null;
        await WaitUntilAsync(() => (found = Received.FirstOrDefault(match)) is not null, description, timeout).ConfigureAwait(false);
        return found!;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; throws <see cref="TimeoutException"/> naming what was awaited.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string description, TimeSpan? timeout = null)
    {
        var deadline = Elapsed + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (Elapsed > deadline)
            {
                var ops = string.Join(", ", Received.Select(p => $"#{p.ConnectionIndex}:op{p.Op}"));
                throw new TimeoutException($"Timed out waiting for {description}. Connections: {Connections.Count}; received: [{ops}]");
            }

            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends a dispatch in the current session (on its live connection, if any, split over <paramref name="frames"/>
    /// WebSocket frames) and returns its sequence number.
    /// </summary>
    public Task<long> DispatchAsync(string type, JsonNode data, int frames = 1) =>
        (CurrentSession ?? throw new InvalidOperationException("No session: the client has not identified.")).DispatchAsync(type, data, frames);

    /// <summary>
    /// Sends a dispatch as Discord routes it among shards: to the latest session of shard
    /// <c>(guild_id &gt;&gt; 22) % <see cref="ShardCount"/></c> (shard 0 without a <c>guild_id</c>), on its live connection if it
    /// has one (otherwise only recorded, for a RESUME to replay). Returns the shard and the sequence number.
    /// </summary>
    public async Task<(int Shard, long Sequence)> DispatchToShardAsync(string type, JsonNode data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var guild = data["guild_id"]?.GetValue<string>();
        var shard = guild is null ? 0 : (int)((ulong.Parse(guild, CultureInfo.InvariantCulture) >> 22) % (ulong)ShardCount);
        FakeGatewaySession? session;
        lock (_gate)
        {
            session = _sessions.LastOrDefault(s => s.ShardId == shard);
        }

        if (session is null)
        {
            throw new InvalidOperationException($"No session identified as shard {shard.ToString(CultureInfo.InvariantCulture)}.");
        }

        return (shard, await session.DispatchAsync(type, data, frames: 1).ConfigureAwait(false));
    }

    /// <summary>The latest session identified as <paramref name="shard"/>, or null.</summary>
    public FakeGatewaySession? SessionOfShard(int shard)
    {
        lock (_gate)
        {
            return _sessions.LastOrDefault(s => s.ShardId == shard);
        }
    }

    /// <summary>Records a dispatch in the current session without sending it: a RESUME will replay it.</summary>
    public long AddMissedDispatch(string type, JsonNode data) =>
        (CurrentSession ?? throw new InvalidOperationException("No session: the client has not identified.")).Add(type, data);

    /// <summary>Sends a MESSAGE_CREATE with <paramref name="content"/> and returns its sequence number.</summary>
    public Task<long> SendMessageCreateAsync(string content) => DispatchAsync("MESSAGE_CREATE", MessageCreate(content));

    /// <summary>A MESSAGE_CREATE <c>d</c> in Discord's shape, from a reader in a guild channel.</summary>
    public JsonObject MessageCreate(string content, ulong channelId = 1310000000000000004, ulong guildId = 1300000000000000003, ulong authorId = 1320000000000000005)
    {
        var message = JsonNode.Parse(MessageCreateTemplate)!.AsObject();
        message["id"] = Interlocked.Increment(ref _nextMessageId).ToString(CultureInfo.InvariantCulture);
        message["channel_id"] = channelId.ToString(CultureInfo.InvariantCulture);
        message["guild_id"] = guildId.ToString(CultureInfo.InvariantCulture);
        message["author"]!["id"] = authorId.ToString(CultureInfo.InvariantCulture);
        message["content"] = content;
        return message;
    }

    /// <summary>
    /// A MESSAGE_CREATE <c>d</c> that mentions the bot (<c>&lt;@id&gt; question</c>, the bot in <c>mentions</c>), from
    /// <paramref name="authorId"/> in a guild channel.
    /// </summary>
    public JsonObject BotMention(string question, ulong channelId = 1310000000000000004, ulong guildId = 1300000000000000003, ulong authorId = 1320000000000000005)
    {
        var bot = BotUserId.ToString(CultureInfo.InvariantCulture);
        var message = MessageCreate($"<@{bot}> {question}", channelId, guildId, authorId);
        message["mentions"] = new JsonArray(new JsonObject
        {
            ["id"] = bot,
            ["username"] = "caravanbot",
            ["global_name"] = null,
            ["discriminator"] = "0",
            ["avatar"] = null,
            ["bot"] = true,
            ["public_flags"] = 0,
        });
        return message;
    }

    /// <summary>
    /// An INTERACTION_CREATE <c>d</c> in Discord's shape: the slash command <paramref name="command"/> with string
    /// options, invoked by a member in a guild channel. <paramref name="token"/> is the interaction's continuation token.
    /// </summary>
    public JsonObject SlashCommandInteraction(string command, IReadOnlyDictionary<string, string> options, string token = "fake-interaction-token", ulong channelId = 1310000000000000004, ulong guildId = 1300000000000000003, ulong userId = 1320000000000000005)
    {
        var interaction = JsonNode.Parse(InteractionCreateTemplate)!.AsObject();
        var guild = guildId.ToString(CultureInfo.InvariantCulture);
        var channel = channelId.ToString(CultureInfo.InvariantCulture);
        interaction["id"] = Interlocked.Increment(ref _nextMessageId).ToString(CultureInfo.InvariantCulture);
        interaction["application_id"] = ApplicationId.ToString(CultureInfo.InvariantCulture);
        interaction["token"] = token;
        interaction["guild_id"] = guild;
        interaction["guild"]!["id"] = guild;
        interaction["channel_id"] = channel;
        interaction["channel"]!["id"] = channel;
        interaction["channel"]!["guild_id"] = guild;
        interaction["member"]!["user"]!["id"] = userId.ToString(CultureInfo.InvariantCulture);
        interaction["authorizing_integration_owners"] = new JsonObject { ["0"] = guild };
        interaction["data"]!["name"] = command;
        interaction["data"]!["options"] = new JsonArray([.. options.Select(o => (JsonNode)new JsonObject { ["name"] = o.Key, ["type"] = 3, ["value"] = o.Value })]);
        return interaction;
    }

    /// <summary>
    /// An INTERACTION_CREATE <c>d</c> in Discord's shape for a click (type 3, MESSAGE_COMPONENT) on the button
    /// <paramref name="customId"/> of <paramref name="message"/> (the message object as Discord holds it, e.g. from
    /// <see cref="FakeRestServer.FindMessage"/>), by member <paramref name="userId"/> whose channel permissions are
    /// <paramref name="permissions"/> (a decimal string; Manage Messages is 1 &lt;&lt; 13). The channel is the message's.
    /// </summary>
    public JsonObject ComponentInteraction(string customId, JsonObject message, string token, ulong userId, string permissions, ulong guildId = 1300000000000000003)
    {
        ArgumentNullException.ThrowIfNull(message);
        var channelId = ulong.Parse(message["channel_id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var interaction = MemberInteraction(3, token, channelId, guildId, userId, permissions);
        interaction["data"] = new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 };
        interaction["message"] = message.DeepClone();
        return interaction;
    }

    /// <summary>
    /// An INTERACTION_CREATE <c>d</c> in Discord's shape for a submitted modal (type 5, MODAL_SUBMIT): the form
    /// <paramref name="customId"/> with one action row per text input (type 4, its custom id and value). A modal opened
    /// from a button carries that button's <paramref name="message"/>; the channel is the message's, else <paramref name="channelId"/>.
    /// </summary>
    public JsonObject ModalSubmitInteraction(
        string customId,
        IReadOnlyList<(string CustomId, string Value)> values,
        string token,
        ulong userId,
        string permissions,
        JsonObject? message = null,
        ulong channelId = 1310000000000000004,
        ulong guildId = 1300000000000000003)
    {
        ArgumentNullException.ThrowIfNull(values);
        var channel = message?["channel_id"] is { } id ? ulong.Parse(id.GetValue<string>(), CultureInfo.InvariantCulture) : channelId;
        var interaction = MemberInteraction(5, token, channel, guildId, userId, permissions);
        interaction["data"] = new JsonObject
        {
            ["custom_id"] = customId,
            ["components"] = new JsonArray([.. values.Select(v => (JsonNode)new JsonObject
            {
                ["type"] = 1,
                ["components"] = new JsonArray(new JsonObject { ["type"] = 4, ["custom_id"] = v.CustomId, ["value"] = v.Value }),
            })]),
        };
        if (message is not null)
        {
            interaction["message"] = message.DeepClone();
        }

        return interaction;
    }

    private JsonObject MemberInteraction(int type, string token, ulong channelId, ulong guildId, ulong userId, string permissions)
    {
        var interaction = JsonNode.Parse(InteractionCreateTemplate)!.AsObject();
        var guild = guildId.ToString(CultureInfo.InvariantCulture);
        var channel = channelId.ToString(CultureInfo.InvariantCulture);
        var user = userId.ToString(CultureInfo.InvariantCulture);
        interaction["id"] = Interlocked.Increment(ref _nextMessageId).ToString(CultureInfo.InvariantCulture);
        interaction["type"] = type;
        interaction["application_id"] = ApplicationId.ToString(CultureInfo.InvariantCulture);
        interaction["token"] = token;
        interaction["guild_id"] = guild;
        interaction["guild"]!["id"] = guild;
        interaction["channel_id"] = channel;
        interaction["channel"]!["id"] = channel;
        interaction["channel"]!["guild_id"] = guild;
        interaction["member"]!["user"]!["id"] = user;
        interaction["member"]!["user"]!["username"] = "user" + user;
        interaction["member"]!["user"]!["global_name"] = "User " + user;
        interaction["member"]!["permissions"] = permissions;
        interaction["authorizing_integration_owners"] = new JsonObject { ["0"] = guild };
        return interaction;
    }

    /// <summary>Stops the server and drops every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var connection in Connections)
        {
            connection.Abort();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    internal JsonObject Hello() => Set(JsonNode.Parse(HelloTemplate)!.AsObject(), "heartbeat_interval", HeartbeatIntervalMs);

    internal void Record(FakeGatewayPayload payload)
    {
        lock (_gate)
        {
            _received.Add(payload);
        }
    }

    internal FakeGatewaySession CreateSession(int shardId = 0)
    {
        lock (_gate)
        {
            var session = new FakeGatewaySession($"fake-session-{(_sessions.Count + 1).ToString(CultureInfo.InvariantCulture)}", shardId);
            _sessions.Add(session);
            return session;
        }
    }

    internal FakeGatewaySession? FindSession(string? id)
    {
        lock (_gate)
        {
            return _sessions.FirstOrDefault(s => s.Id == id);
        }
    }

    /// <summary>READY for <paramref name="session"/> in Discord's shape (the default answer to IDENTIFY); tests send altered copies.</summary>
    public JsonObject Ready(FakeGatewaySession session)
    {
        var ready = JsonNode.Parse(ReadyTemplate)!.AsObject();
        ready["user"]!["id"] = BotUserId.ToString(CultureInfo.InvariantCulture);
        ready["application"]!["id"] = ApplicationId.ToString(CultureInfo.InvariantCulture);
        ready["session_id"] = session.Id;
        ready["resume_gateway_url"] = ResumeUrl;
        ready["shard"] = new JsonArray(session.ShardId, ShardCount);
        return ready;
    }

    internal static JsonObject Resumed() => JsonNode.Parse(ResumedTemplate)!.AsObject();

    private static JsonObject Set(JsonObject node, string name, JsonNode? value)
    {
        node[name] = value;
        return node;
    }

    private async Task AcceptAsync(HttpContext context)
    {
        lock (_gate)
        {
            _upgradeAttempts.Add(Elapsed);
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (Interlocked.Decrement(ref _rejectUpgrades) >= 0)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        Interlocked.Exchange(ref _rejectUpgrades, 0);
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        FakeGatewayConnection connection;
        lock (_gate)
        {
            connection = new FakeGatewayConnection(this, _connections.Count, socket, context, Elapsed);
            _connections.Add(connection);
        }

        await connection.RunAsync().ConfigureAwait(false);
    }
}

/// <summary>A session of the fake gateway: its id and its numbered events.</summary>
public sealed class FakeGatewaySession
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly List<(long Sequence, string Json)> _events = [];
    private long _sequence;

    internal FakeGatewaySession(string id, int shardId)
    {
        Id = id;
        ShardId = shardId;
    }

    /// <summary>The <c>session_id</c> READY gave out.</summary>
    public string Id { get; }

    /// <summary>The shard its IDENTIFY named (0 when it named none).</summary>
    public int ShardId { get; }

    /// <summary>When set, RESUME of this session is answered with op 9 d=false.</summary>
    public bool Invalidated { get; set; }

    /// <summary>The last sequence number given out.</summary>
    public long LastSequence => Interlocked.Read(ref _sequence);

    /// <summary>The connection its events currently go to.</summary>
    public FakeGatewayConnection? Live { get; private set; }

    internal long Add(string type, JsonNode data)
    {
        _lock.Wait();
        try
        {
            return Append(type, data).Sequence;
        }
        finally
        {
            _lock.Release();
        }
    }

    internal async Task<long> DispatchAsync(string type, JsonNode data, int frames)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            var (sequence, json) = Append(type, data);
            if (Live is { IsOpen: true } live)
            {
                try
                {
                    await live.SendRawAsync(json, frames).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
                {
                    // Lost on the wire: a RESUME replays it.
                }
            }

            return sequence;
        }
        finally
        {
            _lock.Release();
        }
    }

    internal async Task StartAsync(FakeGatewayConnection connection, JsonObject ready)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            Live = connection;
            await connection.SendRawAsync(Append("READY", ready).Json).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    internal async Task ResumeAsync(FakeGatewayConnection connection, long after, int overlap)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var (_, json) in _events.Where(e => e.Sequence > after - overlap).ToList())
            {
                await connection.SendRawAsync(json).ConfigureAwait(false);
            }

            Live = connection;
            await connection.SendRawAsync(Append("RESUMED", FakeGatewayServer.Resumed()).Json).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    private (long Sequence, string Json) Append(string type, JsonNode data)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var json = new JsonObject { ["t"] = type, ["s"] = sequence, ["op"] = 0, ["d"] = data.DeepClone() }.ToJsonString();
        _events.Add((sequence, json));
        return (sequence, json);
    }
}

/// <summary>One client connection to the fake gateway: what the client sent on it, and the script's levers.</summary>
public sealed class FakeGatewayConnection
{
    private readonly FakeGatewayServer _server;
    private readonly WebSocket _socket;
    private readonly HttpContext _context;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource<FakeGatewayClose> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _serverClosed;

    internal FakeGatewayConnection(FakeGatewayServer server, int index, WebSocket socket, HttpContext context, TimeSpan openedAt)
    {
        _server = server;
        _socket = socket;
        _context = context;
        Index = index;
        OpenedAt = openedAt;
        Path = context.Request.Path.Value ?? string.Empty;
        Query = context.Request.QueryString.Value ?? string.Empty;
        UserAgent = context.Request.Headers.UserAgent.ToString();
        AckHeartbeats = server.AckHeartbeats;
    }

    /// <summary>0 for the first connection.</summary>
    public int Index { get; }

    /// <summary><see cref="FakeGatewayServer.GatewayPath"/> or <see cref="FakeGatewayServer.ResumePath"/>.</summary>
    public string Path { get; }

    /// <summary>The query string of the upgrade request, with its <c>?</c>.</summary>
    public string Query { get; }

    /// <summary>The User-Agent header of the upgrade request.</summary>
    public string UserAgent { get; }

    /// <summary>When the connection opened.</summary>
    public TimeSpan OpenedAt { get; }

    /// <summary>When HELLO was sent.</summary>
    public TimeSpan? HelloAt { get; private set; }

    /// <summary>Whether heartbeats on this connection are answered with op 11.</summary>
    public bool AckHeartbeats { get; set; }

    /// <summary>The shard id this connection's IDENTIFY named in <c>shard: [id, count]</c>, or null.</summary>
    public int? IdentifiedShard { get; private set; }

    /// <summary>The session identified or resumed on this connection.</summary>
    public FakeGatewaySession? Session { get; private set; }

    /// <summary>Completes when the connection has ended, with how.</summary>
    public Task<FakeGatewayClose> Closed => _closed.Task;

    /// <summary>Whether the socket is still open both ways.</summary>
    public bool IsOpen => _socket.State == WebSocketState.Open;

    /// <summary>The payloads received on this connection.</summary>
    public IReadOnlyList<FakeGatewayPayload> Received => [.. _server.Received.Where(p => p.ConnectionIndex == Index)];

    /// <summary>Sends a payload <c>{"t", "s", "op", "d"}</c>.</summary>
    public Task SendAsync(int op, JsonNode? data, long? sequence = null, string? type = null) =>
        SendRawAsync(new JsonObject { ["t"] = type, ["s"] = sequence, ["op"] = op, ["d"] = data?.DeepClone() }.ToJsonString());

    /// <summary>Sends text as one message split over <paramref name="frames"/> WebSocket frames.</summary>
    public async Task SendRawAsync(string json, int frames = 1)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var size = (bytes.Length + frames - 1) / Math.Max(frames, 1);
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            for (var offset = 0; offset < bytes.Length || offset == 0; offset += size)
            {
                var count = Math.Min(size, bytes.Length - offset);
                var last = offset + count >= bytes.Length;
                await _socket.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Text, last, CancellationToken.None).ConfigureAwait(false);
                if (last)
                {
                    break;
                }
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends HELLO with <paramref name="intervalMs"/> or the server's interval.</summary>
    public Task SendHelloAsync(int? intervalMs = null)
    {
        HelloAt = _server.Elapsed;
        var hello = _server.Hello();
        if (intervalMs is { } interval)
        {
            hello["heartbeat_interval"] = interval;
        }

        return SendAsync(10, hello);
    }

    /// <summary>op 1: asks the client for a heartbeat now.</summary>
    public Task RequestHeartbeatAsync() => SendAsync(1, null);

    /// <summary>Fault script: <paramref name="count"/> op 1 requests back to back, as a flooding gateway sends them.</summary>
    public async Task FloodHeartbeatRequestsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await RequestHeartbeatAsync().ConfigureAwait(false);
        }
    }

    /// <summary>op 7: asks the client to reconnect and resume.</summary>
    public Task SendReconnectAsync() => SendAsync(7, null);

    /// <summary>op 9 with <c>d</c> = <paramref name="resumable"/>.</summary>
    public Task SendInvalidSessionAsync(bool resumable) => SendAsync(9, JsonValue.Create(resumable));

    /// <summary>Sends READY for a new session, as the default handling of IDENTIFY does.</summary>
    public async Task SendReadyAsync()
    {
        var session = _server.CreateSession(IdentifiedShard ?? 0);
        Session = session;
        await session.StartAsync(this, _server.Ready(session)).ConfigureAwait(false);
    }

    /// <summary>Closes with <paramref name="code"/> (the client is expected to echo it).</summary>
    public async Task CloseAsync(int code, string reason = "")
    {
        _serverClosed = true;
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            // Already gone.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Drops the TCP connection without a close frame.</summary>
    public void Abort()
    {
        if (Closed.IsCompleted)
        {
            return;
        }

        _serverClosed = true;
        try
        {
            _socket.Abort();
            _context.Abort();
        }
        catch (ObjectDisposedException)
        {
            // The request ended meanwhile.
        }
    }

    internal async Task RunAsync()
    {
        try
        {
            if (_server.SendHello)
            {
                await SendHelloAsync().ConfigureAwait(false);
            }

            var buffer = new byte[8192];
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, CancellationToken.None).ConfigureAwait(false);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var close = new FakeGatewayClose((int?)_socket.CloseStatus, _socket.CloseStatusDescription, _serverClosed, Aborted: false, _server.Elapsed);
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await CompleteCloseAsync().ConfigureAwait(false);
                    }

                    _closed.TrySetResult(close);
                    return;
                }

                try
                {
                    await HandleAsync(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length)).ConfigureAwait(false);
                }
                catch (Exception ex) when ((ex is WebSocketException or IOException or ObjectDisposedException) && _socket.State != WebSocketState.Open)
                {
                    // The answer (an ACK, say) crossed a close; keep reading to record how the client ends it.
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            _closed.TrySetResult(new FakeGatewayClose(null, null, _serverClosed, Aborted: true, _server.Elapsed));
        }
    }

    private async Task DropAfterAsync(TimeSpan after)
    {
        await Task.Delay(after).ConfigureAwait(false);
        Abort();
    }

    private async Task CompleteCloseAsync()
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _socket.CloseOutputAsync(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, _socket.CloseStatusDescription, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            // The client dropped the connection right after its close frame.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task HandleAsync(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var op = root.GetProperty("op").GetInt32();
        var data = root.TryGetProperty("d", out var d) ? d.Clone() : default;
        var payload = new FakeGatewayPayload(Index, op, data, _server.Elapsed, json);
        _server.Record(payload);
        if (op == 2 && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("shard", out var shard)
            && shard.ValueKind == JsonValueKind.Array && shard.GetArrayLength() == 2 && shard[0].TryGetInt32(out var shardId))
        {
            IdentifiedShard = shardId;
        }

        if (_server.Intercept is { } intercept && await intercept(this, payload).ConfigureAwait(false))
        {
            return;
        }

        switch (op)
        {
            case 1 when AckHeartbeats:
                await SendAsync(11, null).ConfigureAwait(false);
                break;
            case 2 when _server.AutoReady:
                await SendReadyAsync().ConfigureAwait(false);
                break;
            case 6 when _server.IgnoreResumes:
                break;
            case 6:
                var session = _server.FindSession(data.GetProperty("session_id").GetString());
                if (session is null || session.Invalidated)
                {
                    await SendInvalidSessionAsync(resumable: false).ConfigureAwait(false);
                    break;
                }

                Session = session;
                await session.ResumeAsync(this, data.GetProperty("seq").GetInt64(), _server.ReplayOverlap).ConfigureAwait(false);
                if (_server.DropResumedAfter is { } after)
                {
                    _ = DropAfterAsync(after);
                }

                break;
        }
    }
}
