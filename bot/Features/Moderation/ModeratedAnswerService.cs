using System.Diagnostics;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Features;
using CaravanBot.Retrieval.Answering;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Moderation;

/// <summary>What a reader is sent for a question: the engine's answer, or a moderator's correction.</summary>
/// <param name="Answer">
/// The reply as an answer: for a correction, the moderator's text and verified quotes (answered,
/// extractive quotes only), so logging and formatting treat both alike.
/// </param>
/// <param name="Correction">The correction served, when the question means the same as a corrected one.</param>
/// <param name="Article">The article the answer is about, as the log records it.</param>
public sealed record ServedAnswer(Answer Answer, CorrectionMatch? Correction, LoggedArticle? Article = null)
{
    /// <summary>The answer mode as the log spells it: "correction", or the engine's ("extractive").</summary>
    public string Mode => Correction is not null ? "correction" : Answer.Mode.ToString().ToLowerInvariant();
}

/// <summary>
/// Answers a question the way moderators want it answered: when it means the same as a question a
/// moderator corrected about the same article, with that correction (its quotes checked again against
/// the article first; the engine is not asked); otherwise by the engine.
/// </summary>
public sealed partial class ModeratedAnswerService
{
    private readonly CorrectionMatcher _corrections;
    private readonly ILogger<ModeratedAnswerService> _logger;

    /// <summary>Creates the service.</summary>
    public ModeratedAnswerService(CorrectionMatcher corrections, ILogger<ModeratedAnswerService> logger)
    {
        _corrections = corrections;
        _logger = logger;
    }

    /// <summary>The correction for <paramref name="question"/> about <paramref name="bot"/>'s article if there is one, else its engine's answer.</summary>
    public async Task<ServedAnswer> AskAsync(string question, BotArticle bot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bot);
        var engine = bot.Answers;
        var article = bot.Identity.ToLogged();
        var started = Stopwatch.GetTimestamp();
        CorrectionMatch? match = null;
        try
        {
            match = await _corrections.MatchAsync(question, bot.Article, article, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Corrections are an improvement on the engine, never a reason to leave a reader unanswered.
            LogMatchFailed(ex);
        }

        if (match is null)
        {
            var served = new ServedAnswer(await engine.AskAsync(question, cancellationToken).ConfigureAwait(false), null, article);
            FeatureTelemetry.Answered(served.Answer, served.Mode, correction: false, Stopwatch.GetElapsedTime(started));
            return served;
        }

        LogServed(match.AnswerId, match.Similarity);
        var answer = new Answer
        {
            Question = question,
            Answered = true,
            Text = match.Correction.Text,
            Citations = match.Correction.Citations.Select(c => new Citation(c.Paragraph, c.Quote, c.Start, c.End)).ToArray(),
            LatencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        };
        var corrected = new ServedAnswer(answer, match, article);
        FeatureTelemetry.Answered(answer, corrected.Mode, correction: true, Stopwatch.GetElapsedTime(started));
        return corrected;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving the correction of answer {AnswerId} (similarity {Similarity:F3})")]
    private partial void LogServed(long answerId, double similarity);

    [LoggerMessage(Level = LogLevel.Error, Message = "Matching the question against corrections failed; asking the engine")]
    private partial void LogMatchFailed(Exception exception);
}
