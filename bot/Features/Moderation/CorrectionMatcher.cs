using System.Diagnostics;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Embeddings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Moderation;

/// <summary>A corrected question that a new question means the same as.</summary>
/// <param name="AnswerId">The corrected answer's log id.</param>
/// <param name="Question">The corrected question as it was asked.</param>
/// <param name="Correction">The moderator's correction to serve.</param>
/// <param name="Similarity">Cosine similarity of the two questions (1 for the exact-text fallback).</param>
public sealed record CorrectionMatch(long AnswerId, string Question, Correction Correction, double Similarity);

/// <summary>
/// Finds the moderator's correction for a new question that means the same as a corrected one. The
/// corrected questions are embedded once (loaded from <see cref="IAnswerLog.GetCorrectedAsync"/> at
/// start, updated as moderators correct or change answers) and a new question is compared by cosine:
/// at or above <see cref="ModerationOptions.CorrectionSimilarity"/>, with the same
/// <see cref="QuestionForm"/>, the best match is served. Without an embedder (a host that registers
/// none) only the same question, ignoring case and punctuation, matches. Without an answer log there
/// are no corrections and nothing ever matches. A correction is served only for the article it was
/// verified against, and only while each of its quotes is still verbatim (and large enough to check)
/// in the article being served; a correction logged before articles were recorded is served only when
/// it has quotes and they all hold.
/// </summary>
public sealed partial class CorrectionMatcher : IDisposable
{
    private readonly IAnswerLog? _log;
    private readonly ISentenceEmbedder? _embedder;
    private readonly double _threshold;
    private readonly ILogger<CorrectionMatcher> _logger;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _loading = new(1, 1);
    private Dictionary<long, Entry> _entries = [];
    private volatile bool _loaded;

    /// <summary>Creates the matcher; both the log and the embedder are optional.</summary>
    public CorrectionMatcher(
        IOptions<ModerationOptions> options, ILogger<CorrectionMatcher> logger, IAnswerLog? log = null, ISentenceEmbedder? embedder = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _threshold = options.Value.CorrectionSimilarity;
        _logger = logger;
        _log = log;
        _embedder = embedder;
    }

