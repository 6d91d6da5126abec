using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using CaravanBot.Bot.Discord.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Discord.Rest;

/// <summary>
/// Discord API v10 over <see cref="HttpClient"/>. Each request: the body passes
/// <see cref="DiscordRequestGuard"/>; it takes its turn in its rate-limit bucket (waiting out a used-up window,
/// never longer than <see cref="DiscordRestOptions.MaxRateLimitWait"/>) and at the global limiter; it is sent
/// with <c>Authorization: Bot …</c> and the configured <c>User-Agent</c>; then a 429 is waited out and retried,
/// a 500/502/503/504 or network failure is retried with exponential back-off and jitter up to
/// <see cref="DiscordRestOptions.MaxServerErrorRetries"/> times (and, for replies, only until
/// <see cref="DiscordRestOptions.MessageSendDeadline"/>), and any other failure throws
/// <see cref="DiscordRestException"/> (401 and 403 at once, never retried). Any 2xx is a success: the body is
/// read for the few fields the bot uses, and what cannot be read is left out. What Discord refused is
/// remembered (a 401 stops all sending and is reported to <see cref="DiscordTokenStatus"/>; a 403 stops the
/// route there for <see cref="DiscordRestOptions.RefusedRouteCooldown"/>; invalid responses are counted against
/// Discord's ban threshold). Neither the bot token nor an interaction token ever appears in a log entry or an
/// exception message: both name the route template.
/// </summary>
/// <remarks>
/// One instance should serve the whole process (register it as a singleton), since the rate-limit
/// state lives in it. The <see cref="HttpClient"/> is not disposed by this class.
/// </remarks>
public sealed partial class DiscordRestClient : IDiscordRestClient
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly HttpClient _httpClient;
    private readonly ILogger<DiscordRestClient> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly DiscordRestOptions _tuning;
    private readonly Uri _apiBase;
    private readonly string _authorization;
    private readonly string _userAgent;
    private readonly RateLimitBuckets _buckets;
    private readonly GlobalRateLimiter _globalLimiter;
    private readonly DiscordRefusals _refusals;
    private readonly DiscordTokenStatus _tokenStatus;

    /// <summary>Creates the client; it reads the token, base address and user agent once.</summary>
    /// <exception cref="InvalidOperationException">The token or the base address is missing or malformed.</exception>
    public DiscordRestClient(
        HttpClient httpClient,
        IOptions<DiscordOptions> options,
        ILogger<DiscordRestClient> logger,
        TimeProvider timeProvider,
        DiscordRestOptions? restOptions = null,
        DiscordTokenStatus? tokenStatus = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var discord = options.Value;
        if (string.IsNullOrWhiteSpace(discord.Token))
        {
            throw new InvalidOperationException("Discord:Token is missing: set DISCORD_TOKEN (or Discord__Token) to the bot token from the developer portal.");
        }

        if (!Uri.TryCreate(discord.ApiBaseUrl, UriKind.Absolute, out var apiBase) || (apiBase.Scheme != Uri.UriSchemeHttps && apiBase.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidOperationException($"Discord:ApiBaseUrl \"{discord.ApiBaseUrl}\" is not an http(s) address.");
        }

        _tuning = restOptions ?? new DiscordRestOptions();
        _tuning.Validate();

        _httpClient = httpClient;
        _logger = logger;
        _timeProvider = timeProvider;

        // Relative routes resolve against the base only when it ends in "/": otherwise
        // new Uri("https://discord.com/api/v10", "channels/1") drops the "v10" segment.
        _apiBase = new Uri(apiBase.AbsoluteUri.TrimEnd('/') + "/", UriKind.Absolute);
        _authorization = "Bot " + discord.Token;
        _userAgent = discord.UserAgent;
        _buckets = new RateLimitBuckets(timeProvider, _tuning.IdleBucketLifetime);
        _globalLimiter = new GlobalRateLimiter(timeProvider, _tuning.GlobalRequestsPerSecond);
        _refusals = new DiscordRefusals(_tuning.RefusedRouteCooldown);
        _tokenStatus = tokenStatus ?? new DiscordTokenStatus();
    }

    /// <inheritdoc />
    public async Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken = default)
    {
        var route = DiscordRoute.GetGatewayBot();
        var response = await SendAsync(route, null, cancellationToken).ConfigureAwait(false);
        return DiscordResponseReader.GatewayBot(response.Body, out var problem) is { } info
            ? Read(route, response, info, problem)
            : throw new DiscordRestException(response.StatusCode, null, $"{route.Display} answered {response.StatusCode} without a gateway address: {problem}");
    }

    /// <inheritdoc />
    /// <remarks>
    /// Sets <c>nonce</c> and <c>enforce_nonce</c> when the caller did not, so a retry after a 5xx or a
    /// lost response returns the message already created instead of posting it twice.
    /// </remarks>
    public async Task<DiscordMessage> CreateMessageAsync(Snowflake channelId, MessageCreateRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = message.Nonce is null ? message with { Nonce = NewNonce(), EnforceNonce = true } : message;
        return await SendForMessageAsync(DiscordRoute.CreateMessage(channelId), body, channelId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<DiscordMessage> EditMessageAsync(Snowflake channelId, Snowflake messageId, MessageEditRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var edited = await SendForMessageAsync(DiscordRoute.EditMessage(channelId, messageId), message, channelId, cancellationToken).ConfigureAwait(false);
        return edited.IsKnown ? edited : edited with { Id = messageId };
    }

    /// <inheritdoc />
    public Task DeleteMessageAsync(Snowflake channelId, Snowflake messageId, CancellationToken cancellationToken = default) =>
        SendAsync(DiscordRoute.DeleteMessage(channelId, messageId), null, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// A retry after a 5xx may find the interaction already acknowledged: Discord then answers 400 with
    /// code 40060, which surfaces as a <see cref="DiscordRestException"/> the caller can recognise.
    /// </remarks>
    public Task CreateInteractionResponseAsync(Snowflake interactionId, string interactionToken, InteractionResponse response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        return SendAsync(DiscordRoute.CreateInteractionResponse(interactionId, interactionToken), response, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DiscordMessage> EditOriginalResponseAsync(Snowflake applicationId, string interactionToken, MessageEditRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendForMessageAsync(DiscordRoute.EditOriginalResponse(applicationId, interactionToken), message, null, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DiscordMessage> GetOriginalResponseAsync(Snowflake applicationId, string interactionToken, CancellationToken cancellationToken = default) =>
        SendForMessageAsync(DiscordRoute.GetOriginalResponse(applicationId, interactionToken), null, null, cancellationToken);

    /// <inheritdoc />
    public Task<DiscordMessage> CreateFollowupMessageAsync(Snowflake applicationId, string interactionToken, MessageCreateRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendForMessageAsync(DiscordRoute.CreateFollowupMessage(applicationId, interactionToken), message, null, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<DiscordChannel> GetChannelAsync(Snowflake channelId, CancellationToken cancellationToken = default)
    {
        var route = DiscordRoute.GetChannel(channelId);
        var response = await SendAsync(route, null, cancellationToken).ConfigureAwait(false);
        return DiscordResponseReader.Channel(response.Body, out var problem) is { } channel
            ? Read(route, response, channel, problem)
            : throw new DiscordRestException(response.StatusCode, null, $"{route.Display} answered {response.StatusCode} without the channel's type: {problem}");
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApplicationCommand>> BulkOverwriteCommandsAsync(Snowflake applicationId, Snowflake? guildId, IReadOnlyList<ApplicationCommandRequest> commands, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var route = DiscordRoute.BulkOverwriteCommands(applicationId, guildId);
        var response = await SendAsync(route, commands, cancellationToken).ConfigureAwait(false);
        return Read(route, response, DiscordResponseReader.Commands(response.Body, out var problem), problem);
    }

    private async Task<DiscordMessage> SendForMessageAsync(DiscordRoute route, object? body, Snowflake? channelId, CancellationToken cancellationToken)
    {
        var response = await SendAsync(route, body, cancellationToken).ConfigureAwait(false);
        return Read(route, response, DiscordResponseReader.Message(response.Body, channelId ?? default, out var problem), problem);
    }

    /// <summary>A 2xx is a success: what could not be read of its body is one debug line, never a failure.</summary>
    private T Read<T>(DiscordRoute route, RestResponse response, T value, string? problem)
    {
        if (problem is not null || response.Truncated)
        {
            LogUnreadableBody(route.Display, route.MajorDescription, response.StatusCode, response.Truncated ? $"the body is larger than {_tuning.MaxResponseBytes} bytes" : problem!);
        }

        return value;
    }

    /// <summary>The one path every request takes; returns only a 2xx response, else throws.</summary>
    private async Task<RestResponse> SendAsync(DiscordRoute route, object? body, CancellationToken cancellationToken)
    {
        DiscordRequestGuard.CheckBody(route.BodyKind, body);
        var payload = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), DiscordJson.Options);
        cancellationToken.ThrowIfCancellationRequested();

        // Past the deadline a reply is useless to the reader: no wait, retry or back-off may end later than it.
        var deadline = route.CarriesReply ? _timeProvider.GetUtcNow() + _tuning.MessageSendDeadline : DateTimeOffset.MaxValue;
        RefuseIfBarred(route);
        var turn = await _buckets.EnterAsync(route, cancellationToken).ConfigureAwait(false);
        try
        {
            var transientFailures = 0;
            var rateLimits = 0;
            while (true)
            {
                if (!turn.IsHeld)
                {
                    // A retry after the gate was passed on takes a new turn.
                    turn = await _buckets.EnterAsync(route, cancellationToken).ConfigureAwait(false);
                }

                await WaitForBucketAsync(route, turn.Bucket, deadline, cancellationToken).ConfigureAwait(false);
                RefuseIfBarred(route);
                var (response, failure) = await SendInTurnAsync(route, payload, turn, deadline, cancellationToken).ConfigureAwait(false);

                if (response is null)
                {
                    // Network error or time-out: no status, so the bucket learnt nothing.
                    transientFailures++;
                    var description = $"{failure!.GetType().Name}: {failure.Message}";
                    var delay = BackOffDelay(transientFailures);
                    if (transientFailures > _tuning.MaxServerErrorRetries || _timeProvider.GetUtcNow() + delay >= deadline)
                    {
                        LogGaveUp(route.Display, route.MajorDescription, transientFailures, description);
                        throw new DiscordRestException(0, null, $"{route.Display} got no response from Discord after {transientFailures} attempt(s): {description}", failure);
                    }

                    turn.Pass();
                    await BackOffAsync(route, transientFailures, delay, description, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var now = _timeProvider.GetUtcNow();
                turn.Bucket.Update(response.RateLimit, now);
                if (response.RateLimit.Bucket is { } hash)
                {
                    _buckets.Learn(route, turn.Bucket, hash);
                }

                LogResponseOf(route, response, turn.Bucket);
                switch (response.StatusCode)
                {
                    case >= 200 and < 300:
                        return response;

                    case 429:
                        rateLimits++;
                        HandleRateLimited(route, turn.Bucket, response, now, rateLimits, deadline);
                        continue;

                    case 500 or 502 or 503 or 504:
                        transientFailures++;
                        var status = $"{response.StatusCode} {response.ReasonPhrase}";
                        var delay = BackOffDelay(transientFailures);
                        if (transientFailures > _tuning.MaxServerErrorRetries || now + delay >= deadline)
                        {
                            LogGaveUp(route.Display, route.MajorDescription, transientFailures, status);
                            throw new DiscordRestException(response.StatusCode, DiscordErrorBody.Parse(response.Body).Code, $"{route.Display} failed: Discord answered {status} on all {transientFailures} attempts.");
                        }

                        turn.Pass();
                        await BackOffAsync(route, transientFailures, delay, status, cancellationToken).ConfigureAwait(false);
                        continue;

                    default:
                        throw Rejected(route, response, now);
                }
            }
        }
        finally
        {
            turn.Pass();
        }
    }

    /// <summary>
    /// Sends once, passing the bucket's gate on as soon as the bucket has room for the next request, or when the
    /// response is late (the hold limit), so that a request that hangs holds up its bucket briefly at most.
    /// </summary>
    private async Task<(RestResponse? Response, Exception? Failure)> SendInTurnAsync(
        DiscordRoute route, byte[]? payload, BucketTurn turn, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var exempt = route.IsInteraction && _tuning.ExemptInteractionsFromGlobalLimit;
        if (!exempt)
        {
            var pause = _globalLimiter.PauseRemaining();
            if (pause > TimeSpan.Zero && (pause > _tuning.MaxRateLimitWait || _timeProvider.GetUtcNow() + pause >= deadline))
            {
                throw Held(route, pause, global: true);
            }

            await _globalLimiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var now = _timeProvider.GetUtcNow();
            turn.Bucket.Consume(now);
            if (turn.Bucket.HasRoom(now))
            {
                turn.Pass();
            }

            using var holdLimit = new CancellationTokenSource(_tuning.BucketHoldLimit, _timeProvider);
            using var passOnWhenLate = turn.IsHeld ? holdLimit.Token.Register(static state => ((BucketTurn)state!).Pass(), turn) : default;
            return await SendOnceAsync(route, payload, deadline, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!exempt)
            {
                _globalLimiter.Release();
            }
        }
    }

    private async Task<(RestResponse? Response, Exception? Failure)> SendOnceAsync(DiscordRoute route, byte[]? payload, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var attemptTimeout = route.CarriesReply ? _tuning.MessageRequestTimeout : _tuning.RequestTimeout;
        var untilDeadline = deadline - _timeProvider.GetUtcNow();
        if (untilDeadline < attemptTimeout)
        {
            attemptTimeout = untilDeadline > TimeSpan.Zero ? untilDeadline : TimeSpan.FromMilliseconds(1);
        }

        using var timeout = new CancellationTokenSource(attemptTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(route.Method, new Uri(_apiBase, route.Path));

        // Added without validation: the token is opaque and goes out exactly as configured.
        request.Headers.TryAddWithoutValidation("Authorization", _authorization);
        request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
        if (payload is not null)
        {
            request.Content = new ByteArrayContent(payload);
            request.Content.Headers.ContentType = JsonContentType;
        }

        var started = _timeProvider.GetTimestamp();
        try
        {
            using var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var (body, truncated) = await ReadBodyAsync(response.Content, linked.Token).ConfigureAwait(false);
            var headers = RateLimitHeaders.From(response.Headers, _timeProvider.GetUtcNow());
            if (headers.Ignored.Count > 0)
            {
                LogIgnoredHeaders(route.Display, string.Join(", ", headers.Ignored));
            }

            DiscordTelemetry.RestResponse((int)response.StatusCode, route.RouteKey);
            return (new RestResponse((int)response.StatusCode, response.ReasonPhrase, headers, body, truncated, _timeProvider.GetElapsedTime(started)), null);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The caller did not cancel, so the per-attempt time-out (or HttpClient.Timeout) fired.
            return (null, new TimeoutException($"No complete response within {attemptTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s.", e));
        }
        catch (HttpRequestException e)
        {
            return (null, e);
        }
    }

    /// <summary>Reads at most <see cref="DiscordRestOptions.MaxResponseBytes"/>; a larger body is dropped (truncated, empty).</summary>
    private async Task<(byte[] Body, bool Truncated)> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var limit = _tuning.MaxResponseBytes;
        if (content.Headers.ContentLength is { } length && length > limit)
        {
            return ([], true);
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return ([], true);
                }

                buffer.Write(chunk, 0, read);
            }

            return (buffer.ToArray(), false);
        }
    }

    /// <summary>Fails at once, without sending, what Discord would refuse anyway.</summary>
    private void RefuseIfBarred(DiscordRoute route)
    {
        if (_tokenStatus.IsRejected)
        {
            throw new DiscordRestException(401, null, $"{route.Display} not sent: Discord rejected the bot token (401); set DISCORD_TOKEN to the bot's current token and restart.") { WasSent = false };
        }

        var now = _timeProvider.GetUtcNow();
        if (_refusals.InvalidCount(now) >= _tuning.InvalidRequestLimit)
        {
            throw new DiscordRestException(429, null, $"{route.Display} not sent: {_tuning.InvalidRequestLimit} requests were refused in the last 10 minutes, and Discord bans the IP at 10,000.") { WasSent = false };
        }

        if (_refusals.RefusedUntil(route.RefusalKey, now) is { } until)
        {
            throw new DiscordRestException(403, null, $"{route.Display} not sent: Discord refused it in {route.MajorDescription} with 403 lately; asking again after {until.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC.") { WasSent = false };
        }
    }

    private async Task WaitForBucketAsync(DiscordRoute route, RateLimitBucket bucket, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var delay = bucket.DelayBeforeNext(now);
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        delay += _tuning.RateLimitOffset;
        if (delay > _tuning.MaxRateLimitWait + _tuning.RateLimitOffset || now + delay >= deadline)
        {
            if (bucket.ShouldAnnounceHold(now + delay))
            {
                LogHeld(route.Display, route.MajorDescription, (long)delay.TotalMilliseconds, (long)_tuning.MaxRateLimitWait.TotalMilliseconds);
            }

            throw Held(route, delay, global: false);
        }

        LogBucketWait(route.Display, route.MajorDescription, (long)delay.TotalMilliseconds);
        DiscordTelemetry.BucketWait(delay, route.RouteKey);
        await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
    }

    private void HandleRateLimited(DiscordRoute route, RateLimitBucket bucket, RestResponse response, DateTimeOffset now, int rateLimits, DateTimeOffset deadline)
    {
        var error = DiscordErrorBody.Parse(response.Body);
        var wait = error.RetryAfter ?? response.RateLimit.RetryAfter ?? response.RateLimit.ResetAfter ?? TimeSpan.FromSeconds(1);
        var global = error.Global || response.RateLimit.Global;
        var scope = response.RateLimit.Scope ?? (global ? "global" : "user");
        var shared = string.Equals(scope, "shared", StringComparison.OrdinalIgnoreCase);
        var waitMs = (long)wait.TotalMilliseconds;
        if (!shared)
        {
            CountInvalid(now);
        }

        // Whether or not this request waits, the route (or everything, when global) is held until then: the
        // requests behind it must not draw the same 429.
        var until = now + wait;
        bucket.BlockUntil(until);
        if (global)
        {
            _globalLimiter.PauseUntil(until + _tuning.RateLimitOffset);
        }

        if (wait > _tuning.MaxRateLimitWait || rateLimits > _tuning.MaxRateLimitRetries || until >= deadline)
        {
            if (bucket.ShouldAnnounceHold(until))
            {
                LogRateLimitGaveUp(route.Display, route.MajorDescription, scope, waitMs, rateLimits);
            }

            throw new DiscordRestException(
                429,
                error.Code,
                $"{route.Display} is rate-limited (scope {scope}{(global ? ", global" : string.Empty)}) for {wait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s after {rateLimits} attempt(s); not waiting that long.")
            {
                RetryAfter = wait,
            };
        }

        if (global)
        {
            LogGlobalRateLimited(route.Display, waitMs);
        }
        else if (shared)
        {
            // A shared limit belongs to the resource (e.g. a busy channel), does not count against the bot.
            LogSharedRateLimited(route.Display, route.MajorDescription, waitMs);
        }
        else
        {
            LogRateLimited(route.Display, route.MajorDescription, scope, waitMs);
        }
    }

    private DiscordRestException Held(DiscordRoute route, TimeSpan wait, bool global) =>
        new(
            429,
            null,
            $"{route.Display} not sent: {(global ? "every route is" : $"{route.MajorDescription} is")} held by Discord's rate limit for {wait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s more, longer than the client waits.")
        {
            RetryAfter = wait,
            WasSent = false,
        };

    private TimeSpan BackOffDelay(int failures)
    {
        // Exponential (base, 2×, 4×…) with up to 50 % jitter, capped.
        var exponential = _tuning.RetryBaseDelay * Math.Pow(2, Math.Min(failures - 1, 30));
        var jittered = exponential * (1 + (Random.Shared.NextDouble() * 0.5));
        return jittered < _tuning.RetryMaxDelay ? jittered : _tuning.RetryMaxDelay;
    }

    private async Task BackOffAsync(DiscordRoute route, int failures, TimeSpan delay, string failure, CancellationToken cancellationToken)
    {
        LogRetrying(route.Display, route.MajorDescription, failure, failures, _tuning.MaxServerErrorRetries, (long)delay.TotalMilliseconds);
        await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
    }

    private DiscordRestException Rejected(DiscordRoute route, RestResponse response, DateTimeOffset now)
    {
        var error = DiscordErrorBody.Parse(response.Body);
        var code = error.Code?.ToString(CultureInfo.InvariantCulture) ?? "none";
        var message = error.Message ?? "(no message)";
        var details = error.ErrorsSummary is null ? string.Empty : $" ({error.ErrorsSummary})";
        switch (response.StatusCode)
        {
            case 401:
                CountInvalid(now);
                if (!_tokenStatus.IsRejected)
                {
                    LogUnauthorized(route.Display);
                }

                _tokenStatus.Reject(route.Display);
                return new DiscordRestException(401, error.Code, $"{route.Display} failed: 401 Unauthorized, Discord rejected the bot token (it is wrong or was reset). Set DISCORD_TOKEN to the bot's current token.");
            case 403:
                CountInvalid(now);
                var until = _refusals.RefuseRoute(route.RefusalKey, now);
                LogForbidden(route.Display, route.MajorDescription, code, message, until.ToString("HH:mm:ss", CultureInfo.InvariantCulture));
                return new DiscordRestException(403, error.Code, $"{route.Display} failed: 403 Forbidden, Discord error {code}: {message}. The bot lacks a permission or access for {route.MajorDescription}.");
            default:
                LogRejected(route.Display, route.MajorDescription, response.StatusCode, code, message, details);
                return new DiscordRestException(response.StatusCode, error.Code, $"{route.Display} failed: {response.StatusCode} {response.ReasonPhrase}, Discord error {code}: {message}{details}");
        }
    }

    private void CountInvalid(DateTimeOffset now)
    {
        var count = _refusals.CountInvalid(now);

        // 100, 1,000, 10,000…: loud enough to notice long before Discord's ban at 10,000, quiet enough not to flood.
        if (count >= 100 && IsPowerOfTenTimesHundred(count))
        {
            LogManyInvalid(count, _tuning.InvalidRequestLimit);
        }

        static bool IsPowerOfTenTimesHundred(int count)
        {
            for (var threshold = 100; threshold > 0 && threshold <= count; threshold = threshold <= int.MaxValue / 10 ? threshold * 10 : -1)
            {
                if (threshold == count)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private void LogResponseOf(DiscordRoute route, RestResponse response, RateLimitBucket bucket)
    {
        var elapsedMs = (long)response.Elapsed.TotalMilliseconds;
        if (response.RateLimit.IsEmpty)
        {
            LogResponseWithoutLimits(route.Display, route.MajorDescription, response.StatusCode, elapsedMs);
        }
        else
        {
            LogResponse(route.Display, route.MajorDescription, response.StatusCode, elapsedMs, response.RateLimit.Bucket ?? "(unnamed)", bucket.Remaining, bucket.Limit);
        }
    }

    private static string NewNonce() =>
        Random.Shared.NextInt64(1, long.MaxValue).ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Route} ({Major}) answered {StatusCode} in {ElapsedMs} ms; bucket {Bucket}, remaining {Remaining} of {Limit}")]
    private partial void LogResponse(string route, string major, int statusCode, long elapsedMs, string bucket, int? remaining, int? limit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Route} ({Major}) answered {StatusCode} in {ElapsedMs} ms, without rate-limit headers")]
    private partial void LogResponseWithoutLimits(string route, string major, int statusCode, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Route} answered with rate-limit headers the client cannot use ({Headers}); ignored")]
    private partial void LogIgnoredHeaders(string route, string headers);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Route} ({Major}) succeeded ({StatusCode}) but its body could not be read in full ({Problem}); the fields that could not be read are left out")]
    private partial void LogUnreadableBody(string route, string major, int statusCode, string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Route} ({Major}) waits {WaitMs} ms for its rate-limit bucket to reset")]
    private partial void LogBucketWait(string route, string major, long waitMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Route} ({Major}) is held by Discord's rate limit for {WaitMs} ms, longer than the {MaxWaitMs} ms the bot waits: requests there fail without being sent until it ends")]
    private partial void LogHeld(string route, string major, long waitMs, long maxWaitMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Route} ({Major}) was rate-limited by Discord (scope {Scope}); retrying in {WaitMs} ms")]
    private partial void LogRateLimited(string route, string major, string scope, long waitMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Route} ({Major}) hit a shared rate limit (the resource's, not counted against the bot); retrying in {WaitMs} ms")]
    private partial void LogSharedRateLimited(string route, string major, long waitMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord's global rate limit was hit on {Route}; pausing all requests for {WaitMs} ms")]
    private partial void LogGlobalRateLimited(string route, long waitMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Route} ({Major}) is rate-limited by Discord (scope {Scope}) for {WaitMs} ms (attempt {Attempts}), longer than the bot waits: not retrying, and requests there fail without being sent until it ends")]
    private partial void LogRateLimitGaveUp(string route, string major, string scope, long waitMs, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Route} ({Major}) failed with {Failure}; retry {Retry} of {MaxRetries} in {DelayMs} ms")]
    private partial void LogRetrying(string route, string major, string failure, int retry, int maxRetries, long delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Route} ({Major}) failed after {Attempts} attempts: {Failure}")]
    private partial void LogGaveUp(string route, string major, int attempts, string failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord rejected the bot token (401 Unauthorized) on {Route}: the token is wrong or was reset. Set DISCORD_TOKEN to the bot's current token from the developer portal.")]
    private partial void LogUnauthorized(string route);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord refused {Route} ({Major}) with 403 Forbidden, error {Code}: {DiscordMessage}. The bot lacks a permission or access there; not retrying, and not asking again there before {Until} UTC.")]
    private partial void LogForbidden(string route, string major, string code, string discordMessage, string until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Route} ({Major}) was rejected with {StatusCode}, Discord error {Code}: {DiscordMessage}{Details}")]
    private partial void LogRejected(string route, string major, int statusCode, string code, string discordMessage, string details);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} requests were refused by Discord (401, 403 or 429) in the last 10 minutes; Discord bans the IP at 10,000, and the bot stops sending at {Limit}")]
    private partial void LogManyInvalid(int count, int limit);

    /// <summary>A response read (at most <see cref="DiscordRestOptions.MaxResponseBytes"/>), so the retry loop can inspect it after the connection is released.</summary>
    private sealed record RestResponse(int StatusCode, string? ReasonPhrase, RateLimitHeaders RateLimit, byte[] Body, bool Truncated, TimeSpan Elapsed);
}
