using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaravanBot.Bot.Discord;
using CaravanBot.Bot.Discord.Rest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CaravanBot.FakeDiscord;

/// <summary>
/// Discord's REST API v10 played by Kestrel on 127.0.0.1 (a random port). It records every request on
/// arrival (<see cref="Requests"/>, <see cref="WaitForRequestAsync"/>) and answers as Discord does:
/// created and edited messages echo the body with string ids, the bot as author and the channel;
/// interaction callbacks answer 204 and make <c>@original</c> and follow-ups available (a second
/// callback gets 40060, <c>GET @original</c> returns the message a type 4 created); bulk overwrites return the commands with ids; <c>/gateway/bot</c> returns
/// <see cref="GatewayUrl"/>. Like Discord it checks the token (401), counts requests per bucket and
/// answers 429 past <see cref="BucketLimit"/>, sends the <c>X-RateLimit-*</c> headers, and refuses
/// bodies that break Discord's schema with 400 50035. Tests script any route with
/// <see cref="On"/> (429s, 5xx, 401/403, Discord errors, delays, dropped connections).
/// </summary>
public sealed class FakeRestServer : IAsyncDisposable
{
    /// <summary>How long waits for requests last unless told otherwise (generous: the test machine may be loaded).</summary>
    public static readonly TimeSpan DefaultWaitTimeout = TimeSpan.FromSeconds(15);

