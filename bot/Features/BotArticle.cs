using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Bot.Features;

/// <summary>
/// The article the bot answers about, once indexed: its paragraphs (for <c>/source</c> and
/// <c>/about</c>) and the service that answers questions about it.
/// </summary>
/// <param name="Article">The indexed article, numbered ¶1..¶n.</param>
/// <param name="Answers">Answers questions about <paramref name="Article"/>.</param>
/// <param name="Mode">How the answers are produced, as <c>/about</c> reports it.</param>
public sealed record BotArticle(Article Article, IAnswerService Answers, AnswerMode Mode = AnswerMode.Extractive)
{
    /// <summary>Which article this is (hash of its paragraphs and headline), recorded with every answer and correction.</summary>
    public ArticleIdentity Identity { get; } = ArticleIdentity.Of(Article);
}
