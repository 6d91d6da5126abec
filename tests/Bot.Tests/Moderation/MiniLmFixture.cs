using CaravanBot.Retrieval.Embeddings;

namespace CaravanBot.Bot.Tests.Moderation;

/// <summary>The real sentence embedder (all-MiniLM-L6-v2, shipped in a package: nothing is downloaded), loaded once per test class.</summary>
public sealed class MiniLmFixture : IDisposable
{
    private readonly MiniLmEmbedder _embedder = new();

    internal ISentenceEmbedder Embedder => _embedder;

    public void Dispose() => _embedder.Dispose();
}
