using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.Bot.Moderation;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Features;

/// <summary>
/// Routes an INTERACTION_CREATE to its handler by interaction type, then command type and name, or a
/// component's or form's custom id (<c>src:</c> paragraphs, <c>rv:</c> review cards and the correction
/// form, <c>rq:</c> queue pages, <c>fb:</c> readers' votes). Every interaction gets exactly one reply: an unknown command gets a polite
/// "unknown" notice, and a handler failure is logged and answered with an apology in whatever form
/// the interaction still allows (callback, edit of the deferred original, or follow-up).
/// </summary>
public sealed partial class InteractionRouter
{
    private readonly IDiscordRestClient _rest;
    private readonly AskCommands _ask;
    private readonly SourceCommands _source;
    private readonly AboutCommand _about;
    private readonly ReviewInteractions _review;
    private readonly FeedbackInteractions _feedback;
    private readonly ReplyWording _wording;
    private readonly TimeProvider _time;
    private readonly ILogger<InteractionRouter> _logger;

    /// <summary>Creates the router.</summary>
    public InteractionRouter(
        IDiscordRestClient rest,
        AskCommands ask,
        SourceCommands source,
        AboutCommand about,
        ReviewInteractions review,
        FeedbackInteractions feedback,
        ReplyWording wording,
        TimeProvider time,
        ILogger<InteractionRouter> logger)
    {
        _time = time;
        _rest = rest;
        _ask = ask;
        _source = source;
        _about = about;
        _review = review;
        _feedback = feedback;
        _wording = wording;
        _logger = logger;
    }

    /// <summary>Handles one interaction received just now; never throws except on cancellation.</summary>
    public Task HandleAsync(Interaction interaction, BotArticle bot, CancellationToken cancellationToken) =>
        HandleAsync(interaction, bot, _time.GetTimestamp(), cancellationToken);

