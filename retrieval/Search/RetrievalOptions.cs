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

    /// <summary>Two sentences this similar (MiniLM cosine) say the same thing; only the better one is quoted.</summary>
    public double RedundancyThreshold { get; set; } = 0.90;

    /// <summary>At most this many quotes in one answer (readers get 1 to 3).</summary>
    public int MaxQuotes { get; set; } = 3;

    /// <summary>Threads ONNX Runtime may use for one embedding call.</summary>
    public int EmbeddingThreads { get; set; } = 2;

    /// <summary>Folder where the packaged embedding models are unpacked once; null = the per-user cache.</summary>
    public string? ModelCacheDirectory { get; set; }
}
