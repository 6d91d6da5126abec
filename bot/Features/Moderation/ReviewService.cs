using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.Bot.Features;
using CaravanBot.Retrieval.Articles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Moderation;

/// <summary>What a moderator's decision did.</summary>
/// <param name="Record">The answer afterwards.</param>
/// <param name="Changed">False when the answer already had that status (nothing was written).</param>
/// <param name="ReplyProblem">Why the public reply could not be edited or deleted, when it could not.</param>
public sealed record ReviewOutcome(AnswerRecord Record, bool Changed, string? ReplyProblem);

/// <summary>What a correction did: saved (<see cref="Record"/>), refused (<see cref="Refusal"/>), or neither when the answer is unknown.</summary>
/// <param name="Record">The corrected answer; null when refused or unknown.</param>
/// <param name="Refusal">Why nothing was saved, for the moderator; null when saved or unknown.</param>
/// <param name="ReplyProblem">Saved, but the public reply could not be edited: why.</param>
public sealed record CorrectionOutcome(AnswerRecord? Record, string? Refusal, string? ReplyProblem);

/// <summary>
/// Moderators' review: mirrors each logged answer to <see cref="ModerationOptions.ReviewChannelId"/>
/// as a card, and carries out Approve, Flag, Retract and Correct: the status change is appended to the
/// answer's history, a retracted public reply is edited to say so (or deleted), a corrected one is
/// edited to show the correction, and corrections are handed to the <see cref="CorrectionMatcher"/>
/// at once. Every change can re-render the card. Knows Discord only through the REST client.
/// </summary>
public sealed partial class ReviewService
{
    private readonly IDiscordRestClient _rest;
    private readonly ReviewCardBuilder _cards;
    private readonly AnswerMessageBuilder _answers;
    private readonly ReplyWording _replyWording;
    private readonly ModerationWording _wording;
    private readonly CorrectionMatcher _corrections;
    private readonly ModerationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ReviewService> _logger;
    private readonly IAnswerLog? _log;

    /// <summary>Creates the service; without an answer log there is nothing to review (<see cref="IsEnabled"/>).</summary>
    public ReviewService(
        IDiscordRestClient rest,
        ReviewCardBuilder cards,
        AnswerMessageBuilder answers,
        ReplyWording replyWording,
        ModerationWording wording,
        CorrectionMatcher corrections,
        IOptions<ModerationOptions> options,
        TimeProvider time,
        ILogger<ReviewService> logger,
        IAnswerLog? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _rest = rest;
        _cards = cards;
        _answers = answers;
        _replyWording = replyWording;
        _wording = wording;
        _corrections = corrections;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _log = log;
    }

    /// <summary>True when there is an answer log to review.</summary>
    public bool IsEnabled => _log is not null;

    private IAnswerLog Log => _log ?? throw new InvalidOperationException("There is no answer log; check IsEnabled first.");

    /// <summary>One answer, or null when unknown.</summary>
    public Task<AnswerRecord?> GetAsync(long id, CancellationToken cancellationToken) => Log.GetAsync(id, cancellationToken);

    /// <summary>Posts the card of answer <paramref name="id"/> in the review channel and remembers it; nothing without a review channel.</summary>
    public async Task MirrorAsync(long id, CancellationToken cancellationToken)
    {
        if (_options.ReviewChannelId is not { } channel || await Log.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            return;
        }

        var card = await _rest.CreateMessageAsync(new Snowflake(channel), _cards.Card(record), cancellationToken).ConfigureAwait(false);
        await FeatureTelemetry.MeasureWriteAsync("set_review_message", () => Log.SetReviewMessageAsync(id, card.Id.ToString(), cancellationToken)).ConfigureAwait(false);
        LogMirrored(id, card.Id.Value);
    }

    /// <summary>
    /// Re-renders the card of <paramref name="record"/> (after a change made elsewhere than on the card,
    /// such as readers' flag); false when there is no card or the edit failed (logged).
    /// </summary>
    public async Task<bool> RefreshCardAsync(AnswerRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_options.ReviewChannelId is not { } channel || record.ReviewMessageId is not { } message)
        {
            return false;
        }

        try
        {
            await _rest.EditMessageAsync(new Snowflake(channel), Snowflake.Parse(message), _cards.CardEdit(record), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCardEditFailed(ex, record.Id);
            return false;
        }
    }

