using System.Text.Json;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Features;

namespace CaravanBot.Bot.Moderation;

/// <summary>
/// The moderators' side of Discord: <c>/review queue [status]</c> and <c>/review stats</c>, the queue's
/// page buttons, the review card buttons and the correction form. Everyone but a moderator
/// (<see cref="ModeratorCheck"/>) gets a private refusal and changes nothing. Each handler parses the
/// interaction, calls <see cref="ReviewService"/> once, and answers in the one form Discord allows:
/// a click on the card itself updates the card (type 7); anywhere else the card is edited and the
/// moderator gets a private note.
/// </summary>
public sealed class ReviewInteractions
{
    /// <summary>Subcommand of <c>/review</c>: the latest answers in a status.</summary>
    public const string QueueSubcommand = "queue";

    /// <summary>Subcommand of <c>/review</c>: the log's figures.</summary>
    public const string StatsSubcommand = "stats";

    /// <summary>Option of <c>/review queue</c>: which status.</summary>
    public const string StatusOption = "status";

    private readonly ReviewService _review;
    private readonly ModeratorCheck _moderators;
    private readonly ReviewCardBuilder _cards;
    private readonly ReplyWording _replyWording;
    private readonly ModerationWording _wording;

    /// <summary>Creates the handlers.</summary>
    public ReviewInteractions(ReviewService review, ModeratorCheck moderators, ReviewCardBuilder cards, ReplyWording replyWording, ModerationWording wording)
    {
        _review = review;
        _moderators = moderators;
        _cards = cards;
        _replyWording = replyWording;
        _wording = wording;
    }

    /// <summary><c>/review queue [status]</c> or <c>/review stats</c>.</summary>
    public async Task HandleCommandAsync(Interaction interaction, InteractionResponder responder, CancellationToken cancellationToken)
    {
        if (!await AdmitAsync(interaction, responder, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var subcommand = interaction.Data?.Options?.FirstOrDefault();
        if (subcommand?.Name == StatsSubcommand)
        {
            var stats = await _review.StatsAsync(cancellationToken).ConfigureAwait(false);
            await responder.RespondAsync(_cards.Stats(stats), cancellationToken).ConfigureAwait(false);
            return;
        }

        var statusName = subcommand?.Options?.FirstOrDefault(o => o.Name == StatusOption)?.Value is { ValueKind: JsonValueKind.String } value
            ? value.GetString()
            : ModerationCustomIds.AllStatuses;
        ModerationCustomIds.TryParseStatus(statusName, out var status);
        var (records, hasMore) = await _review.ListAsync(status, 0, cancellationToken).ConfigureAwait(false);
        await responder.RespondAsync(_cards.QueuePage(records, status, 0, hasMore), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Previous / Next under a queue page (<c>rq:{status}:{page}</c>): the page replaces the one shown.</summary>
    public async Task HandlePageAsync(Interaction interaction, InteractionResponder responder, AnswerStatus? status, int page, CancellationToken cancellationToken)
    {
        if (!await AdmitAsync(interaction, responder, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var (records, hasMore) = await _review.ListAsync(status, page, cancellationToken).ConfigureAwait(false);
        await responder.UpdateMessageAsync(AnswerMessageBuilder.AsEdit(_cards.QueuePage(records, status, page, hasMore)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A card button (<c>rv:{action}:{id}</c>): Approve, Flag, Retract at once; Correct opens the correction form.</summary>
    public async Task HandleButtonAsync(Interaction interaction, InteractionResponder responder, ReviewAction action, long answerId, CancellationToken cancellationToken)
    {
        if (!await AdmitAsync(interaction, responder, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (action == ReviewAction.Correct)
        {
            var record = await _review.GetAsync(answerId, cancellationToken).ConfigureAwait(false);
            await (record is null
                ? NoticeAsync(responder, _replyWording.AnswerNotFound, cancellationToken)
                : responder.ShowModalAsync(_cards.CorrectionForm(record), cancellationToken)).ConfigureAwait(false);
            return;
        }

        var outcome = await _review.DecideAsync(answerId, action, DiscordActors.Of(interaction), cancellationToken).ConfigureAwait(false);
        if (outcome is null)
        {
            await NoticeAsync(responder, _replyWording.AnswerNotFound, cancellationToken).ConfigureAwait(false);
            return;
        }

        await ShowRecordAsync(interaction, responder, outcome.Record, outcome.ReplyProblem, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The correction form submitted (<c>rv:correction:{id}</c>): saved and shown, or refused with the failed line.</summary>
    public async Task HandleCorrectionAsync(Interaction interaction, InteractionResponder responder, long answerId, BotArticle bot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bot);
        if (!await AdmitAsync(interaction, responder, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        // The form's limits, enforced here too: a submission is whatever the client sends.
        var text = InputBounds.Cut(ModalValues.Get(interaction.Data, ReviewCardBuilder.CorrectionTextInput), ReviewCardBuilder.MaxCorrectionLength);
        var citations = InputBounds.Cut(ModalValues.Get(interaction.Data, ReviewCardBuilder.CorrectionCitationsInput), ReviewCardBuilder.MaxCitationsLength);
        var outcome = await _review.CorrectAsync(answerId, DiscordActors.Of(interaction), text, citations, bot.Article, cancellationToken).ConfigureAwait(false);
        if (outcome.Refusal is { } refusal)
        {
            await NoticeAsync(responder, refusal, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (outcome.Record is not { } record)
        {
            await NoticeAsync(responder, _replyWording.AnswerNotFound, cancellationToken).ConfigureAwait(false);
            return;
        }

        await ShowRecordAsync(interaction, responder, record, outcome.ReplyProblem, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Shows the new state: the clicked card updated in place, or the card edited and a private note.</summary>
    private async Task ShowRecordAsync(Interaction interaction, InteractionResponder responder, AnswerRecord record, string? replyProblem, CancellationToken cancellationToken)
    {
        if (interaction.Message is { } message && message.Id.ToString() == record.ReviewMessageId)
        {
            await responder.UpdateMessageAsync(_cards.CardEdit(record), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _review.RefreshCardAsync(record, cancellationToken).ConfigureAwait(false);
            await NoticeAsync(responder, _wording.Saved(record.Id, record.Status), cancellationToken).ConfigureAwait(false);
        }

        if (replyProblem is not null)
        {
            await NoticeAsync(responder, _wording.ReplyUnchanged(replyProblem), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True for a moderator on a bot with an answer log; anyone else is told privately why not.</summary>
    private async Task<bool> AdmitAsync(Interaction interaction, InteractionResponder responder, CancellationToken cancellationToken)
    {
        if (!_review.IsEnabled)
        {
            await NoticeAsync(responder, _wording.Unavailable, cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (!_moderators.IsModerator(interaction))
        {
            await NoticeAsync(responder, _replyWording.ReviewRefused, cancellationToken).ConfigureAwait(false);
            return false;
        }

        return true;
    }

    private static Task NoticeAsync(InteractionResponder responder, string text, CancellationToken cancellationToken) =>
        responder.RespondAsync(AnswerMessageBuilder.Notice(text, ephemeral: true), cancellationToken);
}
