using System.Text.Json;
using CaravanBot.Bot.Discord.Gateway;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.Bot.Features;
using CaravanBot.Bot.Moderation;
using CaravanBot.Retrieval.Ingestion;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Hosting;

/// <summary>
/// The bot's lifetime: indexes the article, keeps the gateway connected, and routes dispatches —
/// READY registers the commands (once), MESSAGE_CREATE goes to the <see cref="MentionHandler"/>,
/// INTERACTION_CREATE to the <see cref="InteractionRouter"/>, CHANNEL_CREATE tells which channels are DMs.
/// A message or interaction delivered again (same id) within 15 minutes is handled once. Each message or
/// interaction is handled on its own task, so a slow answer never holds up the gateway or the next reader;
/// shutdown waits a few seconds for answers already being written. A fatal gateway close stops the host with
/// one clear log line and <see cref="BotStopReason.GatewayRefused"/>; Discord rejecting the token on a REST
/// request (401) stops it with <see cref="BotStopReason.TokenRejected"/>.
/// </summary>
public sealed partial class DiscordBotService : BackgroundService
{
    // Long enough for an answer being sent at Ctrl+C to reach the reader, short enough for SIGTERM's usual 10 s.
    private static readonly TimeSpan HandlerGracePeriod = TimeSpan.FromSeconds(5);

    // Interaction tokens live 15 minutes; a message repeated later than that is not a redelivery worth fearing.
    private static readonly TimeSpan RepeatWindow = TimeSpan.FromMinutes(15);
    private const int RepeatCapacity = 100_000;

    private readonly IGatewayClient _gateway;
    private readonly IBotArticleSource _articles;
    private readonly MentionHandler _mentions;
    private readonly InteractionRouter _interactions;
    private readonly CommandRegistrar _registrar;
    private readonly CorrectionMatcher _corrections;
    private readonly AnswerLogFollower? _follower;
    private readonly BotRunOutcome _outcome;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly DiscordTokenStatus _tokenStatus;
    private readonly DirectChannels _directChannels;
    private readonly BotReadiness _readiness;
    private readonly RecentIds _seenMessages;
    private readonly RecentIds _seenInteractions;
    private readonly ILogger<DiscordBotService> _logger;
    private readonly InFlightHandlers _handlers = new();
    private int _commandsRegistered;
    private BotArticle? _article;
    private ulong _botUserId;

    /// <summary>Creates the service.</summary>
    public DiscordBotService(
        IGatewayClient gateway,
        IBotArticleSource articles,
        MentionHandler mentions,
        InteractionRouter interactions,
        CommandRegistrar registrar,
        CorrectionMatcher corrections,
        BotRunOutcome outcome,
        IHostApplicationLifetime lifetime,
        DiscordTokenStatus tokenStatus,
        DirectChannels directChannels,
        BotReadiness readiness,
        TimeProvider time,
        ILogger<DiscordBotService> logger,
        AnswerLogFollower? follower = null)
    {
        _readiness = readiness;
        _tokenStatus = tokenStatus;
        _directChannels = directChannels;
        _seenMessages = new RecentIds(time, RepeatWindow, RepeatCapacity);
        _seenInteractions = new RecentIds(time, RepeatWindow, RepeatCapacity);
        _gateway = gateway;
        _articles = articles;
        _mentions = mentions;
        _interactions = interactions;
        _registrar = registrar;
        _corrections = corrections;
        _follower = follower;
        _outcome = outcome;
        _lifetime = lifetime;
        _logger = logger;
    }

