using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Embeddings;
using CaravanBot.Retrieval.Ingestion;
using CaravanBot.Retrieval.Prompts;
using CaravanBot.Retrieval.Search;

namespace CaravanBot.Benchmarks;

/// <summary>
/// The answering core with the model loaded and the seed article indexed: one warm question
/// (target p50 ≤ 10 ms), a file of 200 questions (target ≥ 100 questions/s), and indexing the
/// seed article including its embeddings (target ≤ 1 s).
/// </summary>
[MemoryDiagnoser]
[MinColumn, MaxColumn, MedianColumn]
public class AnswerBenchmarks
{
    private MiniLmEmbedder _embedder = null!;
    private ArticleAnswererFactory _factory = null!;
    private ArticleAnswerer _answerer = null!;
    private Article _article = null!;

    /// <summary>The question timed warm.</summary>
    [Params("What does Mexico want?", "Who said the summit would be a meeting between fools?", "What is the capital of France?")]
    public string Question { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _embedder = new MiniLmEmbedder();
        _factory = new ArticleAnswererFactory(_embedder, new RetrievalOptions(), new PromptProvider());
        _article = ArticleReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "articles", "caravan.txt"));
        _answerer = _factory.Create(_article);
    }

    [GlobalCleanup]
    public void Cleanup() => _embedder.Dispose();

    /// <summary>One warm answer.</summary>
    [Benchmark]
    public Answer WarmAnswer() => _answerer.Ask(Question);
}

/// <summary>Whole-batch and indexing figures (not parameterised by question).</summary>
[MemoryDiagnoser]
[MinColumn, MaxColumn, MedianColumn]
public class BatchBenchmarks
{
    private MiniLmEmbedder _embedder = null!;
    private ArticleAnswererFactory _factory = null!;
    private ArticleAnswerer _answerer = null!;
    private string _articlePath = string.Empty;
    private string[] _questions = [];

    [GlobalSetup]
    public void Setup()
    {
        _embedder = new MiniLmEmbedder();
        _factory = new ArticleAnswererFactory(_embedder, new RetrievalOptions(), new PromptProvider());
        _articlePath = Path.Combine(AppContext.BaseDirectory, "articles", "caravan.txt");
        _answerer = _factory.Create(ArticleReader.ReadFile(_articlePath));
        var seed = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "eval", "tune.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("article").GetString() == "default")
            .Select(e => e.GetProperty("question").GetString()!)
            .ToArray();
        _questions = Enumerable.Range(0, 200).Select(i => seed[i % seed.Length]).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _embedder.Dispose();

    /// <summary>200 questions answered as <c>ask --json --file</c> does (questions per second = 200 / time).</summary>
    [Benchmark]
    public Task<IReadOnlyList<Answer>> TwoHundredQuestions() => _answerer.AskManyAsync(_questions);

    /// <summary>Read, clean and index the seed article, embeddings included.</summary>
    [Benchmark]
    public ArticleAnswerer IngestAndIndexSeedArticle() => _factory.Create(ArticleReader.ReadFile(_articlePath));
}
