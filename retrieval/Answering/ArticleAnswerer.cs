using System.Diagnostics;
using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Embeddings;
using CaravanBot.Retrieval.Prompts;
using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Answering;

/// <summary>
/// Answers questions about one indexed article with 1–3 verbatim quotes, or abstains.
/// Built once per article by <see cref="ArticleAnswererFactory"/>; thread-safe.
/// </summary>
public sealed class ArticleAnswerer : IAnswerService
{
    private readonly ISentenceEmbedder _embedder;
    private readonly HybridSearcher _searcher;
    private readonly RetrievalOptions _options;
    private readonly PromptProvider _prompts;

    internal ArticleAnswerer(ArticleIndex index, ISentenceEmbedder embedder, RetrievalOptions options, PromptProvider prompts)
    {
        Index = index;
        _embedder = embedder;
        _options = options;
        _prompts = prompts;
        _searcher = new HybridSearcher(index, embedder, options);
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
            return Abstain(question, AbstentionReason.EmptyQuestion, null, started);
        }

        var prepared = _searcher.Prepare(cleaned);
        var vectors = _embedder.Embed(prepared.Variants, cancellationToken);
        return Compose(question, _searcher.Search(prepared, vectors), started);
    }

    /// <summary>Answers many questions in order, embedding all of them in shared batches.</summary>
    public Task<IReadOnlyList<Answer>> AskManyAsync(IReadOnlyList<string> questions, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var prepared = questions.Select(q => QuestionText.Clean(q) is { Length: > 0 } c ? _searcher.Prepare(c) : null).ToArray();
        var texts = prepared.Where(p => p is not null).SelectMany(p => p!.Variants).ToArray();
        var vectors = _embedder.Embed(texts, cancellationToken);
        var embedTicks = (Stopwatch.GetTimestamp() - started) / Math.Max(1, questions.Count);

        var answers = new Answer[questions.Count];
        var next = 0;
        for (var i = 0; i < questions.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Each question is charged its share of the batched embedding time.
            var questionStarted = Stopwatch.GetTimestamp() - embedTicks;
            if (prepared[i] is not { } query)
            {
                answers[i] = Abstain(questions[i], AbstentionReason.EmptyQuestion, null, questionStarted);
                continue;
            }

            var own = vectors[next..(next + query.Variants.Count)];
            next += query.Variants.Count;
            answers[i] = Compose(questions[i], _searcher.Search(query, own), questionStarted);
        }

        return Task.FromResult<IReadOnlyList<Answer>>(answers);
    }

    /// <summary>The ranked sentences for a question, for tools that show search results.</summary>
    public SearchResult Search(string question, CancellationToken cancellationToken = default)
    {
        var cleaned = QuestionText.Clean(question);
        if (cleaned.Length == 0)
        {
            return new SearchResult(string.Empty, [], 0, 0);
        }

        var prepared = _searcher.Prepare(cleaned);
        return _searcher.Search(prepared, _embedder.Embed(prepared.Variants, cancellationToken));
    }

    private Answer Compose(string question, SearchResult result, long started)
    {
        if (result.Best is not { } best)
        {
            return Abstain(question, AbstentionReason.NotInArticle, result, started);
        }

        if (AbstentionRule.Decide(AbstentionSignals.From(result)!, _options) is { } reason)
        {
            return Abstain(question, reason, result, started);
        }

        var chosen = new List<SentenceScore> { best };
        foreach (var candidate in result.Ranked.Skip(1))
        {
            if (chosen.Count >= _options.MaxQuotes || candidate.Fused < best.Fused * _options.SupportingQuoteRatio)
            {
                break;
            }

            if (!chosen.Any(c => Redundant(c.Sentence, candidate.Sentence)))
            {
                chosen.Add(candidate);
            }
        }

        AddSpeaker(chosen, result);
        var citations = chosen.Select(c => ToCitation(Index.Sentences[c.Sentence])).ToArray();
        QuoteVerifier.EnsureVerbatim(Article, citations);
        return new Answer
        {
            Question = question,
            Answered = true,
            Text = _prompts.GetLines("answer-lead-in.txt")[0],
            Citations = citations,
            Scores = new AnswerScores(best.Fused, best.Paragraph, chosen.Select(c => c.Fused).ToArray(), AbstentionSignals.From(result)),
            LatencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        };
    }

    /// <summary>
    /// "Who said…?" often lands on a quotation attributed only by "he said" or by the paragraph
    /// before: then the nearest earlier sentence that names someone is quoted too, so the answer
    /// contains the speaker the question asks for.
    /// </summary>
    private void AddSpeaker(List<SentenceScore> chosen, SearchResult result)
    {
        var sentences = Index.Sentences;
        var best = sentences[chosen[0].Sentence];
        if ((result.Wants & AnswerType.Agent) == 0 || (best.Supplies & AnswerType.Agent) != 0)
        {
            return;
        }

        for (var s = chosen[0].Sentence - 1; s >= 0 && s >= chosen[0].Sentence - 3; s--)
        {
            if (sentences[s].Paragraph < best.Paragraph - 1 || sentences[s].IsHeadline)
            {
                break;
            }

            if ((sentences[s].Supplies & AnswerType.Agent) != 0)
            {
                if (chosen.Any(c => c.Sentence == s))
                {
                    return;
                }

                if (chosen.Count >= _options.MaxQuotes)
                {
                    chosen.RemoveAt(chosen.Count - 1);
                }

                chosen.Insert(1, result.Ranked.First(r => r.Sentence == s));
                return;
            }
        }
    }

    private bool Redundant(int a, int b) =>
        VectorMath.Dot(Index.SentenceVectors[a], Index.SentenceVectors[b]) >= _options.RedundancyThreshold;

    private Citation ToCitation(IndexedSentence sentence)
    {
        var paragraph = Article.Paragraphs[sentence.Paragraph];
        return new Citation(paragraph.Number, sentence.Span.Of(paragraph.Text), sentence.Span.Start, sentence.Span.End);
    }

    private Answer Abstain(string question, AbstentionReason reason, SearchResult? result, long started) => new()
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
            ? new AnswerScores(best.Fused, best.Paragraph, [], AbstentionSignals.From(result))
            : AnswerScores.None,
        LatencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
    };
}

/// <summary>Indexes articles and hands out answerers; holds the process-wide embedding model.</summary>
public sealed class ArticleAnswererFactory
{
    private readonly ISentenceEmbedder _embedder;
    private readonly RetrievalOptions _options;
    private readonly PromptProvider _prompts;

    /// <summary>Creates the factory around one loaded embedding model.</summary>
    public ArticleAnswererFactory(ISentenceEmbedder embedder, RetrievalOptions options, PromptProvider prompts)
    {
        _embedder = embedder;
        _options = options;
        _prompts = prompts;
    }

    /// <summary>Indexes <paramref name="article"/> (sentences and paragraphs, dense and lexical).</summary>
    public ArticleAnswerer Create(Article article, CancellationToken cancellationToken = default) =>
        Create(article, progress: null, cancellationToken);

    /// <summary>Indexes <paramref name="article"/>, telling <paramref name="progress"/> how far it has got; cancellable throughout.</summary>
    public ArticleAnswerer Create(Article article, IProgress<IndexingProgress>? progress, CancellationToken cancellationToken) =>
        new(ArticleIndex.Build(article, _embedder, cancellationToken, progress), _embedder, _options, _prompts);
}