    /// <summary>Messages and interactions still being answered (for tests and shutdown).</summary>
    internal int HandlersInFlight => _handlers.Count;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _gateway.StateChanged += OnGatewayStateChanged;
        using var stopFollowing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var following = Task.CompletedTask;
        try
        {
            _article = await _articles.LoadAsync(stoppingToken).ConfigureAwait(false);
            await _corrections.TryLoadAtStartAsync(stoppingToken).ConfigureAwait(false);
            _readiness.ArticleLoaded();

            // Moderators' changes made by other processes (caravanbot review, other bot processes) reach this one.
            if (_follower is { IsEnabled: true } follower)
            {
                following = follower.RunAsync(_article, stopFollowing.Token);
            }

            // A rejected token ends the run like a refused gateway: the gateway is closed properly on the way out.
            using var stopGateway = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var run = _gateway.RunAsync(OnDispatchAsync, stopGateway.Token);
            if (await Task.WhenAny(run, _tokenStatus.Rejected).ConfigureAwait(false) != run)
            {
                await stopGateway.CancelAsync().ConfigureAwait(false);
            }

            try
            {
                await run.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_tokenStatus.IsRejected && !stoppingToken.IsCancellationRequested)
            {
                // Reported below.
            }

            if (_tokenStatus.IsRejected && !stoppingToken.IsCancellationRequested)
            {
                StopForRejectedToken();
            }
            else if (!stoppingToken.IsCancellationRequested)
            {
                LogGatewayEnded();
                Stop(BotStopReason.Failed);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: the gateway closed itself on cancellation.
        }
        catch (GatewayFatalException) when (_tokenStatus.IsRejected)
        {
            // GET /gateway/bot drew the 401: one line about the token is enough.
            StopForRejectedToken();
        }
        catch (GatewayFatalException ex)
        {
            // The message says what is wrong and what to do (bad token, missing intents); a stack trace would hide it.
            LogGatewayRefused(ex.CloseCode, ex.Message);
            Stop(BotStopReason.GatewayRefused);
        }
        catch (ArticleLoadException ex)
        {
            LogArticleUnavailable(ex.Message);
            Stop(BotStopReason.ArticleUnavailable);
        }
        catch (Exception ex)
        {
            LogFailed(ex);
            Stop(BotStopReason.Failed);
        }
        finally
        {
            _gateway.StateChanged -= OnGatewayStateChanged;
            await stopFollowing.CancelAsync().ConfigureAwait(false);
            await following.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await DrainHandlersAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _handlers.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// Called by the gateway for each dispatch, in order. Returns at once: the work runs on its own
    /// task so the gateway's read loop is never blocked by an answer.
    /// </summary>
    internal ValueTask OnDispatchAsync(GatewayDispatch dispatch, CancellationToken cancellationToken)
    {
        var article = _article;
        if (article is null)
        {
            return ValueTask.CompletedTask;
        }

        switch (dispatch.Type)
        {
            case "READY":
                OnReady(dispatch.Data, article);
                break;
            case "MESSAGE_CREATE":
                if (IsRepeat(dispatch, _seenMessages))
                {
                    break;
                }

                var botUserId = new Snowflake(Volatile.Read(ref _botUserId));
                Run(dispatch, token => _mentions.HandleAsync(Read<DiscordMessage>(dispatch.Data), article, botUserId, token));
                break;
            case "INTERACTION_CREATE":
                if (IsRepeat(dispatch, _seenInteractions))
                {
                    break;
                }

                var receivedAt = dispatch.ReceivedAt;
                Run(dispatch, token => receivedAt == 0
                    ? _interactions.HandleAsync(Read<Interaction>(dispatch.Data), article, token)
                    : _interactions.HandleAsync(Read<Interaction>(dispatch.Data), article, receivedAt, token));
                break;
            case "CHANNEL_CREATE":
                if (TryRead<DiscordChannel>(dispatch.Data) is { } channel)
                {
                    _directChannels.Remember(channel);
                }

                break;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Embeds the moderators' corrections before the first question. A log that cannot be read now is
    /// no reason not to answer: the matcher tries again with the first question.
    /// </summary>
    private void OnReady(JsonElement data, BotArticle article)
    {
        // The client keeps the session from READY before passing it on; the payload is the fallback.
        var (userId, applicationId) = _gateway.Session is { } session
            ? (session.UserId, session.ApplicationId)
            : (ReadId(data, "user"), ReadId(data, "application"));
        Volatile.Write(ref _botUserId, userId);
        LogReady(userId, applicationId);

        // READY comes again after every fresh IDENTIFY; the commands only need writing once per process.
        if (applicationId != 0 && Interlocked.CompareExchange(ref _commandsRegistered, 1, 0) == 0)
        {
            Run(null, async token =>
            {
                try
                {
                    await _registrar.RegisterAsync(applicationId, article.Article, token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Volatile.Write(ref _commandsRegistered, 0);
                    LogRegistrationFailed(ex);
                }
            });
        }
    }

    /// <summary>Runs one dispatch's work on its own task; a failure that escapes the handler is logged, never rethrown.</summary>
    private void Run(GatewayDispatch? dispatch, Func<CancellationToken, Task> work) =>
        _handlers.Run(
            work,
            () => LogHandlerAbandoned(dispatch?.Type ?? "READY", dispatch?.Sequence ?? 0),
            ex => LogHandlerFailed(ex, dispatch?.Type ?? "READY", dispatch?.Sequence ?? 0));

    private async Task DrainHandlersAsync()
    {
        if (_handlers.Count == 0)
        {
            return;
        }

        LogDraining(_handlers.Count);
        if (await _handlers.DrainAsync(HandlerGracePeriod).ConfigureAwait(false) is > 0 and var left)
        {
            LogDrainTimedOut(left);
        }
    }

    /// <summary>True when the event's id was handled within the last 15 minutes (logged); unreadable ids are not repeats.</summary>
    private bool IsRepeat(GatewayDispatch dispatch, RecentIds seen)
    {
        if (ReadId(dispatch.Data) is not { } id || seen.TryAdd(id))
        {
            return false;
        }

        LogRepeat(dispatch.Type, id, dispatch.Sequence);
        return true;
    }

    private void StopForRejectedToken()
    {
        LogTokenRejected(_tokenStatus.Rejected.Result);
        Stop(BotStopReason.TokenRejected);
    }

    private void Stop(BotStopReason reason)
    {
        _outcome.Fail(reason);
        _lifetime.StopApplication();
    }

    private void OnGatewayStateChanged(GatewayState state) => LogGatewayState(state);

    private static T Read<T>(JsonElement data) =>
        data.Deserialize<T>(DiscordJson.Options) ?? throw new JsonException($"The dispatch data is not a {typeof(T).Name}.");

    private static T? TryRead<T>(JsonElement data)
        where T : class
    {
        try
        {
            return data.Deserialize<T>(DiscordJson.Options);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            return null;
        }
    }

    private static ulong? ReadId(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object
        && data.TryGetProperty("id", out var id)
        && id.ValueKind == JsonValueKind.String
        && ulong.TryParse(id.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private static ulong ReadId(JsonElement data, string property) =>
        data.ValueKind == JsonValueKind.Object
        && data.TryGetProperty(property, out var owner)
        && owner.ValueKind == JsonValueKind.Object
        && owner.TryGetProperty("id", out var id)
        && id.ValueKind == JsonValueKind.String
        && ulong.TryParse(id.GetString(), out var value)
            ? value
            : 0;


    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway {State}")]
    private partial void LogGatewayState(GatewayState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ready as user {UserId} of application {ApplicationId}")]
    private partial void LogReady(ulong userId, ulong applicationId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Discord refused the gateway connection (close code {CloseCode}): {Reason}")]
    private partial void LogGatewayRefused(int closeCode, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Discord answered 401 Unauthorized on {Route}: the bot token was revoked or reset. Copy the current token from the developer portal (Bot → Reset Token) into DISCORD_TOKEN and restart.")]
    private partial void LogTokenRejected(string route);

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipped {DispatchType} {Id} (sequence {Sequence}): already handled")]
    private partial void LogRepeat(string dispatchType, ulong id, long sequence);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Cannot start: {Reason}")]
    private partial void LogArticleUnavailable(string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The bot stopped after an unexpected failure")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The gateway stopped although nobody asked it to")]
    private partial void LogGatewayEnded();

    [LoggerMessage(Level = LogLevel.Error, Message = "Registering the application commands failed; retrying at the next READY")]
    private partial void LogRegistrationFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling {DispatchType} (sequence {Sequence}) failed")]
    private partial void LogHandlerFailed(Exception exception, string dispatchType, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling {DispatchType} (sequence {Sequence}) was abandoned at shutdown")]
    private partial void LogHandlerAbandoned(string dispatchType, long sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: waiting for the answers still being sent ({Count})")]
    private partial void LogDraining(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped waiting for the answers still being sent ({Count})")]
    private partial void LogDrainTimedOut(int count);
}
