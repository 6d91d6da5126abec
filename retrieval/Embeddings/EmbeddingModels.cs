namespace CaravanBot.Retrieval.Embeddings;

/// <summary>
/// The two sentence models retrieval reads meaning with: <see cref="General"/> (all-MiniLM-L6-v2,
/// symmetric: good at "do these two texts say the same thing", also used to match a question with
/// a moderator's correction) and <see cref="Search"/> (arctic-embed-xs, trained to put a question
/// next to the passage that answers it). The learned ranker weighs both.
/// </summary>
/// <param name="General">The symmetric model.</param>
/// <param name="Search">The question-to-passage model.</param>
public sealed record EmbeddingModels(ISentenceEmbedder General, ISentenceEmbedder Search)
{
    /// <summary>Loads both packaged models (nothing is downloaded), unpacking them once into <paramref name="modelCacheDirectory"/>.</summary>
    public static EmbeddingModels Load(string? modelCacheDirectory = null, int threads = 2) =>
        LoadInParallel(() => new MiniLmEmbedder(modelCacheDirectory, threads), () => new ArcticXsEmbedder(modelCacheDirectory, threads));

    /// <summary>Creates both models at the same time (each load is single-threaded work).</summary>
    public static EmbeddingModels LoadInParallel(Func<ISentenceEmbedder> general, Func<ISentenceEmbedder> search)
    {
        var searchTask = Task.Run(search);
        var generalModel = general();
        return new EmbeddingModels(generalModel, searchTask.GetAwaiter().GetResult());
    }
}
