using CaravanBot.Bot.Discord.Models;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Features;

/// <summary>
/// <c>/ask</c> and the "Ask CaravanBot" message command: read the question, ask the answer service
/// once, send the formatted answer. Answers go out directly as the initial callback (type 4); when
/// they may miss Discord's 3-second deadline they are deferred (type 5) and edited into <c>@original</c>.
/// </summary>
public sealed partial class AskCommands
{
    private readonly AnswerMessageBuilder _builder;
    private readonly ReplyWording _wording;
    private readonly QuestionRateLimiter _limiter;
    private readonly AnswerDeferral _deferral;
    private readonly ILogger<AskCommands> _logger;

    /// <summary>Creates the handler.</summary>
    public AskCommands(AnswerMessageBuilder builder, ReplyWording wording, QuestionRateLimiter limiter, AnswerDeferral deferral, ILogger<AskCommands> logger)
    {
        _builder = builder;
        _wording = wording;
        _limiter = limiter;
        _deferral = deferral;
        _logger = logger;
    }

    /// <summary><c>/ask question:&lt;text&gt; [private:&lt;bool&gt;]</c>; <c>private:true</c> answers ephemerally.</summary>
    public Task HandleSlashAsync(Interaction interaction, InteractionResponder responder, BotArticle bot, CancellationToken cancellationToken)
    {
        var question = InteractionOptionValues.String(interaction.Data, BotCommands.QuestionOption) ?? string.Empty;
        var ephemeral = InteractionOptionValues.Boolean(interaction.Data, BotCommands.PrivateOption) ?? false;
        return AnswerAsync(interaction, responder, bot, question, ephemeral, cancellationToken);
    }

    /// <summary>"Ask CaravanBot" on a message: its content is the question, answered in the channel like <c>/ask</c>.</summary>
    public Task HandleMessageCommandAsync(Interaction interaction, InteractionResponder responder, BotArticle bot, CancellationToken cancellationToken)
    {
        var data = interaction.Data;
        var target = data?.TargetId is { } id && data.Resolved?.Messages is { } messages ? messages.GetValueOrDefault(id.ToString()) : null;
        return AnswerAsync(interaction, responder, bot, target?.Content ?? string.Empty, ephemeral: false, cancellationToken);
    }

    private async Task AnswerAsync(
        Interaction interaction, InteractionResponder responder, BotArticle bot, string question, bool ephemeral, CancellationToken cancellationToken)
    {
        var user = interaction.Invoker?.Id ?? default;

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

        var deferred = _deferral.DeferUpFront(bot.Answers);
        if (deferred)
        {
            await responder.DeferAsync(ephemeral, cancellationToken).ConfigureAwait(false);
        }

        var answering = bot.Answers.AskAsync(question, cancellationToken);
        if (!deferred && !await _deferral.FinishesInTimeAsync(answering, cancellationToken).ConfigureAwait(false))
        {
            deferred = true;
            await responder.DeferAsync(ephemeral, cancellationToken).ConfigureAwait(false);
        }

        var answer = await answering.ConfigureAwait(false);
        await responder.RespondAsync(_builder.Answer(answer, bot.Article, ephemeral), cancellationToken).ConfigureAwait(false);
        LogAnswered(interaction.Id.Value, user.Value, answer.Answered, answer.Citations.Count, answer.LatencyMs, deferred);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Answered interaction {InteractionId} of user {UserId}: answered {Answered}, {Quotes} quotes, {LatencyMs:F1} ms, deferred {Deferred}")]
    private partial void LogAnswered(ulong interactionId, ulong userId, bool answered, int quotes, double latencyMs, bool deferred);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} is over the question limit; sent the notice privately")]
    private partial void LogRateLimited(ulong userId);
}
