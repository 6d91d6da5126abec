namespace CaravanBot.Retrieval.Embeddings;

/// <summary>Turns texts into L2-normalised dense vectors, so a dot product is the cosine similarity.</summary>
public interface ISentenceEmbedder
{
    /// <summary>Vector length.</summary>
    int Dimensions { get; }

    /// <summary>One unit vector per input text, in order.</summary>
    float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}
