namespace CaravanBot.Retrieval.Search;

/// <summary>
/// Every number retrieval and answering depend on, in one place. The weights and thresholds were
/// calibrated on the labelled dev set (tests/eval/questions.jsonl) with <c>caravanbot eval</c>:
/// see the README section "How answers and abstentions are built" for the procedure.
/// </summary>
public sealed record RetrievalOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Retrieval";

    /// <summary>Weight of the sentence's dense (MiniLM cosine) similarity to the question.</summary>
    public double DenseSentenceWeight { get; set; } = 0.45;

    /// <summary>Weight of the enclosing paragraph's dense similarity (context for short sentences).</summary>
    public double DenseParagraphWeight { get; set; } = 0.15;

    /// <summary>Weight of the TF-IDF cosine over word and character n-grams.</summary>
    public double LexicalWeight { get; set; } = 0.30;

    /// <summary>Bonus when the sentence mentions an actor the question names (through any alias the article gives).</summary>
    public double EntityWeight { get; set; } = 0.15;

    /// <summary>Bonus when the sentence can supply the kind of fact asked for (a number for "how many", a time for "when").</summary>
    public double AnswerTypeWeight { get; set; } = 0.08;

    /// <summary>Penalty for headline and standfirst sentences: they summarise; body sentences report.</summary>
    public double HeadlinePenalty { get; set; } = 0.05;

    /// <summary>Below this fused score of the best sentence, the bot abstains.</summary>
    public double AnswerThreshold { get; set; } = 0.31;

    /// <summary>Below this best paragraph dense similarity the question is off the article's topic.</summary>
    public double OffTopicThreshold { get; set; } = 0.40;

    /// <summary>...and below this best paragraph lexical similarity (both must hold).</summary>
    public double OffTopicLexicalThreshold { get; set; } = 0.65;

    /// <summary>
    /// With <see cref="UnknownWordsDenseCeiling"/> and <see cref="UnknownWordsLexicalCeiling"/>: abstain when
    /// at least this share of the question's content words never occur in the article and the best
    /// sentence is below both ceilings.
    /// </summary>
    public double UnknownWordsShare { get; set; } = 0.35;

    /// <summary>See <see cref="UnknownWordsShare"/>.</summary>
    public double UnknownWordsDenseCeiling { get; set; } = 0.50;

    /// <summary>See <see cref="UnknownWordsShare"/>.</summary>
    public double UnknownWordsLexicalCeiling { get; set; } = 0.50;

    /// <summary>Two sentences this similar (dense cosine) say the same thing; only the better one is quoted.</summary>
    public double RedundancyThreshold { get; set; } = 0.90;

    /// <summary>A further quote is added only when its score is at least this fraction of the best one.</summary>
    public double SupportingQuoteRatio { get; set; } = 0.85;

    /// <summary>At most this many quotes in one answer (the issue asks for 1 to 3).</summary>
    public int MaxQuotes { get; set; } = 3;

    /// <summary>Threads ONNX Runtime may use for one embedding call.</summary>
    public int EmbeddingThreads { get; set; } = 2;

    /// <summary>Folder where the packaged embedding model is unpacked once; null = the per-user cache.</summary>
    public string? ModelCacheDirectory { get; set; }
}
