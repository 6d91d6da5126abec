using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Bot.Cli;

/// <summary>The real <see cref="IAnswererProvider"/>: the retrieval library's <see cref="ArticleAnswererFactory"/>.</summary>
public sealed class EngineAnswererProvider : IAnswererProvider
{
    private readonly ArticleAnswererFactory _factory;

    /// <summary>Wraps the process-wide factory (which holds the embedding model).</summary>
    public EngineAnswererProvider(ArticleAnswererFactory factory)
    {
        _factory = factory;
    }

    /// <inheritdoc />
    public IArticleAnswerer Create(Article article) => new EngineArticleAnswerer(_factory.Create(article));

    private sealed class EngineArticleAnswerer : IArticleAnswerer
    {
        private readonly ArticleAnswerer _answerer;

        public EngineArticleAnswerer(ArticleAnswerer answerer)
        {
            _answerer = answerer;
        }

        public Article Article => _answerer.Article;

        public Task<Answer> AskAsync(string question, CancellationToken cancellationToken = default) =>
            _answerer.AskAsync(question, cancellationToken);

        public Task<IReadOnlyList<Answer>> AskManyAsync(IReadOnlyList<string> questions, CancellationToken cancellationToken = default) =>
            _answerer.AskManyAsync(questions, cancellationToken);
    }
}
