namespace CaravanBot.Bot.AnswerLog;

/// <summary>Where an answer stands in moderators' review.</summary>
public enum AnswerStatus
{
    /// <summary>Not reviewed yet.</summary>
    New,

    /// <summary>A moderator approved it.</summary>
    Approved,

    /// <summary>A moderator or readers' votes flagged it for attention.</summary>
    Flagged,

    /// <summary>A moderator withdrew it; the public reply says so (or was deleted).</summary>
    Retracted,

    /// <summary>A moderator replaced it with a correction, which is also served for questions that mean the same.</summary>
    Corrected,
}

/// <summary>A quoted span as logged (same meaning as the answering core's citation).</summary>
/// <param name="Paragraph">1-based paragraph number.</param>
/// <param name="Quote">Verbatim quote.</param>
/// <param name="Start">Start of the quote in the paragraph text.</param>
/// <param name="End">End of the quote (exclusive).</param>
public sealed record LoggedCitation(int Paragraph, string Quote, int Start, int End);

/// <summary>
/// Which article an answer or a correction is about, as logged: a hash of its paragraphs as numbered
/// (<c>sha256:…</c>) and its headline for people. Corrections are served only for the article they
/// were verified against.
/// </summary>
/// <param name="ContentHash">The paragraphs' hash; equal hashes mean the same ¶ numbers hold the same text.</param>
/// <param name="Title">The headline when it was logged.</param>
public sealed record LoggedArticle(string ContentHash, string Title)
{
    /// <summary>True when both name the same paragraphs (titles are for people and are not compared).</summary>
    public bool SameAs(LoggedArticle? other) => other is not null && string.Equals(ContentHash, other.ContentHash, StringComparison.Ordinal);
}

/// <summary>Who did something: a platform user id and the name shown at the time.</summary>
/// <param name="Id">User id (a Discord snowflake as text, or e.g. "cli:alice").</param>
/// <param name="Name">Display name at the time.</param>
public sealed record Actor(string Id, string Name);

/// <summary>An answer about to be sent (or just sent), as the log receives it. No Discord types.</summary>
public sealed record NewAnswer
{
    /// <summary>When the question was answered.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Guild (server) id, null in DMs and on the command line.</summary>
    public string? GuildId { get; init; }

    /// <summary>Channel id where the reply goes.</summary>
    public string? ChannelId { get; init; }

    /// <summary>Who asked.</summary>
    public required Actor Asker { get; init; }

    /// <summary>How the question arrived: "mention", "slash", "context-menu", "dm", "cli".</summary>
    public required string Source { get; init; }

    /// <summary>The question as asked.</summary>
    public required string Question { get; init; }

    /// <summary>True when the reply quotes the article.</summary>
    public required bool Answered { get; init; }

    /// <summary>Abstention reason code (empty_question, off_topic, not_in_article), null when answered.</summary>
    public string? Reason { get; init; }

    /// <summary>The lead-in or abstention message.</summary>
    public required string AnswerText { get; init; }

    /// <summary>The quotes.</summary>
    public required IReadOnlyList<LoggedCitation> Citations { get; init; }

    /// <summary>Retrieval scores (JSON object, free form, for moderators and calibration).</summary>
    public string ScoresJson { get; init; } = "{}";

    /// <summary>Answer mode: "extractive", "correction", later "llm".</summary>
    public required string Mode { get; init; }

    /// <summary>Time spent answering, in milliseconds.</summary>
    public double LatencyMs { get; init; }

    /// <summary>When this answer served a moderator's correction: the corrected answer's id.</summary>
    public long? ServedCorrectionOf { get; init; }

    /// <summary>The article the question was answered from; null for answers logged before CaravanBot recorded it.</summary>
    public LoggedArticle? Article { get; init; }
}

/// <summary>One status change, kept forever (history is appended, never overwritten).</summary>
/// <param name="Status">The new status.</param>
/// <param name="By">Who changed it ("readers" for votes).</param>
/// <param name="At">When.</param>
/// <param name="Note">Why, if given.</param>
public sealed record StatusChange(AnswerStatus Status, Actor By, DateTimeOffset At, string? Note);

/// <summary>A moderator's correction.</summary>
/// <param name="Text">The corrected answer text.</param>
/// <param name="Citations">Quotes the moderator cited, each verified verbatim against <paramref name="Article"/>.</param>
/// <param name="By">The moderator.</param>
/// <param name="At">When.</param>
/// <param name="Article">
/// The article the citations were verified against, and the only one the correction is served for;
/// null for corrections logged before CaravanBot recorded it.
/// </param>
public sealed record Correction(string Text, IReadOnlyList<LoggedCitation> Citations, Actor By, DateTimeOffset At, LoggedArticle? Article = null);

/// <summary>A reader's vote on an answer.</summary>
/// <param name="Voter">The reader.</param>
/// <param name="Vote">+1 (👍) or -1 (👎).</param>
/// <param name="Reason">Optional reason given with 👎.</param>
/// <param name="At">When.</param>
public sealed record FeedbackVote(Actor Voter, int Vote, string? Reason, DateTimeOffset At);