    /// <summary>
    /// Approve, Flag or Retract: appends the status to the history (unless the answer already has it),
    /// and for Retract withdraws the public reply as <see cref="ModerationOptions.RetractMode"/> says.
    /// Null when the answer is unknown.
    /// </summary>
    public async Task<ReviewOutcome?> DecideAsync(long id, ReviewAction action, Actor by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        var status = action switch
        {
            ReviewAction.Approve => AnswerStatus.Approved,
            ReviewAction.Flag => AnswerStatus.Flagged,
            ReviewAction.Retract => AnswerStatus.Retracted,
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Corrections go through CorrectAsync."),
        };
        if (await Log.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            return null;
        }

        if (record.Status == status)
        {
            return new ReviewOutcome(record, Changed: false, ReplyProblem: null);
        }

        if (await FeatureTelemetry.MeasureWriteAsync("change_status", () => Log.ChangeStatusAsync(id, status, by, null, cancellationToken)).ConfigureAwait(false) is not { } updated)
        {
            return null;
        }

        LogDecided(id, status, by.Id);
        var problem = status == AnswerStatus.Retracted ? (await WithdrawAsync(updated, cancellationToken).ConfigureAwait(false)).Problem : null;
        _corrections.Apply(updated);
        return new ReviewOutcome(updated, Changed: true, problem);
    }

    /// <summary>
    /// Replaces answer <paramref name="id"/> with a moderator's text and citations (one a line,
    /// <c>¶N: quoted text</c>, each verified verbatim against <paramref name="article"/>). On any failed
    /// line nothing is saved and <see cref="CorrectionOutcome.Refusal"/> names the line. An answer given
    /// about another article than <paramref name="article"/> is refused too: its quotes cannot be checked
    /// here. Saved: the correction records <paramref name="article"/>, the public reply shows it, and
    /// questions about that article that mean the same are answered with it from now on.
    /// </summary>
    public async Task<CorrectionOutcome> CorrectAsync(long id, Actor by, string? text, string? citations, Article article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(article);
        if (text is null || DiscordText.IsBlank(text))
        {
            return new CorrectionOutcome(null, _wording.CorrectionRejected(_wording.CorrectionEmpty), null);
        }

        var identity = article.LoggedIdentity();
        if (await Log.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            return new CorrectionOutcome(null, null, null);
        }

        if (record.Answer.Article is { } answered && !answered.SameAs(identity))
        {
            LogCorrectionForOtherArticle(id, answered.ContentHash, identity.ContentHash);
            var refusal = _wording.CorrectionWrongArticle(id, DiscordText.ReaderLine(answered.Describe(), 300), DiscordText.ReaderLine(identity.Describe(), 300));
            return new CorrectionOutcome(null, _wording.CorrectionRejected(refusal), null);
        }

        var check = CorrectionCitations.Verify(citations, article);
        if (check.Failure is { } failure)
        {
            LogCorrectionRefused(id, failure.Line, failure.Problem);
            return new CorrectionOutcome(null, _wording.CorrectionRejected(Describe(failure, article)), null);
        }

        var correction = new Correction(text.Trim(), check.Citations, by, _time.GetUtcNow(), identity);
        if (await FeatureTelemetry.MeasureWriteAsync("correct", () => Log.CorrectAsync(id, correction, cancellationToken)).ConfigureAwait(false) is not { } updated)
        {
            return new CorrectionOutcome(null, null, null);
        }

        LogCorrected(id, by.Id, check.Citations.Count);
        var problem = (await ShowCorrectionAsync(updated, article, cancellationToken).ConfigureAwait(false)).Problem;
        _corrections.Apply(updated);
        return new CorrectionOutcome(updated, null, problem);
    }

    /// <summary>
    /// Shows in Discord a status change made outside this bot (a moderator's <c>caravanbot review</c>): a retraction
    /// withdraws the public reply as <see cref="ModerationOptions.RetractMode"/> says, a correction edits it to show
    /// the correction (rendered against <paramref name="article"/>), and the review card is re-rendered either way.
    /// Failures are logged, never thrown: the change is saved whatever Discord does. False when the public reply could
    /// not be changed for a reason that may pass (no answer from Discord, a 5xx, a rate limit): worth trying again.
    /// </summary>
    public async Task<bool> ShowChangeMadeElsewhereAsync(AnswerRecord record, AnswerStatus status, Article article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(article);
        var edit = status switch
        {
            AnswerStatus.Retracted => await WithdrawAsync(record, cancellationToken).ConfigureAwait(false),
            AnswerStatus.Corrected => await ShowCorrectionAsync(record, article, cancellationToken).ConfigureAwait(false),
            _ => ReplyEdit.Done,
        };
        await RefreshCardAsync(record, cancellationToken).ConfigureAwait(false);
        if (edit.Problem is null)
        {
            LogShownFromElsewhere(record.Id, status);
        }

        return !edit.WorthRetrying;
    }

    /// <summary>A page of the queue (newest first) and whether another page follows.</summary>
    public async Task<(IReadOnlyList<AnswerRecord> Records, bool HasMore)> ListAsync(AnswerStatus? status, int page, CancellationToken cancellationToken)
    {
        var size = _options.QueuePageSize;
        var records = await Log.ListAsync(status, checked(page * size), size + 1, cancellationToken).ConfigureAwait(false);
        return (records.Take(size).ToArray(), records.Count > size);
    }

