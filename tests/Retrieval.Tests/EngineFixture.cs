using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Embeddings;
using CaravanBot.Retrieval.Ingestion;
using CaravanBot.Retrieval.Prompts;
using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Tests;

/// <summary>One embedding model and one indexed seed article for every test that needs them.</summary>
public sealed class EngineFixture : IDisposable
{
    private readonly MiniLmEmbedder _embedder = new();

    public EngineFixture()
    {
        Factory = new ArticleAnswererFactory(_embedder, Options, new PromptProvider());
        Caravan = Factory.Create(ArticleReader.ReadFile(SeedArticlePath));
    }

    public static string SeedArticlePath => Path.Combine(AppContext.BaseDirectory, "articles", "caravan.txt");

    public static string EvalDirectory => Path.Combine(AppContext.BaseDirectory, "eval");

    public RetrievalOptions Options { get; } = new();

    public ISentenceEmbedder Embedder => _embedder;

    public ArticleAnswererFactory Factory { get; }

    /// <summary>The answerer for the seed article.</summary>
    public ArticleAnswerer Caravan { get; }

    public ArticleAnswerer For(Article article) => Factory.Create(article);

    public void Dispose() => _embedder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "engine";
}
