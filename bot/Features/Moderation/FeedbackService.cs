using CaravanBot.Bot.Features;
using System.Globalization;
using CaravanBot.Bot.AnswerLog;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Moderation;

/// <summary>What a reader's vote did.</summary>
/// <param name="Outcome">Added, changed or withdrawn.</param>
/// <param name="Record">The answer after the vote (and after flagging, when that happened).</param>
/// <param name="Flagged">True when this vote brought the 👎 to the threshold and moved the answer to flagged.</param>
public sealed record FeedbackResult(VoteOutcome Outcome, AnswerRecord Record, bool Flagged);

/// <summary>
/// Readers' 👍 and 👎: one vote per reader per answer (the same vote again withdraws it, the other
/// changes it), and <see cref="ModerationOptions.FlagAfterDownvotes"/> 👎 move an answer that is new or
/// approved to flagged, by the actor "readers". Readers flag an answer once: after a moderator looked
/// at it and approved it again, more 👎 do not overrule the moderator. Corrections and retractions
/// are moderators' decisions and are never flagged by votes.
/// </summary>
public sealed partial class FeedbackService
{
    /// <summary>The actor of status changes made by readers' votes.</summary>
    public static readonly Actor Readers = new("readers", "readers");

    private readonly IAnswerLog? _log;
    private readonly int _flagAfter;
    private readonly ILogger<FeedbackService> _logger;

    /// <summary>Creates the service; without an answer log votes are not possible.</summary>
    public FeedbackService(IOptions<ModerationOptions> options, ILogger<FeedbackService> logger, IAnswerLog? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _flagAfter = options.Value.FlagAfterDownvotes;
        _logger = logger;
        _log = log;
    }

    /// <summary>True when there is an answer log to count votes in.</summary>
    public bool IsEnabled => _log is not null;

    /// <summary>The reader's current vote on the answer: +1, -1, or 0 for none; null when the answer is unknown.</summary>
    public async Task<int?> CurrentVoteAsync(long answerId, string voterId, CancellationToken cancellationToken)
    {
        var record = await Log.GetAsync(answerId, cancellationToken).ConfigureAwait(false);
        return record is null ? null : record.Feedback.FirstOrDefault(v => v.Voter.Id == voterId)?.Vote ?? 0;
    }

    /// <summary>Counts a vote (+1 or -1, with an optional reason for -1); null when the answer is unknown.</summary>
    public async Task<FeedbackResult?> VoteAsync(long answerId, Actor voter, int vote, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(voter);
        var direction = Math.Sign(vote);
        if (direction == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(vote), vote, "A vote is +1 or -1.");
        }

        var voted = await FeatureTelemetry.MeasureWriteAsync("vote", () => Log.VoteAsync(answerId, voter, direction, direction < 0 ? reason : null, cancellationToken)).ConfigureAwait(false);
        if (voted is not { } result)
        {
            return null;
        }

        LogVoted(answerId, voter.Id, direction, result.Outcome, result.Record.Upvotes, result.Record.Downvotes);
        FeatureTelemetry.Voted(direction, result.Outcome);
        if (!ShouldFlag(result.Record))
        {
            return new FeedbackResult(result.Outcome, result.Record, Flagged: false);
        }

        var note = string.Create(CultureInfo.InvariantCulture, $"{result.Record.Downvotes} 👎 from readers");
        var flagged = await FeatureTelemetry.MeasureWriteAsync("change_status", () => Log.ChangeStatusAsync(answerId, AnswerStatus.Flagged, Readers, note, cancellationToken)).ConfigureAwait(false);
        LogFlagged(answerId, result.Record.Downvotes);
        return new FeedbackResult(result.Outcome, flagged ?? result.Record, Flagged: flagged is not null);
    }

    private bool ShouldFlag(AnswerRecord record) =>
        record.Downvotes >= _flagAfter
        && record.Status is AnswerStatus.New or AnswerStatus.Approved
        && !record.History.Any(h => h.Status == AnswerStatus.Flagged && h.By.Id == Readers.Id);

    private IAnswerLog Log => _log ?? throw new InvalidOperationException("There is no answer log; check IsEnabled first.");

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} voted {Vote} on answer {AnswerId}: {Outcome}; now {Upvotes} up, {Downvotes} down")]
    private partial void LogVoted(long answerId, string userId, int vote, VoteOutcome outcome, int upvotes, int downvotes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Answer {AnswerId} reached {Downvotes} downvotes and is flagged by readers")]
    private partial void LogFlagged(long answerId, int downvotes);
}
