namespace CaravanBot.Bot.Features;

/// <summary>
/// <c>/about</c>: the article's headline, its paragraph count, the answer mode and how answers are
/// built. Ephemeral: it is the same for everyone, so posting it in the channel would only add noise.
/// </summary>
public sealed class AboutCommand
{
    private readonly AnswerMessageBuilder _builder;

    /// <summary>Creates the handler.</summary>
    public AboutCommand(AnswerMessageBuilder builder)
    {
        _builder = builder;
    }

    /// <summary>Sends the about message.</summary>
    public Task HandleAsync(InteractionResponder responder, BotArticle bot, CancellationToken cancellationToken) =>
        responder.RespondAsync(_builder.About(bot, ephemeral: true), cancellationToken);
}