    private static readonly DateTimeOffset DiscordEpoch = new(2015, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly (string Method, string Template)[] Routes =
    [
        ("GET", "/gateway/bot"),
        ("GET", "/channels/{channel_id}"),
        ("POST", "/channels/{channel_id}/messages"),
        ("PATCH", "/channels/{channel_id}/messages/{message_id}"),
        ("DELETE", "/channels/{channel_id}/messages/{message_id}"),
        ("POST", "/interactions/{interaction_id}/{interaction_token}/callback"),
        ("PATCH", "/webhooks/{application_id}/{interaction_token}/messages/@original"),
        ("GET", "/webhooks/{application_id}/{interaction_token}/messages/@original"),
        ("POST", "/webhooks/{application_id}/{interaction_token}"),
        ("PUT", "/applications/{application_id}/commands"),
        ("PUT", "/applications/{application_id}/guilds/{guild_id}/commands"),
    ];

    private readonly WebApplication _app;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<Waiter> _waiters = [];
    private readonly List<FakeRouteScript> _scripts = [];
    private readonly Dictionary<string, WindowState> _windows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _messageIdByNonce = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InteractionState> _interactions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _commandIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directMessageChannels = new(StringComparer.Ordinal);
    private readonly List<HttpClient> _httpClients = [];
    private long _sequence;
    private long _idIncrement;

    private FakeRestServer(WebApplication app)
    {
        _app = app;
        _app.Run(HandleAsync);
    }

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:54321/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What to put in <see cref="DiscordOptions.ApiBaseUrl"/>: the address plus <c>/api/v10</c>.</summary>
    public string ApiBaseUrl => BaseAddress.AbsoluteUri.TrimEnd('/') + RecordedRequest.ApiPrefix;

    /// <summary>The bot token the server accepts (<c>Authorization: Bot …</c>); anything else gets 401.</summary>
    public string BotToken { get; set; } = "MTA5.fake-bot-token.for-tests_Zq9";

    /// <summary>Check <see cref="BotToken"/> on every request (interaction routes accept a missing header, as Discord does).</summary>
    public bool RequireBotToken { get; set; } = true;

    /// <summary>What <c>GET /gateway/bot</c> returns as <c>url</c>: set it to the fake gateway's address.</summary>
    public string GatewayUrl { get; set; } = "wss://gateway.discord.gg";

    /// <summary><c>GET /gateway/bot</c> <c>shards</c>.</summary>
    public int Shards { get; set; } = 1;

    /// <summary><c>GET /gateway/bot</c> <c>session_start_limit.max_concurrency</c>.</summary>
    public int MaxConcurrency { get; set; } = 1;

    /// <summary><c>GET /gateway/bot</c> <c>session_start_limit.remaining</c>.</summary>
    public int SessionStartRemaining { get; set; } = 999;

    /// <summary><c>GET /gateway/bot</c> <c>session_start_limit.reset_after</c>, in milliseconds (Discord: up to a day).</summary>
    public long SessionStartResetAfter { get; set; } = 14_400_000;

    /// <summary>The bot user (author of created messages).</summary>
    public ulong BotUserId { get; set; } = 1_100_000_000_000_000_001;

    /// <summary>The bot's user name.</summary>
    public string BotUsername { get; set; } = "CaravanBot";

    /// <summary>The guild <c>GET /channels/{id}</c> puts every channel in that is not a DM.</summary>
    public ulong GuildId { get; set; } = 1_300_000_000_000_000_003;

    /// <summary>The channel interaction responses and follow-ups appear in.</summary>
    public ulong InteractionChannelId { get; set; } = 1_100_000_000_000_000_500;

    /// <summary>Requests per bucket and major parameter within <see cref="BucketWindow"/> (generous, so only a runaway client hits it).</summary>
    public int BucketLimit { get; set; } = 50;

    /// <summary>The bucket window.</summary>
    public TimeSpan BucketWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Answer 429 when a bucket is used up, as Discord does.</summary>
    public bool EnforceRateLimits { get; set; } = true;

    /// <summary>Answer 400 50035 to bodies that break Discord's schema (see <see cref="DiscordSchema"/>'s Discord errors).</summary>
    public bool RejectInvalidBodies { get; set; } = true;

    /// <summary>Interaction rules: one callback per interaction (40060), <c>@original</c> and follow-ups only after it.</summary>
    public bool StrictInteractions { get; set; } = true;

    /// <summary>Time since the server started: the clock of <see cref="RecordedRequest.ReceivedAt"/>, to time requests against events a test causes.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>
    /// Called on the server's request thread as each request is recorded, before it is answered (benchmarks use it to
    /// stop a clock with little overhead). Keep handlers short; an exception from one is not caught.
    /// </summary>
    public event Action<RecordedRequest>? RequestReceived;

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Client tuning for tests: the defaults, with millisecond back-offs so retries do not slow the suite.</summary>
    public static DiscordRestOptions FastTuning() => new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        RetryMaxDelay = TimeSpan.FromMilliseconds(100),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Starts a server on 127.0.0.1 with a free port.</summary>
    public static async Task<FakeRestServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var server = new FakeRestServer(builder.Build());
        await server._app.StartAsync(cancellationToken);
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>
    /// A <see cref="DiscordRestClient"/> pointed at this server with <see cref="BotToken"/> (or
    /// <paramref name="token"/>) and <see cref="FastTuning"/> (or <paramref name="tuning"/>). Its
    /// <see cref="HttpClient"/> is disposed with the server.
    /// </summary>
    public DiscordRestClient CreateClient(DiscordRestOptions? tuning = null, ILogger<DiscordRestClient>? logger = null, string? token = null, TimeProvider? timeProvider = null)
    {
        var httpClient = new HttpClient();
        lock (_lock)
        {
            _httpClients.Add(httpClient);
        }

        var options = Options.Create(new DiscordOptions { Token = token ?? BotToken, ApiBaseUrl = ApiBaseUrl });
        return new DiscordRestClient(httpClient, options, logger ?? NullLogger<DiscordRestClient>.Instance, timeProvider ?? TimeProvider.System, tuning ?? FastTuning());
    }

    /// <summary>
    /// Scripts answers for <paramref name="method"/> on <paramref name="apiPathTemplate"/> (below
    /// <c>/api/v10</c>; <c>{x}</c> matches one segment, e.g. <c>/channels/{channel_id}/messages</c>, or
    /// give a concrete path). Later scripts take precedence over earlier ones for the same request.
    /// </summary>
    public FakeRouteScript On(string method, string apiPathTemplate)
    {
        var script = new FakeRouteScript(method, apiPathTemplate);
        lock (_lock)
        {
            _scripts.Add(script);
        }

        return script;
    }

    /// <summary>Waits for the first request (already received or still to come) matching <paramref name="predicate"/>, judged on arrival.</summary>
    /// <exception cref="TimeoutException">None arrived in time; the message lists what did.</exception>
    public async Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> predicate, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        (await WaitForRequestsAsync(predicate, 1, timeout, cancellationToken))[0];

    /// <summary>Waits until <paramref name="count"/> requests matching <paramref name="predicate"/> have arrived; returns the first <paramref name="count"/>.</summary>
    /// <exception cref="TimeoutException">Fewer arrived in time; the message lists what did.</exception>
    public async Task<IReadOnlyList<RecordedRequest>> WaitForRequestsAsync(Func<RecordedRequest, bool> predicate, int count, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        Waiter waiter;
        lock (_lock)
        {
            var matched = _requests.Where(predicate).Take(count).ToList();
            if (matched.Count >= count)
            {
                return matched;
            }

            waiter = new Waiter(predicate, count, matched, new TaskCompletionSource<IReadOnlyList<RecordedRequest>>(TaskCreationOptions.RunContinuationsAsynchronously));
            _waiters.Add(waiter);
        }

        try
        {
            return await waiter.Done.Task.WaitAsync(timeout ?? DefaultWaitTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            lock (_lock)
            {
                _waiters.Remove(waiter);
                throw new TimeoutException(
                    $"Waited {(timeout ?? DefaultWaitTimeout).TotalSeconds} s for {count} matching request(s), got {waiter.Matched.Count}. Received:{Environment.NewLine}"
                    + string.Join(Environment.NewLine, _requests));
            }
        }
    }

    /// <summary>Makes <c>GET /channels/{id}</c> describe <paramref name="channelId"/> as a DM (type 1) rather than a guild text channel.</summary>
    public void AddDirectMessageChannel(ulong channelId)
    {
        lock (_lock)
        {
            _directMessageChannels.Add(channelId.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Forgets the recorded requests (scripts and stored messages stay).</summary>
    public void ClearRequests()
    {
        lock (_lock)
        {
            _requests.Clear();
        }
    }

    /// <summary>A message the server holds (created or edited through it), as Discord would return it; null if unknown.</summary>
    public JsonObject? FindMessage(ulong channelId, ulong messageId)
    {
        lock (_lock)
        {
            return _messages.TryGetValue(MessageKey(channelId.ToString(CultureInfo.InvariantCulture), messageId.ToString(CultureInfo.InvariantCulture)), out var message)
                ? (JsonObject)message.DeepClone()
                : null;
        }
    }

    /// <summary>How many messages the server holds in a channel.</summary>
    public int MessageCount(ulong channelId)
    {
        var prefix = channelId.ToString(CultureInfo.InvariantCulture) + ":";
        lock (_lock)
        {
            return _messages.Keys.Count(k => k.StartsWith(prefix, StringComparison.Ordinal));
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            foreach (var client in _httpClients)
            {
                client.Dispose();
            }

            foreach (var waiter in _waiters)
            {
                waiter.Done.TrySetCanceled();
            }
        }

        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var receivedAt = _clock.Elapsed;
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "/",
            body,
            headers,
            context.Request.QueryString.Value ?? string.Empty,
            receivedAt,
            Interlocked.Increment(ref _sequence));
        Record(request);

        var scripted = request.ApiPath is { } apiPath ? NextScripted(request.Method, apiPath) : null;
        if (scripted is { Delay.Ticks: > 0 })
        {
            try
            {
                await Task.Delay(scripted.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                request.ResponseStatus = 0;
                return;
            }
        }

        if (scripted is { AbortConnection: true })
        {
            request.RespondedAt = _clock.Elapsed;
            request.ResponseStatus = 0;
            context.Abort();
            return;
        }

        Reply reply;
        if (scripted is { UseDefaultHandling: false })
        {
            reply = new Reply(scripted.Status ?? 200, scripted.Body);
        }
        else
        {
            // Validated before taking the lock: the first validation loads the spec.
            var report = RejectInvalidBodies && request.Body.Length > 0 && request.ApiPath is not null ? DiscordSchema.Validate(request) : null;
            lock (_lock)
            {
                reply = HandleAsDiscord(request, report);
            }

            if (scripted?.Status is { } lostStatus)
            {
                // The work is done but the client sees a failure (a response lost on the way back).
                reply = new Reply(lostStatus, JsonSerializer.Serialize(new { message = $"{lostStatus}: {FakeResponse.ReasonOf(lostStatus)}", code = 0 }), reply.Headers);
            }
        }

        foreach (var header in scripted?.Headers ?? new Dictionary<string, string>())
        {
            reply.Headers[header.Key] = header.Value;
        }

        if (scripted?.RewriteBody is { } rewrite && reply.Body is { } original)
        {
            reply = new Reply(reply.Status, rewrite(original), reply.Headers);
        }

        request.RespondedAt = _clock.Elapsed;
        request.ResponseStatus = reply.Status;
        context.Response.StatusCode = reply.Status;
        foreach (var header in reply.Headers)
        {
            context.Response.Headers[header.Key] = header.Value;
        }

        if (reply.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(reply.Body, context.RequestAborted);
        }
    }

    private void Record(RecordedRequest request)
    {
        lock (_lock)
        {
            _requests.Add(request);
            foreach (var waiter in _waiters.ToList())
            {
                if (waiter.Predicate(request))
                {
                    waiter.Matched.Add(request);
                    if (waiter.Matched.Count >= waiter.Count)
                    {
                        _waiters.Remove(waiter);
                        waiter.Done.TrySetResult([.. waiter.Matched]);
                    }
                }
            }
        }

        RequestReceived?.Invoke(request);
    }

    private FakeResponse? NextScripted(string method, string apiPath)
    {
        List<FakeRouteScript> scripts;
        lock (_lock)
        {
            scripts = _scripts.Where(s => s.Matches(method, apiPath)).Reverse().ToList();
        }

        foreach (var script in scripts)
        {
            if (script.Next() is { } response)
            {
                return response;
            }
        }

        return null;
    }

    /// <summary>What Discord does with a request; runs under the lock.</summary>
    private Reply HandleAsDiscord(RecordedRequest request, SchemaReport? report)
    {
        if (request.ApiPath is not { } apiPath)
        {
            return Error(404, 0, "404: Not Found");
        }

        var route = Routes
            .Where(r => RouteTemplate.Matches(r.Template, apiPath))
            .OrderByDescending(r => RouteTemplate.Specificity(r.Template))
            .ToList();
        var (method, template) = route.FirstOrDefault(r => r.Method == request.Method);
        if (template is null)
        {
            return route.Count > 0 ? Error(405, 0, "405: Method Not Allowed") : Error(404, 0, "404: Not Found");
        }

        var captures = RouteTemplate.Captures(template, apiPath)!;
        var isInteraction = template.StartsWith("/interactions/", StringComparison.Ordinal) || template.StartsWith("/webhooks/", StringComparison.Ordinal);
        var authorization = request.Header("Authorization");
        if (RequireBotToken && !(isInteraction && authorization is null) && authorization != "Bot " + BotToken)
        {
            return Error(401, 0, "401: Unauthorized");
        }

        var rateLimit = ConsumeBucket($"{method} {template}", MajorOf(captures));
        if (rateLimit.Limited)
        {
            var retryAfter = rateLimit.Headers["X-RateLimit-Reset-After"];
            var limited = new Reply(429, JsonSerializer.Serialize(new { message = "You are being rate limited.", retry_after = double.Parse(retryAfter, CultureInfo.InvariantCulture), global = false }), rateLimit.Headers);
            limited.Headers["Retry-After"] = Math.Ceiling(double.Parse(retryAfter, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture);
            limited.Headers["X-RateLimit-Scope"] = "user";
            return limited;
        }

        JsonNode? json = null;
        if (request.Body.Length > 0)
        {
            if (request.Header("Content-Type")?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
            {
                return Error(400, 50109, "The request body contains invalid JSON.", rateLimit.Headers);
            }

            try
            {
                json = JsonNode.Parse(request.Body);
            }
            catch (JsonException)
            {
                return Error(400, 50109, "The request body contains invalid JSON.", rateLimit.Headers);
            }
        }

        if (report is { DiscordErrors.Count: > 0 })
        {
            return new Reply(400, JsonSerializer.Serialize(new { code = 50035, errors = NestErrors(report.DiscordErrors), message = "Invalid Form Body" }), rateLimit.Headers);
        }

        var reply = template switch
        {
            "/gateway/bot" => Ok(new JsonObject
            {
                ["url"] = GatewayUrl,
                ["shards"] = Shards,
                ["session_start_limit"] = new JsonObject { ["total"] = 1000, ["remaining"] = SessionStartRemaining, ["reset_after"] = SessionStartResetAfter, ["max_concurrency"] = MaxConcurrency },
            }),
            "/channels/{channel_id}" => Ok(Channel(captures["channel_id"])),
            "/channels/{channel_id}/messages" => CreateChannelMessage(captures["channel_id"], json!.AsObject()),
            "/channels/{channel_id}/messages/{message_id}" when method == "PATCH" => Ok(Edit(captures["channel_id"], captures["message_id"], json!.AsObject())),
            "/channels/{channel_id}/messages/{message_id}" => DeleteMessage(captures["channel_id"], captures["message_id"]),
            "/interactions/{interaction_id}/{interaction_token}/callback" => Callback(captures["interaction_id"], captures["interaction_token"], json!.AsObject(), request.Query),
            "/webhooks/{application_id}/{interaction_token}/messages/@original" when method == "GET" => GetOriginal(captures["interaction_token"]),
            "/webhooks/{application_id}/{interaction_token}/messages/@original" => EditOriginal(captures["interaction_token"], json!.AsObject()),
            "/webhooks/{application_id}/{interaction_token}" => Followup(captures["application_id"], captures["interaction_token"], json!.AsObject()),
            _ => OverwriteCommands(captures["application_id"], captures.GetValueOrDefault("guild_id"), json!.AsArray()),
        };
        foreach (var header in rateLimit.Headers)
        {
            reply.Headers.TryAdd(header.Key, header.Value);
        }

        return reply;
    }

    /// <summary>A channel as <c>GET /channels/{id}</c> returns it: a DM when registered as one, else a text channel of <see cref="GuildId"/>.</summary>
    private JsonObject Channel(string channelId) =>
        _directMessageChannels.Contains(channelId)
            ? new JsonObject
            {
                ["id"] = channelId,
                ["type"] = 1,
                ["last_message_id"] = null,
                ["flags"] = 0,
                ["recipients"] = new JsonArray(new JsonObject { ["id"] = "1320000000000000005", ["username"] = "reader", ["global_name"] = "A Reader", ["discriminator"] = "0", ["avatar"] = null, ["public_flags"] = 0 }),
            }
            : new JsonObject
            {
                ["id"] = channelId,
                ["type"] = 0,
                ["guild_id"] = GuildId.ToString(CultureInfo.InvariantCulture),
                ["name"] = "general",
                ["position"] = 0,
                ["flags"] = 0,
                ["parent_id"] = null,
                ["topic"] = null,
                ["last_message_id"] = null,
                ["rate_limit_per_user"] = 0,
                ["nsfw"] = false,
                ["permission_overwrites"] = new JsonArray(),
            };

    private Reply CreateChannelMessage(string channelId, JsonObject body)
    {
        if (body["nonce"] is { } nonce && body["enforce_nonce"]?.GetValue<bool>() == true
            && _messageIdByNonce.TryGetValue($"{channelId}:{nonce.ToJsonString()}", out var existingId)
            && _messages.TryGetValue(MessageKey(channelId, existingId), out var existing))
        {
            // Discord returns the message already created with this nonce instead of a second one.
            return Ok(existing.DeepClone());
        }

        var message = NewMessage(channelId, body, webhookId: null);
        if (body["nonce"] is { } created)
        {
            _messageIdByNonce[$"{channelId}:{created.ToJsonString()}"] = message["id"]!.GetValue<string>();
        }

        return Ok(message.DeepClone());
    }

    private Reply DeleteMessage(string channelId, string messageId)
    {
        _messages.Remove(MessageKey(channelId, messageId));
        return new Reply(204, null);
    }

    private Reply Callback(string interactionId, string token, JsonObject body, string query)
    {
        if (StrictInteractions && _interactions.ContainsKey(token))
        {
            return Error(400, 40060, "Interaction has already been acknowledged.");
        }

        var type = body["type"]!.GetValue<int>();
        var data = body["data"] as JsonObject ?? [];
        var channelId = InteractionChannelId.ToString(CultureInfo.InvariantCulture);
        JsonObject? original = type switch
        {
            4 => NewMessage(channelId, data, webhookId: BotUserId.ToString(CultureInfo.InvariantCulture)),

            // The "thinking…" message: empty, flag 128 (LOADING), until @original is edited.
            5 => NewMessage(channelId, new JsonObject { ["flags"] = (data["flags"]?.GetValue<int>() ?? 0) | 128 }, webhookId: BotUserId.ToString(CultureInfo.InvariantCulture)),
            _ => null,
        };
        _interactions[token] = new InteractionState(interactionId, type, original?["id"]!.GetValue<string>());

        if (!query.Contains("with_response=true", StringComparison.OrdinalIgnoreCase))
        {
            return new Reply(204, null);
        }

        var resource = new JsonObject { ["type"] = type };
        if (original is not null)
        {
            resource["message"] = original.DeepClone();
        }

        return Ok(new JsonObject
        {
            ["interaction"] = new JsonObject { ["id"] = interactionId, ["type"] = 2, ["response_message_id"] = original?["id"]?.DeepClone(), ["response_message_loading"] = type == 5, ["response_message_ephemeral"] = false },
            ["resource"] = resource,
        });
    }

    private Reply EditOriginal(string token, JsonObject body)
    {
        if (!_interactions.TryGetValue(token, out var interaction) || interaction.OriginalMessageId is null)
        {
            if (StrictInteractions)
            {
                return Error(404, 10008, "Unknown Message");
            }

            interaction = new InteractionState("0", 4, NewId());
            _interactions[token] = interaction;
        }

        var edited = Edit(InteractionChannelId.ToString(CultureInfo.InvariantCulture), interaction.OriginalMessageId!, body);
        if (edited["flags"] is { } flags)
        {
            edited["flags"] = flags.GetValue<int>() & ~128;
        }

        return Ok(edited);
    }

    private Reply GetOriginal(string token)
    {
        // Discord answers 10008 for an interaction without a message (type 6, 9, or no callback yet).
        if (!_interactions.TryGetValue(token, out var interaction) || interaction.OriginalMessageId is null
            || !_messages.TryGetValue(MessageKey(InteractionChannelId.ToString(CultureInfo.InvariantCulture), interaction.OriginalMessageId), out var original))
        {
            return Error(404, 10008, "Unknown Message");
        }

        return Ok(original.DeepClone());
    }

    private Reply Followup(string applicationId, string token, JsonObject body)
    {
        if (StrictInteractions && !_interactions.ContainsKey(token))
        {
            return Error(404, 10015, "Unknown Webhook");
        }

        return Ok(NewMessage(InteractionChannelId.ToString(CultureInfo.InvariantCulture), body, webhookId: applicationId));
    }

    private Reply OverwriteCommands(string applicationId, string? guildId, JsonArray body)
    {
        var result = new JsonArray();
        foreach (var command in body.OfType<JsonObject>())
        {
            var type = command["type"]?.GetValue<int>() ?? 1;
            var name = command["name"]!.GetValue<string>();

            // Discord keeps a command's id across overwrites when its name and type stay.
            var key = $"{applicationId}:{guildId}:{type}:{name}";
            if (!_commandIds.TryGetValue(key, out var id))
            {
                id = NewId();
                _commandIds[key] = id;
            }

            var registered = new JsonObject
            {
                ["id"] = id,
                ["application_id"] = applicationId,
                ["version"] = NewId(),
                ["default_member_permissions"] = null,
                ["type"] = type,
                ["name"] = name,
                ["description"] = command["description"]?.DeepClone() ?? "",
                ["dm_permission"] = command["dm_permission"]?.DeepClone() ?? true,
                ["contexts"] = command["contexts"]?.DeepClone(),
                ["integration_types"] = new JsonArray(0),
                ["nsfw"] = false,
            };
            if (guildId is not null)
            {
                registered["guild_id"] = guildId;
            }

            if (command["options"] is { } options)
            {
                registered["options"] = options.DeepClone();
            }

            result.Add(registered);
        }

        return Ok(result);
    }

    private JsonObject NewMessage(string channelId, JsonObject body, string? webhookId)
    {
        var id = NewId();
        var message = new JsonObject
        {
            ["type"] = body["message_reference"] is not null ? 19 : 0,
            ["content"] = body["content"]?.DeepClone() ?? "",
            ["mentions"] = new JsonArray(),
            ["mention_roles"] = new JsonArray(),
            ["attachments"] = new JsonArray(),
            ["embeds"] = Embeds(body["embeds"]),
            ["timestamp"] = Timestamp(),
            ["edited_timestamp"] = null,
            ["flags"] = body["flags"]?.DeepClone() ?? 0,
            ["components"] = body["components"]?.DeepClone() ?? new JsonArray(),
            ["id"] = id,
            ["channel_id"] = channelId,
            ["author"] = new JsonObject
            {
                ["id"] = BotUserId.ToString(CultureInfo.InvariantCulture),
                ["username"] = BotUsername,
                ["avatar"] = null,
                ["discriminator"] = "0000",
                ["public_flags"] = 0,
                ["flags"] = 0,
                ["bot"] = true,
                ["global_name"] = null,
            },
            ["pinned"] = false,
            ["mention_everyone"] = false,
            ["tts"] = false,
        };
        if (body["nonce"] is { } nonce)
        {
            message["nonce"] = nonce.DeepClone();
        }

        if (body["message_reference"] is JsonObject reference)
        {
            message["message_reference"] = new JsonObject
            {
                ["type"] = 0,
                ["channel_id"] = reference["channel_id"]?.DeepClone() ?? channelId,
                ["message_id"] = reference["message_id"]!.DeepClone(),
                ["guild_id"] = reference["guild_id"]?.DeepClone(),
            };
        }

        if (webhookId is not null)
        {
            message["webhook_id"] = webhookId;
            message["application_id"] = webhookId;
        }

        _messages[MessageKey(channelId, id)] = message;
        return message;
    }

    private JsonObject Edit(string channelId, string messageId, JsonObject body)
    {
        if (!_messages.TryGetValue(MessageKey(channelId, messageId), out var message))
        {
            // A message the fake never saw (posted by a test through the gateway fake): edit it as if it existed.
            message = NewMessage(channelId, [], webhookId: null);
            _messages.Remove(MessageKey(channelId, message["id"]!.GetValue<string>()));
            message["id"] = messageId;
            _messages[MessageKey(channelId, messageId)] = message;
        }

        foreach (var field in new[] { "content", "components", "flags" })
        {
            if (body.ContainsKey(field))
            {
                message[field] = body[field]?.DeepClone() ?? (field switch
                {
                    "content" => JsonValue.Create(string.Empty),
                    "flags" => JsonValue.Create(0),
                    _ => new JsonArray(),
                });
            }
        }

        if (body.ContainsKey("embeds"))
        {
            message["embeds"] = Embeds(body["embeds"]);
        }

        message["edited_timestamp"] = Timestamp();
        return (JsonObject)message.DeepClone();
    }

    private static JsonArray Embeds(JsonNode? embeds)
    {
        var result = new JsonArray();
        foreach (var embed in embeds?.AsArray().OfType<JsonObject>() ?? [])
        {
            var copy = (JsonObject)embed.DeepClone();
            copy["type"] = "rich";
            result.Add(copy);
        }

        return result;
    }

    private (bool Limited, Dictionary<string, string> Headers) ConsumeBucket(string routeKey, string major)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(routeKey)))[..32];
        var key = $"{hash}:{major}";
        var now = _clock.Elapsed;
        if (!_windows.TryGetValue(key, out var window) || now - window.Start >= BucketWindow)
        {
            window = new WindowState(now, 0);
        }

        var limited = EnforceRateLimits && window.Count >= BucketLimit;
        if (!limited)
        {
            window = window with { Count = window.Count + 1 };
        }

        _windows[key] = window;
        var resetAfter = (BucketWindow - (now - window.Start)).TotalSeconds;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["X-RateLimit-Bucket"] = hash,
            ["X-RateLimit-Limit"] = BucketLimit.ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Remaining"] = Math.Max(0, BucketLimit - window.Count).ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Reset-After"] = resetAfter.ToString("0.000", CultureInfo.InvariantCulture),
            ["X-RateLimit-Reset"] = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 + resetAfter).ToString("0.000", CultureInfo.InvariantCulture),
        };
        return (limited, headers);
    }

    /// <summary>Discord's top-level parameters: channel, guild, webhook or interaction (with token).</summary>
    private static string MajorOf(IReadOnlyDictionary<string, string> captures) =>
        captures.TryGetValue("channel_id", out var channel) ? $"channel:{channel}"
        : captures.TryGetValue("guild_id", out var guild) ? $"guild:{guild}"
        : captures.TryGetValue("interaction_token", out var token) ? $"token:{token}"
        : "global";

    /// <summary>Turns schema problems at JSON pointers into Discord's nested <c>errors</c> object.</summary>
    private static JsonObject NestErrors(IEnumerable<SchemaProblem> problems)
    {
        var root = new JsonObject();
        foreach (var problem in problems)
        {
            var node = root;
            foreach (var segment in problem.Location.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                node = node[segment] as JsonObject ?? (JsonObject)(node[segment] = new JsonObject());
            }

            if (node["_errors"] is not JsonArray errors)
            {
                node["_errors"] = errors = [];
            }

            errors.Add(new JsonObject { ["code"] = "BASE_TYPE_INVALID", ["message"] = problem.Message });
        }

        return root;
    }

    private string NewId()
    {
        // A real-looking snowflake: milliseconds since Discord's epoch, then a 22-bit counter.
        var milliseconds = (ulong)(DateTimeOffset.UtcNow - DiscordEpoch).TotalMilliseconds;
        var increment = (ulong)Interlocked.Increment(ref _idIncrement) & 0x3FFFFF;
        return ((milliseconds << 22) | increment).ToString(CultureInfo.InvariantCulture);
    }

    private static string Timestamp() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    private static string MessageKey(string channelId, string messageId) => $"{channelId}:{messageId}";

    private static Reply Ok(JsonNode body) => new(200, body.ToJsonString());

    private static Reply Error(int status, int code, string message, Dictionary<string, string>? headers = null) =>
        new(status, JsonSerializer.Serialize(new { message, code }), headers);

    private sealed record Waiter(Func<RecordedRequest, bool> Predicate, int Count, List<RecordedRequest> Matched, TaskCompletionSource<IReadOnlyList<RecordedRequest>> Done);

    private sealed record WindowState(TimeSpan Start, int Count);

    private sealed record InteractionState(string InteractionId, int CallbackType, string? OriginalMessageId);

    private sealed class Reply
    {
        public Reply(int status, string? body, Dictionary<string, string>? headers = null)
        {
            Status = status;
            Body = body;
            Headers = headers is null ? new(StringComparer.OrdinalIgnoreCase) : new(headers, StringComparer.OrdinalIgnoreCase);
        }

        public int Status { get; }

        public string? Body { get; }

        public Dictionary<string, string> Headers { get; }
    }
}
