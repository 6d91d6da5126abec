using CaravanBot.Bot.AnswerLog;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Bot.Moderation;

/// <summary>Article identities as the answer log keeps them (the log knows no retrieval types).</summary>
public static class ArticleIdentities
{
    /// <summary>The logged form of <paramref name="identity"/>.</summary>
    public static LoggedArticle ToLogged(this ArticleIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new LoggedArticle(identity.ContentHash, identity.Title);
    }

    /// <summary>The logged identity of <paramref name="article"/>.</summary>
    public static LoggedArticle LoggedIdentity(this Article article) => ArticleIdentity.Of(article).ToLogged();

    /// <summary>For messages: “Title” (sha256:1a2b3c4d5e6f…).</summary>
    public static string Describe(this LoggedArticle article)
    {
        ArgumentNullException.ThrowIfNull(article);
        return new ArticleIdentity(article.ContentHash, article.Title).Describe();
    }
}
