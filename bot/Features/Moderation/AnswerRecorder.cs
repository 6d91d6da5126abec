using CaravanBot.Bot.Features;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Retrieval.Answering;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Moderation;

/// <summary>
/// Writes every answer and abstention to the <see cref="IAnswerLog"/> before the reader sees it, then
/// remembers where the public reply went and mirrors it to the review channel. The reader comes first:
/// a failing log is logged here and never stops an answer (the answer then goes out without an id,
/// hence without vote buttons). Without an answer log registered it does nothing.
/// </summary>
public sealed partial class AnswerRecorder
{
    // A NaN score must not cost the reader their answer: it is written as "NaN" rather than thrown on.
    private static readonly JsonSerializerOptions ScoresJson = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly ReviewService _review;
    private readonly TimeProvider _time;
    private readonly ILogger<AnswerRecorder> _logger;
    private readonly IAnswerLog? _log;

    /// <summary>Creates the recorder.</summary>
    public AnswerRecorder(ReviewService review, TimeProvider time, ILogger<AnswerRecorder> logger, IAnswerLog? log = null)
    {
        _review = review;
        _time = time;
        _logger = logger;
        _log = log;
        if (log is null)
        {
            LogNoAnswerLog();
        }
    }

    /// <summary>True when answers are logged.</summary>
    public bool IsEnabled => _log is not null;

    /// <summary>Records <paramref name="served"/> as about to be sent; its log id, or null when there is no log or writing failed.</summary>
    public async Task<long?> RecordAsync(AskedQuestion asked, ServedAnswer served, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(asked);
        ArgumentNullException.ThrowIfNull(served);
        if (_log is null)
        {
            return null;
        }

        var answer = served.Answer;
        var entry = new NewAnswer
        {
            At = _time.GetUtcNow(),
            GuildId = asked.GuildId,
            ChannelId = asked.ChannelId,
            Asker = asked.Asker,
            Source = asked.Source,
            Question = answer.Question,
            Answered = answer.Answered,
            Reason = answer.Answered ? null : answer.Reason?.ToCode(),
            AnswerText = answer.Text,
            Citations = answer.Citations.Select(c => new LoggedCitation(c.Paragraph, c.Quote, c.Start, c.End)).ToArray(),
            ScoresJson = Scores(answer),
            Mode = served.Mode,
            LatencyMs = answer.LatencyMs,
            ServedCorrectionOf = served.Correction?.AnswerId,
            Article = served.Article,
        };
        try
        {
            var id = await FeatureTelemetry.MeasureWriteAsync("record", () => _log.RecordAsync(entry, cancellationToken)).ConfigureAwait(false);
            LogRecorded(id, asked.Source, answer.Answered, served.Mode);
            return id;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRecordFailed(ex, asked.Asker.Id, asked.Source);
            return null;
        }
    }

    /// <summary>The scores as JSON; a language-model fallback adds <c>llmFallback</c> (e.g. <c>"timeout"</c>) so moderators see why the answer is extractive.</summary>
    internal static string Scores(Answer answer)
    {
        if (answer.FallbackReason is not { } fallback)
        {
            return JsonSerializer.Serialize(answer.Scores, ScoresJson);
        }

        var scores = JsonSerializer.SerializeToNode(answer.Scores, ScoresJson)!.AsObject();
        scores["llmFallback"] = fallback.ToCode();
        return scores.ToJsonString(ScoresJson);
    }

    /// <summary>The public reply of answer <paramref name="id"/> was sent as <paramref name="messageId"/>: remember it and post the review card.</summary>
    public async Task PublishedAsync(long? id, Snowflake channelId, Snowflake messageId, CancellationToken cancellationToken)
    {
        if (id is not { } answerId || _log is null)
        {
            return;
        }

        try
        {
            await FeatureTelemetry.MeasureWriteAsync("set_reply", () => _log.SetReplyAsync(answerId, channelId.ToString(), messageId.ToString(), cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReplyNotRemembered(ex, answerId);
        }

        await MirrorAsync(answerId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answer <paramref name="id"/> went to the asker only (ephemeral): there is no public reply to remember, only the card to post.</summary>
    public Task SentPrivatelyAsync(long? id, CancellationToken cancellationToken) =>
        id is { } answerId && _log is not null ? MirrorAsync(answerId, cancellationToken) : Task.CompletedTask;

    private async Task MirrorAsync(long id, CancellationToken cancellationToken)
    {
        try
        {
            await _review.MirrorAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogMirrorFailed(ex, id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No answer log is registered: answers are not recorded, and review and reader votes are off")]
    private partial void LogNoAnswerLog();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Recorded answer {AnswerId} ({Source}, answered {Answered}, mode {Mode})")]
    private partial void LogRecorded(long answerId, string source, bool answered, string mode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the answer to user {UserId} ({Source}); sending it unrecorded")]
    private partial void LogRecordFailed(Exception exception, string userId, string source);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not remember where the reply of answer {AnswerId} went")]
    private partial void LogReplyNotRemembered(Exception exception, long answerId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not post the review card of answer {AnswerId}")]
    private partial void LogMirrorFailed(Exception exception, long answerId);
}
