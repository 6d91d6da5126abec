using System.Diagnostics;
using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Embeddings;
using CaravanBot.Retrieval.Prompts;
using CaravanBot.Retrieval.Ranking;
using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Answering;

/// <summary>
/// Answers questions about one indexed article with 1–3 verbatim quotes, or abstains.
/// Built once per article by <see cref="ArticleAnswererFactory"/>; thread-safe.
/// </summary>
public sealed class ArticleAnswerer : IAnswerService
{
    private readonly HybridSearcher _searcher;
    private readonly RetrievalOptions _options;
    private readonly PromptProvider _prompts;
    private readonly AnswerModel _model;

    internal ArticleAnswerer(ArticleIndex index, AnswerModel model, RetrievalOptions options, PromptProvider prompts)
    {
        Index = index;
        _model = model;
        _options = options;
        _prompts = prompts;
        _searcher = new HybridSearcher(index, model);
    }

    /// <summary>The indexed article.</summary>
    public Article Article => Index.Article;

    /// <summary>The article's index (sentences, vectors, actors).</summary>
    public ArticleIndex Index { get; }

    /// <inheritdoc />
    public Task<Answer> AskAsync(string question, CancellationToken cancellationToken = default) =>
        Task.FromResult(Ask(question, cancellationToken));

    /// <summary>Answers one question synchronously (the work is CPU-bound and takes milliseconds).</summary>
    public Answer Ask(string question, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var cleaned = QuestionText.Clean(question);
        if (cleaned.Length == 0)
        {
            return Abstain(question, AbstentionReason.EmptyQuestion, null, null, started);
        }

        var result = _searcher.Search(_searcher.Prepare(cleaned), cancellationToken);
        return Compose(question, result, started);
    }

    /// <summary>Answers many questions in order, embedding all of them in shared batches.</summary>
    public Task<IReadOnlyList<Answer>> AskManyAsync(IReadOnlyList<string> questions, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var prepared = questions.Select(q => QuestionText.Clean(q) is { Length: > 0 } c ? _searcher.Prepare(c) : null).ToArray();
        var texts = prepared.Where(p => p is not null).SelectMany(p => p!.AllTexts).ToArray();
        var vectors = Index.Dense.Model.EmbedQueries(texts, cancellationToken);

        var results = new SearchResult?[questions.Count];
        var next = 0;
        for (var i = 0; i < questions.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (prepared[i] is { } query)
            {
                var count = query.AllTexts.Count;
                results[i] = _searcher.Search(query, vectors[next..(next + count)]);
                next += count;
            }
        }

        // Each question read with its best sentence, all in shared batches too.
        var readings = results.Select(r => r?.Best is null ? null : PairSignals.Read(Index, r, Probabilities(r))).ToArray();
        var pairTexts = readings.Where(r => r is not null).Select(r => r!.Text).ToArray();
        var pairVectors = Index.Dense.Model.Embed(pairTexts, cancellationToken);
        var batchTicks = (Stopwatch.GetTimestamp() - started) / Math.Max(1, questions.Count);

        var answers = new Answer[questions.Count];
        var nextPair = 0;
        for (var i = 0; i < questions.Count; i++)
        {
            // Each question is charged its share of the batched work.
            var questionStarted = Stopwatch.GetTimestamp() - batchTicks;
            if (results[i] is not { } result)
            {
                answers[i] = Abstain(questions[i], AbstentionReason.EmptyQuestion, null, null, questionStarted);
                continue;
            }

            var pair = readings[i]?.Measure(pairVectors[nextPair++]);
            answers[i] = Compose(questions[i], result, questionStarted, pair);
        }

        return Task.FromResult<IReadOnlyList<Answer>>(answers);
    }

    /// <summary>The ranked sentences for a question, for tools that show search results.</summary>
    public SearchResult Search(string question, CancellationToken cancellationToken = default)
    {
        var cleaned = QuestionText.Clean(question);
        return cleaned.Length == 0 ? SearchResult.Empty : _searcher.Search(_searcher.Prepare(cleaned), cancellationToken);
    }

    /// <summary>The answerability model's probability that quoting the best sentences answers the question.</summary>
    /// <param name="result">The search.</param>
    /// <param name="pair">The question read with its best sentence, when already measured; measured here otherwise.</param>
    public double Answerability(SearchResult result, PairSignals? pair = null)
    {
        var probabilities = Probabilities(result);
        var read = pair ?? PairSignals.Measure(Index, result, probabilities);
        return _model.Answerability.Probability(RankingFeatures.ForQuestion(result.Signals, probabilities, result.Question, read));
    }

