using System.Text.Json.Serialization;

namespace CaravanBot.Retrieval.Ranking;

/// <summary>
/// An ensemble of boosted regression trees as shipped: named features, each tree's splits and leaf
/// values, and the Platt calibration that turns the summed score into a probability. Trained with
/// ML.NET FastTree (<see cref="AnswerModelTrainer"/>); applying it needs only this arithmetic.
/// </summary>
public sealed record TreeEnsembleModel
{
    /// <summary>Feature names, in the order of the vectors the model is applied to.</summary>
    [JsonPropertyName("features")]
    public required IReadOnlyList<string> Features { get; init; }

    /// <summary>Added to the trees' summed output.</summary>
    [JsonPropertyName("bias")]
    public required double Bias { get; init; }

    /// <summary>The trees.</summary>
    [JsonPropertyName("trees")]
    public required IReadOnlyList<RegressionTreeModel> Trees { get; init; }

    /// <summary>Platt calibration: P = 1 / (1 + exp(slope · score + offset)).</summary>
    [JsonPropertyName("plattSlope")]
    public required double PlattSlope { get; init; }

    /// <summary>See <see cref="PlattSlope"/>.</summary>
    [JsonPropertyName("plattOffset")]
    public required double PlattOffset { get; init; }

    /// <summary>The probability the model gives to the positive class for <paramref name="features"/>.</summary>
    public double Probability(ReadOnlySpan<float> features)
    {
        var score = Bias;
        foreach (var tree in Trees)
        {
            score += tree.Weight * tree.Output(features);
        }

        return 1 / (1 + Math.Exp((PlattSlope * score) + PlattOffset));
    }

    /// <summary>
    /// The mean of several ensembles over the same features: their trees together, each weighted by
    /// its share, the mean bias, and the mean of their calibrations.
    /// </summary>
    public static TreeEnsembleModel Average(IReadOnlyList<TreeEnsembleModel> members) => new()
    {
        Features = members[0].Features,
        Bias = members.Average(m => m.Bias),
        PlattSlope = members.Average(m => m.PlattSlope),
        PlattOffset = members.Average(m => m.PlattOffset),
        Trees = members.SelectMany(m => m.Trees.Select(t => t with { Weight = t.Weight / members.Count })).ToArray(),
    };

    /// <summary>Throws when the model was trained on other features than <paramref name="expected"/>.</summary>
    public void EnsureFeatures(IReadOnlyList<string> expected, string what)
    {
        if (!Features.SequenceEqual(expected) || Trees.Any(t => t.Feature.Any(f => f < 0 || f >= expected.Count)))
        {
            throw LogisticModel.StaleFeatures(what, Features, expected);
        }
    }
}

/// <summary>
/// One regression tree: node <c>n</c> sends a vector left when its feature <c>Feature[n]</c> is at
/// most <c>Threshold[n]</c>, else right; a negative child <c>c</c> is the leaf <c>~c</c>.
/// </summary>
public sealed record RegressionTreeModel
{
    /// <summary>The tree's weight in the ensemble.</summary>
    [JsonPropertyName("weight")]
    public required double Weight { get; init; }

    /// <summary>The feature each split node tests.</summary>
    [JsonPropertyName("feature")]
    public required IReadOnlyList<int> Feature { get; init; }

    /// <summary>The value each split node compares with (at most: left).</summary>
    [JsonPropertyName("threshold")]
    public required IReadOnlyList<float> Threshold { get; init; }

    /// <summary>Each split node's left child (a node, or ~leaf).</summary>
    [JsonPropertyName("left")]
    public required IReadOnlyList<int> Left { get; init; }

    /// <summary>Each split node's right child (a node, or ~leaf).</summary>
    [JsonPropertyName("right")]
    public required IReadOnlyList<int> Right { get; init; }

    /// <summary>Each leaf's output.</summary>
    [JsonPropertyName("leaf")]
    public required IReadOnlyList<double> Leaf { get; init; }

    /// <summary>The output of the leaf <paramref name="features"/> falls into.</summary>
    public double Output(ReadOnlySpan<float> features)
    {
        if (Feature.Count == 0)
        {
            return Leaf[0];
        }

        var node = 0;
        while (node >= 0)
        {
            node = features[Feature[node]] <= Threshold[node] ? Left[node] : Right[node];
        }

        return Leaf[~node];
    }
}