    /// <summary>
    /// Handles one interaction that came off the gateway at <paramref name="receivedAt"/> (a <see cref="TimeProvider"/>
    /// timestamp, from which its first response is timed); never throws except on cancellation.
    /// </summary>
    public async Task HandleAsync(Interaction interaction, BotArticle bot, long receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        var responder = new InteractionResponder(_rest, interaction, receivedAt);
        try
        {
            await RouteAsync(interaction, responder, bot, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (DiscordRestException ex) when (ex.StatusCode is 0 or 401 or 403 or 404 or 429)
        {
            // Discord refused or held the interaction's routes, or the reply may have arrived unannounced: an apology
            // would meet the same answer (and count towards Discord's IP ban).
            LogNotDelivered(interaction.Id.Value, Describe(interaction), responder.State, ex.Message);
        }
        catch (Exception ex)
        {
            LogFailed(ex, interaction.Id.Value, interaction.Type, Describe(interaction), responder.State);
            await ApologiseAsync(interaction, responder, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task RouteAsync(Interaction interaction, InteractionResponder responder, BotArticle bot, CancellationToken cancellationToken)
    {
        var data = interaction.Data;
        switch (interaction.Type)
        {
            case InteractionType.ApplicationCommand:
                return (data?.Type ?? BotCommands.SlashCommandType, data?.Name) switch
                {
                    (BotCommands.SlashCommandType, BotCommands.Ask) => _ask.HandleSlashAsync(interaction, responder, bot, cancellationToken),
                    (BotCommands.SlashCommandType, BotCommands.Source) => _source.HandleSlashAsync(interaction, responder, bot, cancellationToken),
                    (BotCommands.SlashCommandType, BotCommands.About) => _about.HandleAsync(responder, bot, cancellationToken),
                    (BotCommands.SlashCommandType, BotCommands.Review) => _review.HandleCommandAsync(interaction, responder, cancellationToken),
                    (BotCommands.MessageCommandType, BotCommands.AskMessage) => _ask.HandleMessageCommandAsync(interaction, responder, bot, cancellationToken),
                    _ => UnknownAsync(interaction, responder, cancellationToken),
                };
            case InteractionType.MessageComponent:
                return RouteComponent(interaction, responder, bot, cancellationToken);
            case InteractionType.ModalSubmit:
                return RouteModal(interaction, responder, bot, cancellationToken);
            default:
                // No autocomplete options are registered; pings only reach HTTP endpoints.
                LogIgnored(interaction.Id.Value, interaction.Type);
                return Task.CompletedTask;
        }
    }

    private Task RouteComponent(Interaction interaction, InteractionResponder responder, BotArticle bot, CancellationToken cancellationToken)
    {
        var customId = interaction.Data?.CustomId;
        if (ShowParagraphButton.TryParse(customId, out var paragraph))
        {
            return _source.HandleButtonAsync(paragraph, responder, bot, cancellationToken);
        }

        if (ModerationCustomIds.TryParseFeedbackButton(customId, out var vote, out var votedAnswer))
        {
            return _feedback.HandleButtonAsync(interaction, responder, vote, votedAnswer, cancellationToken);
        }

        if (ModerationCustomIds.TryParseReviewButton(customId, out var action, out var reviewedAnswer))
        {
            return _review.HandleButtonAsync(interaction, responder, action, reviewedAnswer, cancellationToken);
        }

        return ModerationCustomIds.TryParseQueuePage(customId, out var status, out var page)
            ? _review.HandlePageAsync(interaction, responder, status, page, cancellationToken)
            : UnknownAsync(interaction, responder, cancellationToken);
    }

    private Task RouteModal(Interaction interaction, InteractionResponder responder, BotArticle bot, CancellationToken cancellationToken)
    {
        var customId = interaction.Data?.CustomId;
        if (ModerationCustomIds.TryParseCorrectionModal(customId, out var corrected))
        {
            return _review.HandleCorrectionAsync(interaction, responder, corrected, bot, cancellationToken);
        }

        return ModerationCustomIds.TryParseFeedbackReasonModal(customId, out var voted)
            ? _feedback.HandleReasonAsync(interaction, responder, voted, cancellationToken)
            : UnknownAsync(interaction, responder, cancellationToken);
    }

    private Task UnknownAsync(Interaction interaction, InteractionResponder responder, CancellationToken cancellationToken)
    {
        LogUnknown(interaction.Id.Value, Describe(interaction));
        return responder.RespondAsync(AnswerMessageBuilder.Notice(_wording.UnknownInteraction, ephemeral: true), cancellationToken);
    }

    private async Task ApologiseAsync(Interaction interaction, InteractionResponder responder, CancellationToken cancellationToken)
    {
        try
        {
            await responder.RespondAsync(AnswerMessageBuilder.Notice(_wording.Apology, ephemeral: true), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogApologyFailed(ex, interaction.Id.Value);
        }
    }

    private static string Describe(Interaction interaction) =>
        InputBounds.Cut(interaction.Data?.Name ?? interaction.Data?.CustomId, InputBounds.Identifier) ?? "(no name)";

    [LoggerMessage(Level = LogLevel.Error, Message = "Interaction {InteractionId} ({InteractionType} {Name}) failed at reply state {ReplyState}; apologising")]
    private partial void LogFailed(Exception exception, ulong interactionId, InteractionType interactionType, string name, InteractionReplyState replyState);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The reply to interaction {InteractionId} ({Name}) was not delivered at reply state {ReplyState}, and no apology follows: {Reason}")]
    private partial void LogNotDelivered(ulong interactionId, string name, InteractionReplyState replyState, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send the apology for interaction {InteractionId}")]
    private partial void LogApologyFailed(Exception exception, ulong interactionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interaction {InteractionId} names an unknown command or component {Name}")]
    private partial void LogUnknown(ulong interactionId, string name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Interaction {InteractionId} of type {InteractionType} ignored")]
    private partial void LogIgnored(ulong interactionId, InteractionType interactionType);
}
