using System.Runtime.CompilerServices;
using CaravanBot.Bot.AnswerLog;

namespace CaravanBot.Bot.Tests.Moderation;

/// <summary>
/// <see cref="IAnswerLog"/> in memory, keeping the contract as the SQLite log does: ids from 1, history
/// appended, a correction moves the answer to Corrected in one step, one vote per reader (same again
/// withdraws, the other changes). <see cref="Fail"/> makes every call throw, to test that a broken log
/// never costs a reader the answer.
/// </summary>
internal sealed class InMemoryAnswerLog : IAnswerLog
{
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];
    private readonly TimeProvider _time;

    public InMemoryAnswerLog(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>When set, every call throws it.</summary>
    public Exception? Fail { get; set; }

    /// <summary>Called as each answer is recorded, before the call returns (tests look at what Discord has seen by then).</summary>
    public Action<NewAnswer>? OnRecord { get; set; }

    public IReadOnlyList<AnswerRecord> All
    {
        get
        {
            lock (_lock)
            {
                return _entries.Select(e => e.ToRecord()).ToArray();
            }
        }
    }

    public Task<long> RecordAsync(NewAnswer answer, CancellationToken cancellationToken = default) => Locked(() =>
    {
        OnRecord?.Invoke(answer);
        var entry = new Entry(_entries.Count + 1, answer);
        _entries.Add(entry);
        return entry.Id;
    });

    public Task SetReplyAsync(long id, string channelId, string messageId, CancellationToken cancellationToken = default) => Locked(() =>
    {
        if (Find(id) is { } entry)
        {
            entry.ReplyChannelId = channelId;
            entry.ReplyMessageId = messageId;
        }

        return true;
    });

    public Task SetReviewMessageAsync(long id, string messageId, CancellationToken cancellationToken = default) => Locked(() =>
    {
        if (Find(id) is { } entry)
        {
            entry.ReviewMessageId = messageId;
        }

        return true;
    });

    public Task<AnswerRecord?> GetAsync(long id, CancellationToken cancellationToken = default) => Locked(() => Find(id)?.ToRecord());

    public Task<IReadOnlyList<AnswerRecord>> ListAsync(AnswerStatus? status, int skip, int take, CancellationToken cancellationToken = default) =>
        Locked<IReadOnlyList<AnswerRecord>>(() => _entries
            .Where(e => status is null || e.Status == status)
            .OrderByDescending(e => e.Id)
            .Skip(skip)
            .Take(take)
            .Select(e => e.ToRecord())
            .ToArray());

    public Task<AnswerRecord?> ChangeStatusAsync(long id, AnswerStatus status, Actor by, string? note, CancellationToken cancellationToken = default) => Locked(() =>
    {
        if (Find(id) is not { } entry)
        {
            return null;
        }

        entry.History.Add(new StatusChange(status, by, _time.GetUtcNow(), note));
        return entry.ToRecord();
    });

    public Task<AnswerRecord?> CorrectAsync(long id, Correction correction, CancellationToken cancellationToken = default) => Locked(() =>
    {
        if (Find(id) is not { } entry)
        {
            return null;
        }

        entry.Correction = correction;
        entry.History.Add(new StatusChange(AnswerStatus.Corrected, correction.By, correction.At, null));
        return entry.ToRecord();
    });

    public Task<(VoteOutcome Outcome, AnswerRecord Record)?> VoteAsync(long id, Actor voter, int vote, string? reason, CancellationToken cancellationToken = default) =>
        Locked<(VoteOutcome, AnswerRecord)?>(() =>
        {
            if (Find(id) is not { } entry)
            {
                return null;
            }

            var existing = entry.Votes.FindIndex(v => v.Voter.Id == voter.Id);
            VoteOutcome outcome;
            if (existing < 0)
            {
                entry.Votes.Add(new FeedbackVote(voter, vote, reason, _time.GetUtcNow()));
                outcome = VoteOutcome.Added;
            }
            else if (entry.Votes[existing].Vote == vote)
            {
                entry.Votes.RemoveAt(existing);
                outcome = VoteOutcome.Withdrawn;
            }
            else
            {
                entry.Votes[existing] = new FeedbackVote(voter, vote, reason, _time.GetUtcNow());
                outcome = VoteOutcome.Changed;
            }

            return (outcome, entry.ToRecord());
        });

    public Task<ReviewStats> GetStatsAsync(int topUnanswered, CancellationToken cancellationToken = default) => Locked(() => new ReviewStats
    {
        ByStatus = Enum.GetValues<AnswerStatus>().ToDictionary(s => s, s => _entries.Count(e => e.Status == s)),
        Total = _entries.Count,
        Abstentions = _entries.Count(e => !e.Answer.Answered),
        Upvotes = _entries.Sum(e => e.Votes.Count(v => v.Vote > 0)),
        Downvotes = _entries.Sum(e => e.Votes.Count(v => v.Vote < 0)),
        TopUnanswered = _entries
            .Where(e => !e.Answer.Answered)
            .GroupBy(e => e.Answer.Question.Trim().ToLowerInvariant())
            .Select(g => (Question: g.First().Answer.Question, Count: g.Count()))
            .OrderByDescending(g => g.Count)
            .ThenBy(g => g.Question, StringComparer.Ordinal)
            .Take(topUnanswered)
            .ToArray(),
    });

    public Task<IReadOnlyList<AnswerRecord>> GetCorrectedAsync(CancellationToken cancellationToken = default) =>
        Locked<IReadOnlyList<AnswerRecord>>(() => _entries.Where(e => e.Status == AnswerStatus.Corrected && e.Correction is not null).Select(e => e.ToRecord()).ToArray());

    public async IAsyncEnumerable<AnswerRecord> ExportAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var record in await Locked(() => _entries.Select(e => e.ToRecord()).ToArray()))
        {
            yield return record;
        }
    }

    private Entry? Find(long id) => id >= 1 && id <= _entries.Count ? _entries[(int)id - 1] : null;

    private Task<T> Locked<T>(Func<T> action)
    {
        if (Fail is { } failure)
        {
            return Task.FromException<T>(failure);
        }

        lock (_lock)
        {
            return Task.FromResult(action());
        }
    }

    private sealed class Entry
    {
        public Entry(long id, NewAnswer answer)
        {
            Id = id;
            Answer = answer;
        }

        public long Id { get; }

        public NewAnswer Answer { get; }

        public string? ReplyChannelId { get; set; }

        public string? ReplyMessageId { get; set; }

        public string? ReviewMessageId { get; set; }

        public List<StatusChange> History { get; } = [];

        public Correction? Correction { get; set; }

        public List<FeedbackVote> Votes { get; } = [];

        public AnswerStatus Status => History.Count == 0 ? AnswerStatus.New : History[^1].Status;

        public AnswerRecord ToRecord() => new()
        {
            Id = Id,
            Answer = Answer,
            ReplyChannelId = ReplyChannelId,
            ReplyMessageId = ReplyMessageId,
            ReviewMessageId = ReviewMessageId,
            Status = Status,
            History = [.. History],
            Correction = Correction,
            Feedback = [.. Votes],
        };
    }
}
