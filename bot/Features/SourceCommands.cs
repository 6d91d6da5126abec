using CaravanBot.Bot.Discord.Models;

namespace CaravanBot.Bot.Features;

/// <summary>
/// <c>/source paragraph:&lt;n&gt;</c> and the "Show ¶n" buttons under answers: the paragraph's text,
/// visible to the asker only; a number outside the article gets a polite error naming the valid range.
/// </summary>
public sealed class SourceCommands
{
    private readonly AnswerMessageBuilder _builder;
    private readonly ReplyWording _wording;

    /// <summary>Creates the handler.</summary>
    public SourceCommands(AnswerMessageBuilder builder, ReplyWording wording)
    {
        _builder = builder;
        _wording = wording;
    }

    /// <summary><c>/source paragraph:&lt;n&gt;</c>.</summary>
    public Task HandleSlashAsync(Interaction interaction, InteractionResponder responder, BotArticle bot, CancellationToken cancellationToken) =>
        ShowAsync(InteractionOptionValues.Integer(interaction.Data, BotCommands.ParagraphOption) ?? 0, responder, bot, cancellationToken);

    /// <summary>A "Show ¶n" button (custom id <c>src:n</c>).</summary>
    public Task HandleButtonAsync(int paragraph, InteractionResponder responder, BotArticle bot, CancellationToken cancellationToken) =>
        ShowAsync(paragraph, responder, bot, cancellationToken);

    private Task ShowAsync(long number, InteractionResponder responder, BotArticle bot, CancellationToken cancellationToken)
    {
        var article = bot.Article;
        var paragraph = number is >= 1 and <= int.MaxValue ? article.GetParagraph((int)number) : null;
        var reply = paragraph is null
            ? AnswerMessageBuilder.Notice(_wording.SourceOutOfRange(number, article.Paragraphs.Count), ephemeral: true)
            : _builder.Paragraph(paragraph, article, ephemeral: true);
        return responder.RespondAsync(reply, cancellationToken);
    }
}
