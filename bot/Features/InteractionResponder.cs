using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;

namespace CaravanBot.Bot.Features;

/// <summary>
/// Answers one interaction the way Discord allows: exactly one initial callback (type 4 with the
/// message, or type 5 to defer), then edits of <c>@original</c> or follow-ups. Handlers say what to
/// send; this decides how, so an apology after a failure also goes out in the one legal form.
/// Not thread-safe: one interaction is answered by one handler at a time.
/// </summary>
public sealed class InteractionResponder
{
    private readonly IDiscordRestClient _rest;
    private readonly Interaction _interaction;

    /// <summary>Creates the responder for <paramref name="interaction"/>, received at <paramref name="receivedAt"/>.</summary>
    /// <param name="rest">Sends the callback and what follows.</param>
    /// <param name="interaction">The interaction to answer.</param>
    /// <param name="receivedAt">When it came off the gateway (a <see cref="TimeProvider"/> timestamp); Discord's 3 s count from about then.</param>
    public InteractionResponder(IDiscordRestClient rest, Interaction interaction, long receivedAt)
    {
        _rest = rest;
        _interaction = interaction;
        ReceivedAt = receivedAt;
    }

    /// <summary>Where the interaction stands.</summary>
    public InteractionReplyState State { get; private set; }

    /// <summary>When the interaction came off the gateway, as a <see cref="TimeProvider"/> timestamp.</summary>
    public long ReceivedAt { get; }

    /// <summary>Acknowledges now (type 5) and shows "thinking…"; the reply follows with <see cref="RespondAsync"/>.</summary>
    /// <param name="ephemeral">Whether the coming reply is visible to the invoker only; fixed here, it cannot change later.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task DeferAsync(bool ephemeral, CancellationToken cancellationToken)
    {
        EnsureNotAcknowledged();
        await _rest.CreateInteractionResponseAsync(
            _interaction.Id,
            _interaction.Token,
            new InteractionResponse
            {
                Type = InteractionCallbackType.DeferredChannelMessageWithSource,
                Data = ephemeral ? new MessageCreateRequest { Flags = (int)MessageFlags.Ephemeral } : null,
            },
            cancellationToken).ConfigureAwait(false);
        State = InteractionReplyState.Deferred;
    }

    /// <summary>
    /// Sends <paramref name="message"/>: as the initial callback (type 4), as the edit of the deferred
    /// <c>@original</c>, or as a follow-up once a reply was sent. Returns the message Discord sent back
    /// (the edited original or the follow-up); null after a type 4 callback, which returns none
    /// (<see cref="GetOriginalAsync"/> reads it).
    /// </summary>
    public async Task<DiscordMessage?> RespondAsync(MessageCreateRequest message, CancellationToken cancellationToken)
    {
        DiscordMessage? sent = null;
        switch (State)
        {
            case InteractionReplyState.None:
                await _rest.CreateInteractionResponseAsync(
                    _interaction.Id,
                    _interaction.Token,
                    new InteractionResponse { Type = InteractionCallbackType.ChannelMessageWithSource, Data = message },
                    cancellationToken).ConfigureAwait(false);
                break;
            case InteractionReplyState.Deferred:
                sent = await _rest.EditOriginalResponseAsync(
                    _interaction.ApplicationId,
                    _interaction.Token,
                    new MessageEditRequest
                    {
                        Content = message.Content,
                        Embeds = message.Embeds,
                        Components = message.Components,
                        AllowedMentions = message.AllowedMentions,
                    },
                    cancellationToken).ConfigureAwait(false);
                break;
            default:
                sent = await _rest.CreateFollowupMessageAsync(_interaction.ApplicationId, _interaction.Token, message, cancellationToken).ConfigureAwait(false);
                break;
        }

        State = InteractionReplyState.Replied;
        return sent;
    }

    /// <summary>The interaction's first reply message (<c>GET @original</c>), to learn its id after a type 4 callback.</summary>
    public Task<DiscordMessage> GetOriginalAsync(CancellationToken cancellationToken) =>
        _rest.GetOriginalResponseAsync(_interaction.ApplicationId, _interaction.Token, cancellationToken);

    /// <summary>Answers a button (or a form opened by one) by editing the message it is on (type 7).</summary>
    public async Task UpdateMessageAsync(MessageEditRequest edit, CancellationToken cancellationToken)
    {
        EnsureNotAcknowledged();
        await _rest.CreateInteractionResponseAsync(
            _interaction.Id,
            _interaction.Token,
            new InteractionResponse { Type = InteractionCallbackType.UpdateMessage, Data = edit },
            cancellationToken).ConfigureAwait(false);
        State = InteractionReplyState.Replied;
    }

    /// <summary>Answers by opening a form (type 9); its submission arrives as a new interaction.</summary>
    public async Task ShowModalAsync(ModalData modal, CancellationToken cancellationToken)
    {
        EnsureNotAcknowledged();
        await _rest.CreateInteractionResponseAsync(
            _interaction.Id,
            _interaction.Token,
            new InteractionResponse { Type = InteractionCallbackType.Modal, Data = modal },
            cancellationToken).ConfigureAwait(false);
        State = InteractionReplyState.Replied;
    }

    private void EnsureNotAcknowledged()
    {
        if (State != InteractionReplyState.None)
        {
            throw new InvalidOperationException("The interaction has already been acknowledged.");
        }
    }
}

/// <summary>How far an interaction has been answered.</summary>
public enum InteractionReplyState
{
    /// <summary>Nothing sent yet: the initial callback is still due.</summary>
    None,

    /// <summary>Acknowledged with type 5: the reply is an edit of <c>@original</c>.</summary>
    Deferred,

    /// <summary>A reply was sent: anything more is a follow-up.</summary>
    Replied,
}
