using System.Text.Json.Serialization;

namespace CaravanBot.Retrieval.Ranking;

/// <summary>
/// A logistic-regression model as shipped: named features, the mean and scale each feature is
/// standardised with, one weight per feature and a bias. Trained with ML.NET
/// (<see cref="AnswerModelTrainer"/>); applying it needs only this arithmetic.
/// </summary>
public sealed record LogisticModel
{
    /// <summary>Feature names, in the order of the vectors the model is applied to.</summary>
    [JsonPropertyName("features")]
    public required IReadOnlyList<string> Features { get; init; }

    /// <summary>Each feature's mean on the training data.</summary>
    [JsonPropertyName("mean")]
    public required IReadOnlyList<double> Mean { get; init; }

    /// <summary>Each feature's standardising scale (1 / standard deviation).</summary>
    [JsonPropertyName("scale")]
    public required IReadOnlyList<double> Scale { get; init; }

    /// <summary>One weight per standardised feature.</summary>
    [JsonPropertyName("weights")]
    public required IReadOnlyList<double> Weights { get; init; }

    /// <summary>The intercept.</summary>
    [JsonPropertyName("bias")]
    public required double Bias { get; init; }

    /// <summary>The probability the model gives to the positive class for <paramref name="features"/>.</summary>
    public double Probability(ReadOnlySpan<float> features)
    {
        var z = Bias;
        for (var i = 0; i < Weights.Count; i++)
        {
            z += Weights[i] * (features[i] - Mean[i]) * Scale[i];
        }

        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>The error for a shipped model trained on other features than the code computes.</summary>
    internal static InvalidDataException StaleFeatures(string what, IReadOnlyList<string> trained, IReadOnlyList<string> expected) =>
        new($"The {what} model was trained on features [{string.Join(", ", trained)}] but the code computes [{string.Join(", ", expected)}]; retrain it (see the README, \"Training the answer model\").");

    /// <summary>Throws when the model was trained on other features than <paramref name="expected"/>.</summary>
    public void EnsureFeatures(IReadOnlyList<string> expected, string what)
    {
        if (!Features.SequenceEqual(expected) || Mean.Count != expected.Count || Scale.Count != expected.Count || Weights.Count != expected.Count)
        {
            throw StaleFeatures(what, Features, expected);
        }
    }
}
