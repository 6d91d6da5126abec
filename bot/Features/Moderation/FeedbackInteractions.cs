using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Features;

namespace CaravanBot.Bot.Moderation;

/// <summary>
/// Readers' 👍 and 👎 under answers (<c>fb:up:{id}</c>, <c>fb:down:{id}</c>) and the optional reason form
/// a 👎 opens (<c>fb:reason:{id}</c>). 👍 counts at once; 👎 opens the form, and submitting it counts the
/// vote with the reason; a second click on the same vote withdraws it. Each is acknowledged privately,
/// and when readers' 👎 flag the answer its review card is updated.
/// </summary>
public sealed class FeedbackInteractions
{
    /// <summary>Custom id of the reason field in the 👎 form.</summary>
    public const string ReasonInput = "reason";

    private const int ReasonLength = 500;
    private const int TextInputType = 4;
    private const int ParagraphInputStyle = 2;

    private readonly FeedbackService _feedback;
    private readonly ReviewService _review;
    private readonly ReplyWording _wording;

    /// <summary>Creates the handlers.</summary>
    public FeedbackInteractions(FeedbackService feedback, ReviewService review, ReplyWording wording)
    {
        _feedback = feedback;
        _review = review;
        _wording = wording;
    }

    /// <summary>A click on 👍 (+1) or 👎 (-1) under answer <paramref name="answerId"/>.</summary>
    public async Task HandleButtonAsync(Interaction interaction, InteractionResponder responder, int vote, long answerId, CancellationToken cancellationToken)
    {
        if (!_feedback.IsEnabled)
        {
            await NoticeAsync(responder, _wording.AnswerNotFound, cancellationToken).ConfigureAwait(false);
            return;
        }

        var voter = DiscordActors.Of(interaction);
        if (vote < 0)
        {
            var current = await _feedback.CurrentVoteAsync(answerId, voter.Id, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                await NoticeAsync(responder, _wording.AnswerNotFound, cancellationToken).ConfigureAwait(false);
                return;
            }

            // A second 👎 withdraws the first at once; asking why would make no sense.
            if (current >= 0)
            {
                await responder.ShowModalAsync(ReasonForm(answerId), cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        await VoteAsync(responder, answerId, voter, vote, reason: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The 👎 form submitted: the 👎 is counted with its reason (if any).</summary>
    public async Task HandleReasonAsync(Interaction interaction, InteractionResponder responder, long answerId, CancellationToken cancellationToken)
    {
        if (!_feedback.IsEnabled)
        {
            await NoticeAsync(responder, _wording.AnswerNotFound, cancellationToken).ConfigureAwait(false);
            return;
        }

        var voter = DiscordActors.Of(interaction);
        // The form allows 500 characters, but a submission is whatever the client sends (even for a form never opened).
        var reason = InputBounds.Cut(ModalValues.Get(interaction.Data, ReasonInput)?.Trim(), ReasonLength);

        // The same form submitted twice must not withdraw the vote it just counted.
        if (await _feedback.CurrentVoteAsync(answerId, voter.Id, cancellationToken).ConfigureAwait(false) is < 0)
        {
            await NoticeAsync(responder, _wording.FeedbackCounted(FeedbackEmoji.Down), cancellationToken).ConfigureAwait(false);
            return;
        }

        await VoteAsync(responder, answerId, voter, -1, string.IsNullOrEmpty(reason) ? null : reason, cancellationToken).ConfigureAwait(false);
    }

    private async Task VoteAsync(InteractionResponder responder, long answerId, Actor voter, int vote, string? reason, CancellationToken cancellationToken)
    {
        var result = await _feedback.VoteAsync(answerId, voter, vote, reason, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            await NoticeAsync(responder, _wording.AnswerNotFound, cancellationToken).ConfigureAwait(false);
            return;
        }

        var emoji = FeedbackEmoji.Of(vote);
        var note = result.Outcome switch
        {
            VoteOutcome.Changed => _wording.FeedbackChanged(emoji),
            VoteOutcome.Withdrawn => _wording.FeedbackWithdrawn(emoji),
            _ => _wording.FeedbackCounted(emoji),
        };
        await NoticeAsync(responder, note, cancellationToken).ConfigureAwait(false);

        // After the reader's acknowledgement: the card is for moderators and may take its time.
        if (result.Flagged)
        {
            await _review.RefreshCardAsync(result.Record, cancellationToken).ConfigureAwait(false);
        }
    }

    private ModalData ReasonForm(long answerId) => new()
    {
        CustomId = ModerationCustomIds.FeedbackReasonModal(answerId),
        Title = DiscordText.Plain(_wording.FeedbackReasonTitle, 45),
        Components =
        [
            new ActionRow
            {
                Components =
                [
                    new Component
                    {
                        Type = TextInputType,
                        CustomId = ReasonInput,
                        Style = ParagraphInputStyle,
                        Label = DiscordText.Plain(_wording.FeedbackReasonLabel, 45),
                        Placeholder = DiscordText.Plain(_wording.FeedbackReasonPlaceholder, 100),
                        Required = false,
                        MinLength = 0,
                        MaxLength = ReasonLength,
                    },
                ],
            },
        ],
    };

    private static Task NoticeAsync(InteractionResponder responder, string text, CancellationToken cancellationToken) =>
        responder.RespondAsync(AnswerMessageBuilder.Notice(text, ephemeral: true), cancellationToken);
}
