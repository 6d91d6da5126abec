using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Moderation;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Features;

/// <summary>
/// <c>/ask</c> and the "Ask CaravanBot" message command: read the question, answer it once (a
/// moderator's correction when one fits, else the answer service), record it in the answer log, send
/// the formatted answer, then tell the log where it went. Answers go out directly as the initial
/// callback (type 4; its message id is read back with <c>GET @original</c>); when they may miss
/// Discord's 3-second deadline they are deferred (type 5) and edited into <c>@original</c>: at once when the
/// bot is busy answering others, else when the answer is not ready <see cref="DiscordFeatureOptions.DeferAfter"/>
/// after the interaction arrived. The answering itself goes before messages' (<see cref="AnswerScheduler"/>).
/// </summary>
public sealed partial class AskCommands
{
    private readonly AnswerMessageBuilder _builder;
    private readonly ReplyWording _wording;
    private readonly QuestionRateLimiter _limiter;
    private readonly AnswerDeferral _deferral;
    private readonly ModeratedAnswerService _answers;
    private readonly AnswerRecorder _recorder;
    private readonly AnswerScheduler _scheduler;
    private readonly ILogger<AskCommands> _logger;

    /// <summary>Creates the handler.</summary>
    public AskCommands(
        AnswerMessageBuilder builder,
        ReplyWording wording,
        QuestionRateLimiter limiter,
        AnswerDeferral deferral,
        ModeratedAnswerService answers,
        AnswerRecorder recorder,
        AnswerScheduler scheduler,
        ILogger<AskCommands> logger)
    {
        _scheduler = scheduler;
        _builder = builder;
        _wording = wording;
        _limiter = limiter;
        _deferral = deferral;
        _answers = answers;
        _recorder = recorder;
        _logger = logger;
    }

    /// <summary>
    /// <c>/ask question:&lt;text&gt; [private:&lt;bool&gt;]</c>; <c>private</c> answers ephemerally unless it is a real
    /// <c>false</c> (fail closed: <c>"true"</c>, <c>1</c> or anything odd keeps the answer private).
    /// </summary>
    public Task HandleSlashAsync(Interaction interaction, InteractionResponder responder, BotArticle bot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        var question = InteractionOptionValues.String(interaction.Data, BotCommands.QuestionOption) ?? string.Empty;
        var ephemeral = InteractionOptionValues.IsSet(interaction.Data, BotCommands.PrivateOption);
        return AnswerAsync(interaction, responder, bot, question, ephemeral, "slash", cancellationToken);
    }

    /// <summary>"Ask CaravanBot" on a message: its content is the question, answered in the channel like <c>/ask</c>.</summary>
    public Task HandleMessageCommandAsync(Interaction interaction, InteractionResponder responder, BotArticle bot, CancellationToken cancellationToken)
    {
        var data = interaction.Data;
        var target = data?.TargetId is { } id && data.Resolved?.Messages is { } messages ? messages.GetValueOrDefault(id.ToString()) : null;
        return AnswerAsync(interaction, responder, bot, target?.Content ?? string.Empty, ephemeral: false, "context-menu", cancellationToken);
    }

    private async Task AnswerAsync(
        Interaction interaction, InteractionResponder responder, BotArticle bot, string question, bool ephemeral, string source, CancellationToken cancellationToken)
    {
        var user = interaction.Invoker?.Id ?? default;
        question = InputBounds.Cut(question, InputBounds.Question)!;

        // Counted before anything else, empty questions included: every question costs a reply.
        if (!_limiter.Admit(user).Allowed)
        {
            LogRateLimited(user.Value);
            await responder.RespondAsync(
                AnswerMessageBuilder.Notice(_wording.RateLimitNotice(_limiter.QuestionsPerWindow), ephemeral: true),
                cancellationToken).ConfigureAwait(false);
            return;
        }

        if (DiscordText.IsBlank(question))
        {
            await responder.RespondAsync(AnswerMessageBuilder.Notice(_wording.EmptyQuestion, ephemeral: true), cancellationToken).ConfigureAwait(false);
            return;
        }

        var deferred = _deferral.DeferUpFront(bot.Answers, _scheduler.IsBusy);
        if (deferred)
        {
            await responder.DeferAsync(ephemeral, cancellationToken).ConfigureAwait(false);
        }

        // Recording is part of answering: the deadline covers both, and the record exists before the reader sees the reply.
        var answering = AnswerAndRecordAsync(interaction, bot, question, source, cancellationToken);
        if (!deferred && !await _deferral.FinishesInTimeAsync(answering, responder.ReceivedAt, cancellationToken).ConfigureAwait(false))
        {
            deferred = true;
            await responder.DeferAsync(ephemeral, cancellationToken).ConfigureAwait(false);
        }

        var (served, id) = await answering.ConfigureAwait(false);
        var sent = await responder.RespondAsync(_builder.Served(served, bot.Article, ephemeral, id), cancellationToken).ConfigureAwait(false);
        var answer = served.Answer;
        LogAnswered(interaction.Id.Value, user.Value, answer.Answered, answer.Citations.Count, answer.LatencyMs, deferred);
        await PublishedAsync(responder, id, sent, ephemeral, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(ServedAnswer Served, long? Id)> AnswerAndRecordAsync(
        Interaction interaction, BotArticle bot, string question, string source, CancellationToken cancellationToken)
    {
        var served = await _scheduler.RunAsync(AnswerPriority.Interaction, () => _answers.AskAsync(question, bot, cancellationToken), cancellationToken).ConfigureAwait(false);
        var id = await _recorder.RecordAsync(AskedQuestion.From(interaction, source), served, cancellationToken).ConfigureAwait(false);
        return (served, id);
    }

    /// <summary>Tells the log where the reply went; the reader has the answer already, so nothing here may fail the interaction.</summary>
    private async Task PublishedAsync(InteractionResponder responder, long? id, DiscordMessage? sent, bool ephemeral, CancellationToken cancellationToken)
    {
        if (id is null)
        {
            return;
        }

        if (ephemeral)
        {
            await _recorder.SentPrivatelyAsync(id, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            if (sent is not { IsKnown: true })
            {
                sent = await responder.GetOriginalAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReplyUnknown(ex, id.Value);
            await _recorder.SentPrivatelyAsync(id, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!sent.IsKnown)
        {
            LogReplyUnknown(null, id.Value);
            await _recorder.SentPrivatelyAsync(id, cancellationToken).ConfigureAwait(false);
            return;
        }

        await _recorder.PublishedAsync(id, sent.ChannelId, sent.Id, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Answered interaction {InteractionId} of user {UserId}: answered {Answered}, {Quotes} quotes, {LatencyMs:F1} ms, deferred {Deferred}")]
    private partial void LogAnswered(ulong interactionId, ulong userId, bool answered, int quotes, double latencyMs, bool deferred);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read back the reply of answer {AnswerId}; its review card has no link")]
    private partial void LogReplyUnknown(Exception? exception, long answerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} is over the question limit; sent the notice privately")]
    private partial void LogRateLimited(ulong userId);
}
