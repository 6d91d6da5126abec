using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Moderation;

/// <summary>
/// Keeps a running bot in line with the status changes other processes commit to the shared answer log: a
/// moderator's <c>caravanbot review retract|correct|approve|flag</c>, or another bot process (a shard, a replica).
/// For every change the answer's served correction is brought up to date in this process
/// (<see cref="CorrectionMatcher.Apply"/>); a change from a terminal, which nobody has shown in Discord yet, is
/// claimed (<see cref="IAnswerLogChanges.ClaimFollowUpAsync"/>, so exactly one bot process does it) and shown: the
/// public reply withdrawn or corrected, the review card re-rendered. Follow-ups left while no bot ran are shown at
/// start and looked for again every <see cref="ModerationOptions.FollowUpRetryInterval"/>; one whose edit Discord failed
/// for a reason that may pass is given back to the log and tried again then (by this process or another). The log tells of
/// changes through <see cref="IAnswerLogChanges"/> (LISTEN/NOTIFY on PostgreSQL, polling on SQLite).
/// </summary>
public sealed partial class AnswerLogFollower
{
    /// <summary>The longest wait between two looks at the log when nothing announces a change.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private const int PageSize = 100;

    private readonly ReviewService _review;
    private readonly CorrectionMatcher _corrections;
    private readonly TimeProvider _time;
    private readonly ILogger<AnswerLogFollower> _logger;
    private readonly IAnswerLog? _log;
    private readonly IAnswerLogChanges? _changes;
    private readonly TimeSpan _followUpRetryInterval;

    /// <summary>Creates the follower; without an answer log and its change feed there is nothing to follow (<see cref="IsEnabled"/>).</summary>
    public AnswerLogFollower(
        ReviewService review,
        CorrectionMatcher corrections,
        TimeProvider time,
        ILogger<AnswerLogFollower> logger,
        IOptions<ModerationOptions> options,
        IAnswerLog? log = null,
        IAnswerLogChanges? changes = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _followUpRetryInterval = options.Value.FollowUpRetryInterval;
        _review = review;
        _corrections = corrections;
        _time = time;
        _logger = logger;
        _log = log;
        _changes = changes;
    }

    /// <summary>True when the log has a change feed to follow.</summary>
    public bool IsEnabled => _log is not null && _changes is not null;

    /// <summary>This process's name in the log's claims: the machine and the process id.</summary>
    public string ProcessName { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// Follows the log until <paramref name="cancellationToken"/> is cancelled, showing changes in
    /// <paramref name="bot"/>'s terms (a correction is rendered against the article served). A log that cannot be read
    /// is tried again after a second; nothing but cancellation ends it.
    /// </summary>
    public async Task RunAsync(BotArticle bot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bot);
        if (_log is not { } log || _changes is not { } changes)
        {
            return;
        }

        long? position = null;
        var nextPendingLook = long.MinValue;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (position is null || _time.GetTimestamp() >= nextPendingLook)
                {
                    // Changes from before this start were shown by whoever made them, or wait as follow-ups; so do
                    // those whose edit Discord failed, given back to be tried again.
                    var latest = position is null ? await changes.GetLatestChangeAsync(cancellationToken).ConfigureAwait(false) : 0;
                    foreach (var pending in await changes.GetPendingFollowUpsAsync(cancellationToken).ConfigureAwait(false))
                    {
                        await HandleAsync(log, changes, pending, bot, cancellationToken).ConfigureAwait(false);
                    }

                    nextPendingLook = _time.GetTimestamp() + (long)(_followUpRetryInterval.TotalSeconds * _time.TimestampFrequency);
                    if (position is null)
                    {
                        position = latest;
                        LogFollowing(position.Value);
                    }
                }

                var page = await changes.GetChangesAfterAsync(position.Value, PageSize, cancellationToken).ConfigureAwait(false);
                foreach (var change in page)
                {
                    await HandleAsync(log, changes, change, bot, cancellationToken).ConfigureAwait(false);
                    position = change.Sequence;
                }

                if (page.Count < PageSize)
                {
                    await changes.WaitForChangeAsync(LongestWait < _followUpRetryInterval ? LongestWait : _followUpRetryInterval, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFollowFailed(ex);
                try
                {
                    await Task.Delay(RetryDelay, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task HandleAsync(IAnswerLog log, IAnswerLogChanges changes, AnswerLogChange change, BotArticle bot, CancellationToken cancellationToken)
    {
        if (await log.GetAsync(change.AnswerId, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            return;
        }

        _corrections.Apply(record);
        if (change.AwaitsFollowUp && await changes.ClaimFollowUpAsync(change.Sequence, ProcessName, cancellationToken).ConfigureAwait(false))
        {
            LogFollowingUp(change.AnswerId, change.Status, change.Sequence);
            if (!await _review.ShowChangeMadeElsewhereAsync(record, change.Status, bot.Article, cancellationToken).ConfigureAwait(false))
            {
                // The change stays saved; showing it waits for Discord, in whichever process looks next.
                await changes.ReleaseFollowUpAsync(change.Sequence, ProcessName, cancellationToken).ConfigureAwait(false);
                LogFollowUpGivenBack(change.AnswerId, change.Sequence, _followUpRetryInterval.TotalSeconds);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Following the answer log's changes after position {Position}")]
    private partial void LogFollowing(long position);

    [LoggerMessage(Level = LogLevel.Information, Message = "Answer {AnswerId} was made {Status} outside the bot (change {Sequence}); showing it in Discord")]
    private partial void LogFollowingUp(long answerId, AnswerStatus status, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answer {AnswerId}'s change {Sequence} could not be shown in Discord yet; trying again within {Seconds} s")]
    private partial void LogFollowUpGivenBack(long answerId, long sequence, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the answer log's changes; trying again")]
    private partial void LogFollowFailed(Exception exception);
}
