using CaravanBot.Retrieval.Embeddings;

namespace CaravanBot.Bot.Tests.EndToEnd;

/// <summary>
/// The end-to-end tests run one at a time and apart from every other collection (each starts Kestrel twice and a
/// bot host: on a shared 2-core machine, running them beside other tests would turn both sides' time limits into
/// flakiness), and share one loaded model.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection : ICollectionFixture<SharedModel>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "EndToEnd";
}

/// <summary>The embedding model, loaded once for every end-to-end test (each bot host gets it instead of loading its own).</summary>
public sealed class SharedModel : IDisposable
{
    /// <summary>all-MiniLM-L6-v2, as the bot loads it.</summary>
    public MiniLmEmbedder Embedder { get; } = new();

    /// <inheritdoc />
    public void Dispose() => Embedder.Dispose();
}