/// <summary>Everything the log holds about one answer.</summary>
public sealed record AnswerRecord
{
    /// <summary>
    /// The status the latest change replaced: the one before the last history entry, or New. Right after
    /// <see cref="IAnswerLog.ChangeStatusAsync"/> or <see cref="IAnswerLog.CorrectAsync"/> that is what this
    /// moderator's change replaced.
    /// </summary>
    public AnswerStatus StatusBeforeLastChange => History.Count >= 2 ? History[^2].Status : AnswerStatus.New;

    /// <summary>Log id.</summary>
    public required long Id { get; init; }

    /// <summary>The answer as received.</summary>
    public required NewAnswer Answer { get; init; }

    /// <summary>Channel of the bot's public reply, once sent.</summary>
    public string? ReplyChannelId { get; init; }

    /// <summary>Id of the bot's public reply, once sent.</summary>
    public string? ReplyMessageId { get; init; }

    /// <summary>Id of the mirrored card in the review channel, once posted.</summary>
    public string? ReviewMessageId { get; init; }

    /// <summary>Current status (the last of <see cref="History"/>, or New).</summary>
    public required AnswerStatus Status { get; init; }

    /// <summary>Every status change, oldest first.</summary>
    public required IReadOnlyList<StatusChange> History { get; init; }

    /// <summary>The latest correction, if any.</summary>
    public Correction? Correction { get; init; }

    /// <summary>Current votes (one per reader).</summary>
    public required IReadOnlyList<FeedbackVote> Feedback { get; init; }

    /// <summary>Number of 👍.</summary>
    public int Upvotes => Feedback.Count(v => v.Vote > 0);

    /// <summary>Number of 👎.</summary>
    public int Downvotes => Feedback.Count(v => v.Vote < 0);
}

/// <summary>What a vote click did.</summary>
public enum VoteOutcome
{
    /// <summary>A new vote was recorded.</summary>
    Added,

    /// <summary>The reader's earlier vote was changed to the other direction.</summary>
    Changed,

    /// <summary>The reader clicked the same vote again: it was withdrawn.</summary>
    Withdrawn,
}

/// <summary>Figures for <c>/review stats</c>.</summary>
public sealed record ReviewStats
{
    /// <summary>Answers per status.</summary>
    public required IReadOnlyDictionary<AnswerStatus, int> ByStatus { get; init; }

    /// <summary>All logged replies.</summary>
    public required int Total { get; init; }

    /// <summary>Replies that abstained.</summary>
    public required int Abstentions { get; init; }

    /// <summary>👍 votes in all.</summary>
    public required int Upvotes { get; init; }

    /// <summary>👎 votes in all.</summary>
    public required int Downvotes { get; init; }

    /// <summary>The most asked questions the bot could not answer (coverage gaps), most asked first.</summary>
    public required IReadOnlyList<(string Question, int Count)> TopUnanswered { get; init; }
}

/// <summary>
/// The durable record of every answer and abstention and of everything moderators and readers
/// did with it. Knows no Discord types. A call that returns has committed its write: nothing
/// acknowledged is lost if the process dies right after.
/// </summary>
public interface IAnswerLog
{
    /// <summary>Records an answer before (or as) it is sent; returns its id.</summary>
    Task<long> RecordAsync(NewAnswer answer, CancellationToken cancellationToken = default);

    /// <summary>Remembers where the public reply went.</summary>
    Task SetReplyAsync(long id, string channelId, string messageId, CancellationToken cancellationToken = default);

    /// <summary>Remembers the mirrored review card.</summary>
    Task SetReviewMessageAsync(long id, string messageId, CancellationToken cancellationToken = default);

    /// <summary>One answer with its history, correction and feedback; null when unknown.</summary>
    Task<AnswerRecord?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>The latest answers, newest first, optionally in one status; <paramref name="skip"/> pages.</summary>
    Task<IReadOnlyList<AnswerRecord>> ListAsync(AnswerStatus? status, int skip, int take, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends a status change (history is kept); returns the updated record, or null when unknown. The
    /// record is read in the same transaction as the change, so its last history entry is this change
    /// and the one before it (or <see cref="AnswerStatus.New"/>) is the status it actually replaced, even
    /// when several moderators act at once.
    /// </summary>
    Task<AnswerRecord?> ChangeStatusAsync(long id, AnswerStatus status, Actor by, string? note, CancellationToken cancellationToken = default);

    /// <summary>Stores a correction and moves the answer to Corrected (one transaction).</summary>
    Task<AnswerRecord?> CorrectAsync(long id, Correction correction, CancellationToken cancellationToken = default);

    /// <summary>One vote per reader per answer: a new vote is added, the other direction changes it, the same direction withdraws it.</summary>
    Task<(VoteOutcome Outcome, AnswerRecord Record)?> VoteAsync(long id, Actor voter, int vote, string? reason, CancellationToken cancellationToken = default);

    /// <summary>Figures for moderators.</summary>
    Task<ReviewStats> GetStatsAsync(int topUnanswered, CancellationToken cancellationToken = default);

    /// <summary>Every corrected answer whose correction is current (status Corrected), for serving paraphrases.</summary>
    Task<IReadOnlyList<AnswerRecord>> GetCorrectedAsync(CancellationToken cancellationToken = default);

    /// <summary>Every answer, oldest first, for export.</summary>
    IAsyncEnumerable<AnswerRecord> ExportAsync(CancellationToken cancellationToken = default);
}
