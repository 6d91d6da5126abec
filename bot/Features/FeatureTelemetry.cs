using System.Diagnostics.Metrics;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Retrieval.Answering;

namespace CaravanBot.Bot.Features;

/// <summary>
/// What readers and moderators did, as metrics on the meter <see cref="MeterName"/>: questions answered or abstained
/// (with the reason), how long answering took, corrections served in place of the engine's answer, and readers' votes.
/// An exporter (OpenTelemetry, in the host) listens to the meter by name.
/// </summary>
public static class FeatureTelemetry
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CaravanBot.Features";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Questions = Meter.CreateCounter<long>(
        "caravanbot.questions", unit: "{question}", description: "Questions the bot answered or abstained on (mentions, DMs, /ask, Ask CaravanBot).");

    private static readonly Counter<long> Answers = Meter.CreateCounter<long>(
        "caravanbot.answers", unit: "{answer}", description: "Questions answered with quotes, by mode (extractive, llm, correction).");

    private static readonly Counter<long> Abstentions = Meter.CreateCounter<long>(
        "caravanbot.abstentions", unit: "{answer}", description: "Questions the bot abstained on, by reason (empty_question, off_topic, not_in_article).");

    private static readonly Histogram<double> AnswerDuration = Meter.CreateHistogram<double>(
        "caravanbot.answer.duration", unit: "s", description: "Time to answer or abstain on a question (corrections included), by outcome.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    private static readonly Counter<long> CorrectionsServed = Meter.CreateCounter<long>(
        "caravanbot.corrections.served", unit: "{answer}", description: "Questions answered with a moderator's correction.");

    private static readonly Counter<long> Votes = Meter.CreateCounter<long>(
        "caravanbot.votes", unit: "{vote}", description: "Readers' votes on answers, by vote (up, down) and outcome (added, changed, withdrawn).");

    private static readonly Histogram<double> LogWriteDuration = Meter.CreateHistogram<double>(
        "caravanbot.answer_log.write.duration", unit: "s", description: "Time an answer-log write took to commit (or fail), by operation (record, set_reply, set_review_message, change_status, correct, vote).",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    private static readonly Counter<long> LogWriteFailures = Meter.CreateCounter<long>(
        "caravanbot.answer_log.write.failures", unit: "{write}", description: "Answer-log writes that failed (the store refused, was locked past its timeout or unreachable), by operation.");

    /// <summary>Runs one answer-log write, recording how long it took and whether it failed (a cancellation is neither).</summary>
    internal static async Task<T> MeasureWriteAsync<T>(string operation, Func<Task<T>> write)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var tag = new KeyValuePair<string, object?>("operation", operation);
        try
        {
            var result = await write().ConfigureAwait(false);
            LogWriteDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, tag);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogWriteDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, tag);
            LogWriteFailures.Add(1, tag);
            throw;
        }
    }

    /// <summary>As <see cref="MeasureWriteAsync{T}"/>, for a write that returns nothing.</summary>
    internal static Task MeasureWriteAsync(string operation, Func<Task> write) =>
        MeasureWriteAsync(operation, async () =>
        {
            await write().ConfigureAwait(false);
            return true;
        });

    internal static void Answered(Answer answer, string mode, bool correction, TimeSpan elapsed)
    {
        Questions.Add(1);
        if (answer.Answered)
        {
            Answers.Add(1, new KeyValuePair<string, object?>("mode", mode));
        }
        else
        {
            Abstentions.Add(1, new KeyValuePair<string, object?>("reason", answer.Reason?.ToCode() ?? "unknown"));
        }

        if (correction)
        {
            CorrectionsServed.Add(1);
        }

        AnswerDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", answer.Answered ? "answered" : "abstained"));
    }

    internal static void Voted(int direction, VoteOutcome outcome) =>
        Votes.Add(1, new("vote", direction > 0 ? "up" : "down"), new("outcome", outcome.ToString().ToLowerInvariant()));
}