    /// <summary>Corrections currently served.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// <see cref="LoadAsync"/> at a bot's start: a log that cannot be read is logged, not thrown, and the first
    /// question tries it again (<see cref="MatchAsync"/>), so readers are answered meanwhile.
    /// </summary>
    public async Task TryLoadAtStartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await LoadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStartLoadFailed(ex);
        }
    }

    /// <summary>
    /// Reads every current correction from the log and embeds its question (once; later calls return
    /// at once). Called at start-up; <see cref="MatchAsync"/> calls it too, so a failed start is retried.
    /// </summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_loaded || _log is null)
        {
            return;
        }

        await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_loaded)
            {
                return;
            }

            var started = Stopwatch.GetTimestamp();
            var corrected = await _log.GetCorrectedAsync(cancellationToken).ConfigureAwait(false);
            var entries = Build(corrected.Where(r => r.Status == AnswerStatus.Corrected && r.Correction is not null).ToArray(), cancellationToken);
            lock (_lock)
            {
                // Corrections applied while loading are newer than what the log returned.
                foreach (var (id, entry) in _entries)
                {
                    entries[id] = entry;
                }

                _entries = entries;
            }

            _loaded = true;
            LogLoaded(entries.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>
    /// Brings the matcher in line with <paramref name="record"/> after a moderator acted on it: a current
    /// correction is (re-)embedded, anything else (approved, retracted, flagged again) is no longer served.
    /// </summary>
    public void Apply(AnswerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Status == AnswerStatus.Corrected && record.Correction is not null)
        {
            var entry = Build([record], CancellationToken.None)[record.Id];
            lock (_lock)
            {
                _entries = new Dictionary<long, Entry>(_entries) { [record.Id] = entry };
            }

            LogApplied(record.Id, true);
            return;
        }

        lock (_lock)
        {
            if (!_entries.ContainsKey(record.Id))
            {
                return;
            }

            var entries = new Dictionary<long, Entry>(_entries);
            entries.Remove(record.Id);
            _entries = entries;
        }

        LogApplied(record.Id, false);
    }

    /// <summary>
    /// The correction to serve for <paramref name="question"/> about <paramref name="article"/>
    /// (<paramref name="identity"/>), or null when no corrected question about it means the same.
    /// </summary>
    public async Task<CorrectionMatch?> MatchAsync(string question, Article article, LoggedArticle identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(article);
        ArgumentNullException.ThrowIfNull(identity);
        if (_log is null)
        {
            return null;
        }

        try
        {
            await LoadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The reader still gets the engine's answer; the next question tries the log again.
            LogLoadFailed(ex);
            return null;
        }

        Dictionary<long, Entry> entries;
        lock (_lock)
        {
            entries = _entries;
        }

        if (entries.Count == 0)
        {
            return null;
        }

        var normalised = QuestionForm.Normalise(question);
        var vector = _embedder is null ? null : _embedder.Embed([normalised], cancellationToken)[0];
        CorrectionMatch? best = null;
        foreach (var entry in entries.Values)
        {
            if (!QuestionForm.SameForm(question, entry.Question) || !IsFor(entry, article, identity))
            {
                continue;
            }

            double similarity = vector is not null && entry.Vector is not null
                ? VectorMath.Dot(vector, entry.Vector)
                : normalised == entry.Normalised ? 1 : 0;
            if (similarity >= _threshold && (best is null || similarity > best.Similarity))
            {
                best = new CorrectionMatch(entry.Id, entry.Question, entry.Correction, similarity);
            }
        }

        return best;
    }

    /// <inheritdoc />
    public void Dispose() => _loading.Dispose();

    /// <summary>
    /// True when <paramref name="entry"/>'s correction may be shown for <paramref name="article"/>: recorded
    /// for it (or, logged before articles were recorded, backed by quotes), and every quote still verbatim
    /// and large enough to check there.
    /// </summary>
    private bool IsFor(Entry entry, Article article, LoggedArticle identity)
    {
        var correction = entry.Correction;
        var recordedFor = correction.Article is { } recorded
            ? recorded.SameAs(identity)
            : correction.Citations.Count > 0;
        if (!recordedFor)
        {
            return false;
        }

        if (!CorrectionCitations.StillHold(correction.Citations, article))
        {
            LogQuotesNoLongerHold(entry.Id);
            return false;
        }

        return true;
    }

    private Dictionary<long, Entry> Build(IReadOnlyList<AnswerRecord> records, CancellationToken cancellationToken)
    {
        var normalised = records.Select(r => QuestionForm.Normalise(r.Answer.Question)).ToArray();
        var vectors = _embedder is null || records.Count == 0 ? null : _embedder.Embed(normalised, cancellationToken);
        var entries = new Dictionary<long, Entry>();
        for (var i = 0; i < records.Count; i++)
        {
            entries[records[i].Id] = new Entry(records[i].Id, records[i].Answer.Question, normalised[i], vectors?[i], records[i].Correction!);
        }

        return entries;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving {Count} moderator corrections (embedded in {ElapsedMs:F0} ms)")]
    private partial void LogLoaded(int count, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Answer {AnswerId} is now served as a correction: {Served}")]
    private partial void LogApplied(long answerId, bool served);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The correction of answer {AnswerId} quotes text that is not in the article served; it is not shown")]
    private partial void LogQuotesNoLongerHold(long answerId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not load the moderators' corrections at start; retrying with the first question")]
    private partial void LogStartLoadFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not load the moderators' corrections; answering without them")]
    private partial void LogLoadFailed(Exception exception);

    private sealed record Entry(long Id, string Question, string Normalised, float[]? Vector, Correction Correction);
}
