using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using CaravanBot.Bot.Discord.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Discord.Rest;

/// <summary>
/// Discord API v10 over <see cref="HttpClient"/>. Each request: the body passes
/// <see cref="DiscordRequestGuard"/>; it waits for its rate-limit bucket (one request in flight per
/// bucket, waiting out a used-up window) and for the global limiter; it is sent with
/// <c>Authorization: Bot …</c> and the configured <c>User-Agent</c>; then a 429 is waited out and
/// retried, a 500/502/503/504 or network failure is retried with exponential back-off and jitter up to
/// <see cref="DiscordRestOptions.MaxServerErrorRetries"/> times, and any other failure throws
/// <see cref="DiscordRestException"/> (401 and 403 at once, never retried). Neither the bot token nor an
/// interaction token ever appears in a log entry or an exception message: both name the route template.
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

    /// <summary>Creates the client; it reads the token, base address and user agent once.</summary>
    /// <exception cref="InvalidOperationException">The token or the base address is missing or malformed.</exception>
    public DiscordRestClient(
        HttpClient httpClient,
        IOptions<DiscordOptions> options,
        ILogger<DiscordRestClient> logger,
        TimeProvider timeProvider,
        DiscordRestOptions? restOptions = null)
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
        ArgumentOutOfRangeException.ThrowIfNegative(_tuning.MaxServerErrorRetries, nameof(restOptions));
        ArgumentOutOfRangeException.ThrowIfNegative(_tuning.MaxRateLimitRetries, nameof(restOptions));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_tuning.RequestTimeout, TimeSpan.Zero, nameof(restOptions));

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
    }

    /// <inheritdoc />
    public Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken = default) =>
        SendAsync<GatewayBotInfo>(DiscordRoute.GetGatewayBot(), null, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Sets <c>nonce</c> and <c>enforce_nonce</c> when the caller did not, so a retry after a 5xx or a
    /// lost response returns the message already created instead of posting it twice.
    /// </remarks>
    public Task<DiscordMessage> CreateMessageAsync(Snowflake channelId, MessageCreateRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = message.Nonce is null ? message with { Nonce = NewNonce(), EnforceNonce = true } : message;
        return SendAsync<DiscordMessage>(DiscordRoute.CreateMessage(channelId), body, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DiscordMessage> EditMessageAsync(Snowflake channelId, Snowflake messageId, MessageEditRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendAsync<DiscordMessage>(DiscordRoute.EditMessage(channelId, messageId), message, cancellationToken);
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
        return SendAsync<DiscordMessage>(DiscordRoute.EditOriginalResponse(applicationId, interactionToken), message, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DiscordMessage> GetOriginalResponseAsync(Snowflake applicationId, string interactionToken, CancellationToken cancellationToken = default) =>
        SendAsync<DiscordMessage>(DiscordRoute.GetOriginalResponse(applicationId, interactionToken), null, cancellationToken);

    /// <inheritdoc />
    public Task<DiscordMessage> CreateFollowupMessageAsync(Snowflake applicationId, string interactionToken, MessageCreateRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendAsync<DiscordMessage>(DiscordRoute.CreateFollowupMessage(applicationId, interactionToken), message, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApplicationCommand>> BulkOverwriteCommandsAsync(Snowflake applicationId, Snowflake? guildId, IReadOnlyList<ApplicationCommandRequest> commands, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commands);
        return await SendAsync<List<ApplicationCommand>>(DiscordRoute.BulkOverwriteCommands(applicationId, guildId), commands, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> SendAsync<T>(DiscordRoute route, object? body, CancellationToken cancellationToken)
    {
        var response = await SendAsync(route, body, cancellationToken).ConfigureAwait(false);
        if (response.Body.Length == 0)
        {
            throw new DiscordRestException(response.StatusCode, null, $"{route.Display} answered {response.StatusCode} with no body where a {typeof(T).Name} was expected.");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(response.Body, DiscordJson.Options)
                ?? throw new JsonException("The body is JSON null.");
        }
        catch (JsonException e)
        {
            throw new DiscordRestException(response.StatusCode, null, $"{route.Display} answered {response.StatusCode} with a body that is not a {typeof(T).Name}: {e.Message}", e);
        }
    }

    /// <summary>The one path every request takes; returns only a 2xx response, else throws.</summary>
    private async Task<RestResponse> SendAsync(DiscordRoute route, object? body, CancellationToken cancellationToken)
    {
        DiscordRequestGuard.CheckBody(route.BodyKind, body);
        var payload = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), DiscordJson.Options);
        cancellationToken.ThrowIfCancellationRequested();

        var bucket = await _buckets.EnterAsync(route, cancellationToken).ConfigureAwait(false);
        try
        {
            var transientFailures = 0;
            var rateLimits = 0;
            while (true)
            {
                await WaitForBucketAsync(route, bucket, cancellationToken).ConfigureAwait(false);
                RestResponse? response;
                Exception? failure;
                if (route.IsInteraction && _tuning.ExemptInteractionsFromGlobalLimit)
                {
                    (response, failure) = await SendOnceAsync(route, payload, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _globalLimiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        (response, failure) = await SendOnceAsync(route, payload, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        _globalLimiter.Release();
                    }
                }

                if (response is null)
                {
                    // Network error or time-out: no status, so the bucket learnt nothing.
                    transientFailures++;
                    var description = $"{failure!.GetType().Name}: {failure.Message}";
                    if (transientFailures > _tuning.MaxServerErrorRetries)
                    {
                        LogGaveUp(route.Display, route.MajorDescription, transientFailures, description);
                        throw new DiscordRestException(0, null, $"{route.Display} got no response from Discord after {transientFailures} attempts: {description}", failure);
                    }

                    await BackOffAsync(route, transientFailures, description, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var now = _timeProvider.GetUtcNow();
                bucket.Update(response.RateLimit, now);
                if (response.RateLimit.Bucket is { } hash)
                {
                    _buckets.Learn(route, bucket, hash);
                }

                LogResponse(route.Display, route.MajorDescription, response.StatusCode, (long)response.Elapsed.TotalMilliseconds, response.RateLimit.Bucket, bucket.Remaining, bucket.Limit);

                switch (response.StatusCode)
                {
                    case >= 200 and < 300:
                        return response;

                    case 429:
                        rateLimits++;
                        HandleRateLimited(route, bucket, response, now, rateLimits);
                        continue;

                    case 500 or 502 or 503 or 504:
                        transientFailures++;
                        var status = $"{response.StatusCode} {response.ReasonPhrase}";
                        if (transientFailures > _tuning.MaxServerErrorRetries)
                        {
                            LogGaveUp(route.Display, route.MajorDescription, transientFailures, status);
                            throw new DiscordRestException(response.StatusCode, DiscordErrorBody.Parse(response.Body).Code, $"{route.Display} failed: Discord answered {status} on all {transientFailures} attempts.");
                        }

                        await BackOffAsync(route, transientFailures, status, cancellationToken).ConfigureAwait(false);
                        continue;

                    default:
                        throw Rejected(route, response);
                }
            }
        }
        finally
        {
            _buckets.Leave(bucket);
        }
    }

    private async Task<(RestResponse? Response, Exception? Failure)> SendOnceAsync(DiscordRoute route, byte[]? payload, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_tuning.RequestTimeout, _timeProvider);
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
            using var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            return (new RestResponse((int)response.StatusCode, response.ReasonPhrase, RateLimitHeaders.From(response.Headers), body, _timeProvider.GetElapsedTime(started)), null);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The caller did not cancel, so the per-attempt time-out (or HttpClient.Timeout) fired.
            return (null, new TimeoutException($"No complete response within {_tuning.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.", e));
        }
        catch (HttpRequestException e)
        {
            return (null, e);
        }
    }

    private async Task WaitForBucketAsync(DiscordRoute route, RateLimitBucket bucket, CancellationToken cancellationToken)
    {
        var delay = bucket.DelayBeforeNext(_timeProvider.GetUtcNow());
        if (delay > TimeSpan.Zero)
        {
            delay += _tuning.RateLimitOffset;
            LogBucketWait(route.Display, route.MajorDescription, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private void HandleRateLimited(DiscordRoute route, RateLimitBucket bucket, RestResponse response, DateTimeOffset now, int rateLimits)
    {
        var error = DiscordErrorBody.Parse(response.Body);
        var wait = error.RetryAfter ?? response.RateLimit.RetryAfter ?? response.RateLimit.ResetAfter ?? TimeSpan.FromSeconds(1);
        var global = error.Global || response.RateLimit.Global;
        var scope = response.RateLimit.Scope ?? (global ? "global" : "user");
        var waitMs = (long)wait.TotalMilliseconds;

        if (wait > _tuning.MaxRateLimitWait || rateLimits > _tuning.MaxRateLimitRetries)
        {
            LogRateLimitGaveUp(route.Display, route.MajorDescription, scope, waitMs, rateLimits);
            throw new DiscordRestException(
                429,
                error.Code,
                $"{route.Display} is rate-limited (scope {scope}{(global ? ", global" : string.Empty)}) for {wait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s after {rateLimits} attempt(s); not waiting that long.");
        }

        // The retry waits in WaitForBucketAsync (and, when global, every other request in the limiter).
        var until = now + wait;
        bucket.BlockUntil(until);
        if (global)
        {
            _globalLimiter.PauseUntil(until + _tuning.RateLimitOffset);
            LogGlobalRateLimited(route.Display, waitMs);
        }
        else if (string.Equals(scope, "shared", StringComparison.OrdinalIgnoreCase))
        {
            // A shared limit belongs to the resource (e.g. a busy channel), does not count against the bot.
            LogSharedRateLimited(route.Display, route.MajorDescription, waitMs);
        }
        else
        {
            LogRateLimited(route.Display, route.MajorDescription, scope, waitMs);
        }
    }

    private async Task BackOffAsync(DiscordRoute route, int failures, string failure, CancellationToken cancellationToken)
    {
        // Exponential (base, 2×, 4×…) with up to 50 % jitter, capped.
        var exponential = _tuning.RetryBaseDelay * Math.Pow(2, failures - 1);
        var jittered = exponential * (1 + (Random.Shared.NextDouble() * 0.5));
        var delay = jittered < _tuning.RetryMaxDelay ? jittered : _tuning.RetryMaxDelay;
        LogRetrying(route.Display, route.MajorDescription, failure, failures, _tuning.MaxServerErrorRetries, (long)delay.TotalMilliseconds);
        await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
    }

    private DiscordRestException Rejected(DiscordRoute route, RestResponse response)
    {
        var error = DiscordErrorBody.Parse(response.Body);
        var code = error.Code?.ToString(CultureInfo.InvariantCulture) ?? "none";
        var message = error.Message ?? "(no message)";
        var details = error.ErrorsSummary is null ? string.Empty : $" ({error.ErrorsSummary})";
        switch (response.StatusCode)
        {
            case 401:
                LogUnauthorized(route.Display);
                return new DiscordRestException(401, error.Code, $"{route.Display} failed: 401 Unauthorized, Discord rejected the bot token (it is wrong or was reset). Set DISCORD_TOKEN to the bot's current token.");
            case 403:
                LogForbidden(route.Display, route.MajorDescription, code, message);
                return new DiscordRestException(403, error.Code, $"{route.Display} failed: 403 Forbidden, Discord error {code}: {message}. The bot lacks a permission or access for {route.MajorDescription}.");
            default:
                LogRejected(route.Display, route.MajorDescription, response.StatusCode, code, message, details);
                return new DiscordRestException(response.StatusCode, error.Code, $"{route.Display} failed: {response.StatusCode} {response.ReasonPhrase}, Discord error {code}: {message}{details}");
        }
    }

    private static string NewNonce() =>
        Random.Shared.NextInt64(1, long.MaxValue).ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Route} ({Major}) answered {StatusCode} in {ElapsedMs} ms; bucket {Bucket}, remaining {Remaining} of {Limit}")]
    private partial void LogResponse(string route, string major, int statusCode, long elapsedMs, string? bucket, int? remaining, int? limit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Route} ({Major}) waits {WaitMs} ms for its rate-limit bucket to reset")]
    private partial void LogBucketWait(string route, string major, long waitMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Route} ({Major}) was rate-limited by Discord (scope {Scope}); retrying in {WaitMs} ms")]
    private partial void LogRateLimited(string route, string major, string scope, long waitMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Route} ({Major}) hit a shared rate limit (the resource's, not counted against the bot); retrying in {WaitMs} ms")]
    private partial void LogSharedRateLimited(string route, string major, long waitMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord's global rate limit was hit on {Route}; pausing all requests for {WaitMs} ms")]
    private partial void LogGlobalRateLimited(string route, long waitMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Route} ({Major}) stays rate-limited (scope {Scope}, {WaitMs} ms, attempt {Attempts}); giving up")]
    private partial void LogRateLimitGaveUp(string route, string major, string scope, long waitMs, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Route} ({Major}) failed with {Failure}; retry {Retry} of {MaxRetries} in {DelayMs} ms")]
    private partial void LogRetrying(string route, string major, string failure, int retry, int maxRetries, long delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Route} ({Major}) failed after {Attempts} attempts: {Failure}")]
    private partial void LogGaveUp(string route, string major, int attempts, string failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord rejected the bot token (401 Unauthorized) on {Route}: the token is wrong or was reset. Set DISCORD_TOKEN to the bot's current token from the developer portal.")]
    private partial void LogUnauthorized(string route);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord refused {Route} ({Major}) with 403 Forbidden, error {Code}: {DiscordMessage}. The bot lacks a permission or access there; not retrying.")]
    private partial void LogForbidden(string route, string major, string code, string discordMessage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Route} ({Major}) was rejected with {StatusCode}, Discord error {Code}: {DiscordMessage}{Details}")]
    private partial void LogRejected(string route, string major, int statusCode, string code, string discordMessage, string details);

    /// <summary>A response read in full, so the retry loop can inspect it after the connection is released.</summary>
    private sealed record RestResponse(int StatusCode, string? ReasonPhrase, RateLimitHeaders RateLimit, byte[] Body, TimeSpan Elapsed);
}
