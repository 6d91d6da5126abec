namespace CaravanBot.Retrieval.Embeddings;

/// <summary>Turns texts into L2-normalised dense vectors, so a dot product is the cosine similarity.</summary>
public interface ISentenceEmbedder
{
    /// <summary>The model's name, as recorded in a trained answer model (e.g. <c>all-MiniLM-L6-v2</c>).</summary>
    string Name => GetType().Name;

    /// <summary>Vector length.</summary>
    int Dimensions { get; }

    /// <summary>One unit vector per input text (passages, or texts compared with each other), in order.</summary>
    float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);

    /// <summary>
    /// One unit vector per search query, to compare with passages embedded by <see cref="Embed"/>.
    /// Symmetric models embed queries like any text; retrieval models add their query instruction.
    /// </summary>
    float[][] EmbedQueries(IReadOnlyList<string> queries, CancellationToken cancellationToken = default) => Embed(queries, cancellationToken);
}
