using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Retrieval.Answering;

/// <summary>
/// Answers questions about one indexed article. Built once per article by
/// <see cref="ArticleAnswererFactory"/>; thread-safe.
/// </summary>
public sealed class ArticleAnswerer : IAnswerService
{
    internal ArticleAnswerer(Article article)
    {
        Article = article;
    }

    /// <summary>The indexed article.</summary>
    public Article Article { get; }

    /// <inheritdoc />
    public Task<Answer> AskAsync(string question, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Answers many questions in order, embedding them in batches (for files of questions).</summary>
    public Task<IReadOnlyList<Answer>> AskManyAsync(IReadOnlyList<string> questions, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}

/// <summary>Indexes articles and hands out answerers; holds the process-wide embedding model.</summary>
public sealed class ArticleAnswererFactory
{
    /// <summary>Indexes <paramref name="article"/> (sentences and paragraphs, dense and lexical).</summary>
    public ArticleAnswerer Create(Article article) => new(article);
}
