using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Ingestion;

namespace CaravanBot.Bot.Cli;

/// <summary>The real <see cref="IArticleReader"/>: the retrieval library's <see cref="ArticleReader"/>.</summary>
public sealed class RetrievalArticleReader : IArticleReader
{
    /// <inheritdoc />
    public Article ReadFile(string path) => ArticleReader.ReadFile(path);

    /// <inheritdoc />
    public Article ReadText(string text, string source) => ArticleReader.ReadText(text, source);

    /// <inheritdoc />
    public Article ReadHtml(string html, string source) => ArticleReader.ReadHtml(html, source);
}
