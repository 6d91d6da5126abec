using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Llm;
using CaravanBot.Retrieval.Search;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// The real <see cref="IAnswererProvider"/>: the retrieval library's <see cref="ArticleAnswererFactory"/>,
/// with the optional language-model mode on top when <c>Llm__Provider</c> is set.
/// </summary>
public sealed class EngineAnswererProvider : IAnswererProvider
{
    private readonly ArticleAnswererFactory _factory;
    private readonly LlmAnswererFactory? _llm;

    /// <summary>Wraps the process-wide factory (which holds the embedding model).</summary>
    public EngineAnswererProvider(ArticleAnswererFactory factory, LlmAnswererFactory? llm = null)
    {
        _factory = factory;
        _llm = llm;
    }

    /// <inheritdoc />
    public IArticleAnswerer Create(Article article) => Create(article, progress: null, CancellationToken.None);

    /// <inheritdoc />
    public IArticleAnswerer Create(Article article, IProgress<IndexingProgress>? progress, CancellationToken cancellationToken)
    {
        var answerer = _factory.Create(article, progress, cancellationToken);
        return _llm is { IsEnabled: true }
            ? new LlmArticleAnswerer(answerer, _llm.Create(answerer))
            : new EngineArticleAnswerer(answerer);
    }

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

    /// <summary>Language-model answers (verified, with extractive fallback), one question at a time.</summary>
    private sealed class LlmArticleAnswerer : IArticleAnswerer
    {
        private readonly ArticleAnswerer _extractive;
        private readonly IAnswerService _llm;

        public LlmArticleAnswerer(ArticleAnswerer extractive, IAnswerService llm)
        {
            _extractive = extractive;
            _llm = llm;
        }

        public Article Article => _extractive.Article;

        public int BatchSize => 1;

        public Task<Answer> AskAsync(string question, CancellationToken cancellationToken = default) =>
            _llm.AskAsync(question, cancellationToken);

        public async Task<IReadOnlyList<Answer>> AskManyAsync(IReadOnlyList<string> questions, CancellationToken cancellationToken = default)
        {
            var answers = new Answer[questions.Count];
            for (var i = 0; i < questions.Count; i++)
            {
                answers[i] = await _llm.AskAsync(questions[i], cancellationToken).ConfigureAwait(false);
            }

            return answers;
        }
    }
}