    /// <summary>The log's figures, with the five most asked unanswered questions.</summary>
    public Task<ReviewStats> StatsAsync(CancellationToken cancellationToken) => Log.GetStatsAsync(topUnanswered: 5, cancellationToken);

    private async Task<ReplyEdit> WithdrawAsync(AnswerRecord record, CancellationToken cancellationToken)
    {
        if (record.ReplyChannelId is not { } channel || record.ReplyMessageId is not { } message)
        {
            // A private reply: only the asker saw it, and only their interaction token could reach it.
            return ReplyEdit.Done;
        }

        try
        {
            if (_options.RetractMode == RetractMode.Delete)
            {
                await _rest.DeleteMessageAsync(Snowflake.Parse(channel), Snowflake.Parse(message), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var withdrawn = AnswerMessageBuilder.Withdrawn(record.Answer.Question, _replyWording.Withdrawn);
                await _rest.EditMessageAsync(Snowflake.Parse(channel), Snowflake.Parse(message), withdrawn, cancellationToken).ConfigureAwait(false);
            }

            return ReplyEdit.Done;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReplyChangeFailed(ex, record.Id);
            return ReplyEdit.Failed(ex);
        }
    }

    private async Task<ReplyEdit> ShowCorrectionAsync(AnswerRecord record, Article article, CancellationToken cancellationToken)
    {
        if (record.ReplyChannelId is not { } channel || record.ReplyMessageId is not { } message || record.Correction is not { } correction)
        {
            return ReplyEdit.Done;
        }

        try
        {
            var corrected = _answers.Correction(record.Answer.Question, correction, _replyWording.CorrectedMarker, article, ephemeral: false, feedbackId: record.Id);
            await _rest.EditMessageAsync(Snowflake.Parse(channel), Snowflake.Parse(message), AnswerMessageBuilder.AsEdit(corrected), cancellationToken).ConfigureAwait(false);
            return ReplyEdit.Done;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReplyChangeFailed(ex, record.Id);
            return ReplyEdit.Failed(ex);
        }
    }

    private string Describe(CitationFailure failure, Article article) => failure.Problem switch
    {
        CitationProblem.TooShort => _wording.CitationLineTooShort(failure.Line, failure.Paragraph, DiscordText.ReaderLine(failure.Text, 300)),
        CitationProblem.NoSuchParagraph => _wording.CitationLineParagraph(failure.Line, failure.Paragraph, article.Paragraphs.Count),
        CitationProblem.NotVerbatim => _wording.CitationLineNotVerbatim(failure.Line, failure.Paragraph, DiscordText.ReaderLine(failure.Text, 300)),
        _ => _wording.CitationLineFormat(failure.Line, DiscordText.ReaderLine(failure.Text, 300)),
    };

    /// <summary>What became of an edit of the public reply: the problem to tell a moderator, and whether it may pass.</summary>
    private readonly record struct ReplyEdit(string? Problem, bool WorthRetrying)
    {
        public static ReplyEdit Done => default;

        // Discord refusing (404 the reply is gone, 403 no permission) will not change by asking again; no answer,
        // a 5xx, a rate limit or a request held back by the client may.
        public static ReplyEdit Failed(Exception exception) => new(
            exception.Message,
            exception is not DiscordRestException refused || !refused.WasSent || refused.StatusCode is 0 or 429 or >= 500);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Answer {AnswerId} mirrored as review card {MessageId}")]
    private partial void LogMirrored(long answerId, ulong messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Answer {AnswerId} is now {Status}, by moderator {UserId}")]
    private partial void LogDecided(long answerId, AnswerStatus status, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Answer {AnswerId} corrected by moderator {UserId} with {Citations} citations")]
    private partial void LogCorrected(long answerId, string userId, int citations);

    [LoggerMessage(Level = LogLevel.Information, Message = "Correction of answer {AnswerId} refused: line {Line}, {Problem}")]
    private partial void LogCorrectionRefused(long answerId, int line, CitationProblem problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Correction of answer {AnswerId} refused: it was answered from article {AnsweredHash}, the bot serves {CurrentHash}")]
    private partial void LogCorrectionForOtherArticle(long answerId, string answeredHash, string currentHash);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not change the public reply of answer {AnswerId}; the status is saved")]
    private partial void LogReplyChangeFailed(Exception exception, long answerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Answer {AnswerId} shown as {Status} in Discord after a change made outside the bot")]
    private partial void LogShownFromElsewhere(long answerId, AnswerStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not update the review card of answer {AnswerId}")]
    private partial void LogCardEditFailed(Exception exception, long answerId);
}
