using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Features;
using CaravanBot.Bot.Moderation;
using CaravanBot.Retrieval.Ingestion;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Hosting;

/// <summary>
/// The bot's lifetime under <c>caravanbot serve</c>: indexes the article and loads the corrections, then answers each
/// verified interaction the endpoint hands over through the same <see cref="InteractionRouter"/> as the gateway path
/// (callbacks and edits over REST), each on its own task; the same interaction delivered twice within 15 minutes is
/// answered once. Like a gateway process it follows the shared answer log (<see cref="AnswerLogFollower"/>), so a
/// correction or retraction made by another replica, shard or terminal is served here too. Shutdown waits a few
/// seconds for answers being written.
/// </summary>
public sealed partial class HttpInteractionService : BackgroundService
{
    private static readonly TimeSpan HandlerGracePeriod = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RepeatWindow = TimeSpan.FromMinutes(15);

    private readonly IBotArticleSource _articles;
    private readonly InteractionRouter _router;
    private readonly CorrectionMatcher _corrections;
    private readonly AnswerLogFollower? _follower;
    private readonly BotReadiness _readiness;
    private readonly BotRunOutcome _outcome;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly RecentIds _seen;
    private readonly ILogger<HttpInteractionService> _logger;
    private readonly InFlightHandlers _handlers = new();
    private BotArticle? _article;

    /// <summary>Creates the service.</summary>
    public HttpInteractionService(
        IBotArticleSource articles,
        InteractionRouter router,
        CorrectionMatcher corrections,
        BotReadiness readiness,
        BotRunOutcome outcome,
        IHostApplicationLifetime lifetime,
        TimeProvider time,
        ILogger<HttpInteractionService> logger,
        AnswerLogFollower? follower = null)
    {
        _articles = articles;
        _router = router;
        _corrections = corrections;
        _follower = follower;
        _readiness = readiness;
        _outcome = outcome;
        _lifetime = lifetime;
        _seen = new RecentIds(time, RepeatWindow, 100_000);
        _logger = logger;
        readiness.UsesGateway = false;
    }

    /// <summary>Whether the article is indexed, so interactions can be answered.</summary>
    public bool IsReady => Volatile.Read(ref _article) is not null;

    /// <summary>
    /// Starts answering <paramref name="interaction"/> (received at <paramref name="receivedAt"/>, a
    /// <see cref="TimeProvider"/> timestamp) and returns at once: false when the article is not indexed yet.
    /// </summary>
    public bool Dispatch(Interaction interaction, long receivedAt)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        var article = Volatile.Read(ref _article);
        if (article is null)
        {
            return false;
        }

        if (!_seen.TryAdd(interaction.Id.Value))
        {
            LogRepeat(interaction.Id.Value);
            return true;
        }

        _handlers.Run(
            token => _router.HandleAsync(interaction, article, receivedAt, token),
            () => LogAbandoned(interaction.Id.Value),
            ex => LogFailed(ex, interaction.Id.Value));
        return true;
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _handlers.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var following = Task.CompletedTask;
        try
        {
            var article = await _articles.LoadAsync(stoppingToken).ConfigureAwait(false);
            await _corrections.TryLoadAtStartAsync(stoppingToken).ConfigureAwait(false);

            Volatile.Write(ref _article, article);
            _readiness.ArticleLoaded();
            LogServing();

            // Moderators' changes made by other processes reach this replica's answers.
            if (_follower is { IsEnabled: true } follower)
            {
                following = follower.RunAsync(article, stoppingToken);
            }

            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM.
        }
        catch (ArticleLoadException ex)
        {
            LogArticleUnavailable(ex.Message);
            _outcome.Fail(BotStopReason.ArticleUnavailable);
            _lifetime.StopApplication();
        }
        finally
        {
            await following.ConfigureAwait(false);
            await _handlers.DrainAsync(HandlerGracePeriod).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Answering interactions on the HTTP endpoint")]
    private partial void LogServing();

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipped interaction {Id}: already handled")]
    private partial void LogRepeat(ulong id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling interaction {Id} was abandoned at shutdown")]
    private partial void LogAbandoned(ulong id);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling interaction {Id} failed")]
    private partial void LogFailed(Exception exception, ulong id);


    [LoggerMessage(Level = LogLevel.Critical, Message = "Cannot start: {Reason}")]
    private partial void LogArticleUnavailable(string reason);
}
