using System.Text.Json;
using System.Text.Json.Serialization;

namespace CaravanBot.Retrieval.Ranking;

/// <summary>
/// The learned part of answering, as shipped in <c>retrieval/Ranking/answer-model.json</c>: the
/// sentence ranker, the answerability model that decides between answering and abstaining, and
/// the thresholds chosen with them, for one embedding model. Everything in it was fitted on the tuning half of the dev set
/// (<c>tests/eval/tune.jsonl</c>) by <c>caravanbot eval --train</c>; the file records what it was
/// trained on so it can be reproduced.
/// </summary>
public sealed record AnswerModel
{
    private const string Resource = "CaravanBot.Retrieval.Ranking.answer-model.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The format version of the file.</summary>
    [JsonPropertyName("version")]
    public int Version { get; init; } = 2;

    /// <summary>The sentence-embedding model whose similarities the features hold (e.g. <c>all-MiniLM-L6-v2</c>).</summary>
    [JsonPropertyName("embedding")]
    public required string Embedding { get; init; }

    /// <summary>What the model was fitted on and how, for a reader of the file.</summary>
    [JsonPropertyName("trainedOn")]
    public required TrainingRecord TrainedOn { get; init; }

    /// <summary>P(this sentence holds the answer) from sentence features.</summary>
    [JsonPropertyName("ranker")]
    public required LogisticModel Ranker { get; init; }

    /// <summary>P(the quoted answer is right) from question features; below <see cref="AnswerThreshold"/> the bot abstains.</summary>
    [JsonPropertyName("answerability")]
    public required TreeEnsembleModel Answerability { get; init; }

    /// <summary>Answer when the answerability probability is at least this.</summary>
    [JsonPropertyName("answerThreshold")]
    public required double AnswerThreshold { get; init; }

    /// <summary>A further sentence is quoted when its ranker probability is at least this share of the best one's.</summary>
    [JsonPropertyName("supportingRatio")]
    public required double SupportingRatio { get; init; }

    /// <summary>When abstaining: below this best paragraph similarity (arctic-embed-xs) the question is off the article's topic.</summary>
    [JsonPropertyName("offTopicThreshold")]
    public required double OffTopicThreshold { get; init; }

    /// <summary>The model shipped inside this assembly.</summary>
    public static AnswerModel Shipped => LazyShipped.Value;

    private static readonly Lazy<AnswerModel> LazyShipped = new(() =>
    {
        using var stream = typeof(AnswerModel).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The answer model {Resource} is not embedded; run `caravanbot eval --train` (README, \"Training the answer model\").");
        return Read(stream);
    });

    /// <summary>Reads a model file and checks it matches the features the code computes.</summary>
    public static AnswerModel Read(Stream stream)
    {
        var model = JsonSerializer.Deserialize<AnswerModel>(stream, Json)
            ?? throw new InvalidDataException("The answer model file is empty.");
        model.Ranker.EnsureFeatures(RankingFeatures.SentenceNames, "ranker");
        model.Answerability.EnsureFeatures(RankingFeatures.QuestionNames, "answerability");
        return model;
    }

    /// <summary>Throws when the model's features were computed with another embedding model than <paramref name="embedding"/>.</summary>
    public void EnsureEmbedding(string embedding)
    {
        if (!string.Equals(Embedding, embedding, StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"The answer model was trained with the {Embedding} embedding model but {embedding} is loaded; retrain it with this model (README, \"Training the answer model\") or set Retrieval:EmbeddingModel back.");
        }
    }

    /// <summary>Writes the model as indented JSON.</summary>
    public void Write(Stream stream) => JsonSerializer.Serialize(stream, this, Json);
}

/// <summary>Where a shipped model came from.</summary>
/// <param name="Questions">The question set file it was fitted on.</param>
/// <param name="Sha256">SHA-256 of that file's bytes.</param>
/// <param name="Cases">How many questions it holds.</param>
/// <param name="Articles">How many articles they are about.</param>
/// <param name="Trainer">The ML.NET trainer and its settings.</param>
public sealed record TrainingRecord(
    [property: JsonPropertyName("questions")] string Questions,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("cases")] int Cases,
    [property: JsonPropertyName("articles")] int Articles,
    [property: JsonPropertyName("trainer")] string Trainer);