    // The ranker's probability for every sentence, in sentence order.
    private static double[] Probabilities(SearchResult result)
    {
        var probabilities = new double[result.Signals.Count];
        foreach (var r in result.Ranked)
        {
            probabilities[r.Sentence] = r.Fused;
        }

        return probabilities;
    }

    private Answer Compose(string question, SearchResult result, long started, PairSignals? pair = null)
    {
        if (result.Best is null)
        {
            return Abstain(question, AbstentionReason.NotInArticle, result, null, started);
        }

        var answerability = Answerability(result, pair);
        if (answerability < _model.AnswerThreshold)
        {
            // Nothing in the article is near the question's topic: say so; otherwise the article
            // is about it but does not give what was asked.
            var reason = result.BestParagraph < _model.OffTopicThreshold ? AbstentionReason.OffTopic : AbstentionReason.NotInArticle;
            return Abstain(question, reason, result, answerability, started);
        }

        var chosen = QuoteSelection.Choose(Index, result, _model.SupportingRatio, _options.MaxQuotes, _options.RedundancyThreshold);
        var citations = chosen.Select(c => ToCitation(Index.Sentences[c.Sentence])).ToArray();
        QuoteVerifier.EnsureVerbatim(Article, citations);
        return new Answer
        {
            Question = question,
            Answered = true,
            Text = _prompts.GetLines("answer-lead-in.txt")[0],
            Citations = citations,
            Scores = new AnswerScores(result.Best.Value.Fused, result.BestParagraph, chosen.Select(c => c.Fused).ToArray(), answerability),
            LatencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        };
    }

    private Citation ToCitation(IndexedSentence sentence)
    {
        var paragraph = Article.Paragraphs[sentence.Paragraph];
        return new Citation(paragraph.Number, sentence.Span.Of(paragraph.Text), sentence.Span.Start, sentence.Span.End);
    }

    private Answer Abstain(string question, AbstentionReason reason, SearchResult? result, double? answerability, long started) => new()
    {
        Question = question,
        Answered = false,
        Reason = reason,
        Text = _prompts.GetLines(reason switch
        {
            AbstentionReason.EmptyQuestion => "abstain-empty-question.txt",
            AbstentionReason.OffTopic => "abstain-off-topic.txt",
            _ => "abstain-not-in-article.txt",
        })[0],
        Citations = [],
        Scores = result?.Best is { } best
            ? new AnswerScores(best.Fused, result.BestParagraph, [], answerability)
            : AnswerScores.None,
        LatencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
    };
}

/// <summary>Indexes articles and hands out answerers; holds the process-wide embedding model and the answer model.</summary>
public sealed class ArticleAnswererFactory
{
    private readonly ISentenceEmbedder _embedder;
    private readonly RetrievalOptions _options;
    private readonly PromptProvider _prompts;
    private readonly AnswerModel? _model;

    /// <summary>Creates the factory around the loaded embedding model and an answer model (the shipped one by default).</summary>
    public ArticleAnswererFactory(ISentenceEmbedder embedder, RetrievalOptions options, PromptProvider prompts, AnswerModel? model = null)
    {
        _embedder = embedder;
        _options = options;
        _prompts = prompts;
        _model = model;
    }

    /// <summary>The embedding model articles are indexed with.</summary>
    public ISentenceEmbedder Embedder => _embedder;

    /// <summary>Indexes <paramref name="article"/> (sentences, clauses and paragraphs, dense and lexical).</summary>
    /// <exception cref="InvalidDataException">The answer model was trained with another embedding model.</exception>
    public ArticleAnswerer Create(Article article, CancellationToken cancellationToken = default) =>
        Create(article, progress: null, cancellationToken);

    /// <summary>Indexes <paramref name="article"/>, telling <paramref name="progress"/> how far it has got; cancellable throughout.</summary>
    /// <exception cref="InvalidDataException">The answer model was trained with another embedding model.</exception>
    public ArticleAnswerer Create(Article article, IProgress<IndexingProgress>? progress, CancellationToken cancellationToken)
    {
        var model = _model ?? AnswerModel.Shipped;
        model.EnsureEmbedding(_embedder.Name);
        return new(ArticleIndex.Build(article, _embedder, cancellationToken, progress), model, _options, _prompts);
    }
}
