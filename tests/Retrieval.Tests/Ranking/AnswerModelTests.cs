using CaravanBot.Retrieval.Ranking;

namespace CaravanBot.Retrieval.Tests.Ranking;

public sealed class AnswerModelTests
{
    [Fact]
    public void A_logistic_model_standardises_then_weighs_each_feature()
    {
        var model = new LogisticModel { Features = ["a", "b"], Mean = [1, 0], Scale = [0.5, 1], Weights = [2, -1], Bias = 0.5 };

        // z = 0.5 + 2·(3−1)·0.5 − 1·(1−0)·1 = 1.5
        Assert.Equal(1 / (1 + Math.Exp(-1.5)), model.Probability([3f, 1f]), 12);
    }

    [Fact]
    public void The_exported_trees_give_the_probabilities_ML_NET_gives_and_learn_what_no_single_weight_can()
    {
        // "Answerable" only when exactly one of the first two features is high: no linear model fits it.
        var random = new Random(7);
        var rows = Enumerable.Range(0, 600).Select(_ => new[] { (float)random.NextDouble(), (float)random.NextDouble(), (float)random.NextDouble() }).ToArray();
        var labels = rows.Select(r => (r[0] > 0.5f) ^ (r[1] > 0.5f)).ToArray();

        var (exported, mlNet) = AnswerModelTrainer.FitTreesWithPredictor(new Microsoft.ML.MLContext(seed: 0), rows, labels, ["a", "b", "noise"]);

        foreach (var row in rows.Take(200))
        {
            Assert.Equal(mlNet(row), exported.Probability(row), 4);
        }

        var right = rows.Zip(labels).Count(x => exported.Probability(x.First) >= 0.5 == x.Second);
        Assert.True(right >= 0.9 * rows.Length, $"{right} of {rows.Length} right");
    }

    [Fact]
    public void An_average_of_ensembles_scores_with_the_mean_of_their_scores_and_calibrations()
    {
        // Each has one stump on feature 0 at 0.5: leaves −1 / +1 and −3 / +5.
        static TreeEnsembleModel Stump(double low, double high, double bias, double slope, double offset) => new()
        {
            Features = ["a"], Bias = bias, PlattSlope = slope, PlattOffset = offset,
            Trees = [new RegressionTreeModel { Weight = 1, Feature = [0], Threshold = [0.5f], Left = [~0], Right = [~1], Leaf = [low, high] }],
        };

        var average = TreeEnsembleModel.Average([Stump(-1, 1, 0.2, -2, 0.1), Stump(-3, 5, 0.4, -1, 0.3)]);

        // High: scores 1.2 and 5.4, mean 3.3; slope −1.5, offset 0.2.
        Assert.Equal(1 / (1 + Math.Exp((-1.5 * 3.3) + 0.2)), average.Probability([0.9f]), 12);
        // Low: scores −0.8 and −2.6, mean −1.7.
        Assert.Equal(1 / (1 + Math.Exp((-1.5 * -1.7) + 0.2)), average.Probability([0.1f]), 12);
    }

    [Fact]
    public void Of_two_thresholds_handling_as_many_questions_right_the_one_answering_wrongly_less_often_has_more_merit()
    {
        // Same accuracy (716 of 1,001), one guesses 34 more times.
        var guessing = new CrossValidatedSetting(0.5, 0.35, CorrectAnswers: 530, Answerable: 701, CorrectAbstentions: 186, Abstentions: 300, WrongAnswers: 198);
        var careful = new CrossValidatedSetting(0.5, 0.425, CorrectAnswers: 509, Answerable: 701, CorrectAbstentions: 207, Abstentions: 300, WrongAnswers: 164);

        Assert.Equal(guessing.Accuracy, careful.Accuracy);
        Assert.True(careful.Merit > guessing.Merit);
        // A wrong answer costs a quarter of a question on top of being wrong: 716 − 49.5 against 716 − 41.
        Assert.Equal(666.5, guessing.Merit, 9);
        Assert.Equal(675, careful.Merit, 9);
    }

    [Fact]
    public void A_tree_sends_a_vector_left_at_or_below_the_threshold()
    {
        // Node 0 splits on feature 1 at 0.5: left is leaf 0 (−1), right is node 1; node 1 splits on feature 0 at 2: leaves 1 (+1) and 2 (+3).
        var tree = new RegressionTreeModel { Weight = 1, Feature = [1, 0], Threshold = [0.5f, 2f], Left = [~0, ~1], Right = [1, ~2], Leaf = [-1, 1, 3] };

        Assert.Equal(-1, tree.Output([9f, 0.5f]));
        Assert.Equal(1, tree.Output([2f, 0.6f]));
        Assert.Equal(3, tree.Output([2.1f, 0.6f]));
    }

    [Fact]
    public void The_shipped_model_matches_the_features_the_code_computes()
    {
        var model = AnswerModel.Shipped;

        Assert.Equal(RankingFeatures.SentenceNames, model.Ranker.Features);
        Assert.Equal(RankingFeatures.QuestionNames, model.Answerability.Features);
        Assert.Equal("all-MiniLM-L6-v2", model.Embedding);
        Assert.Equal("tune.jsonl", model.TrainedOn.Questions);
        Assert.InRange(model.AnswerThreshold, 0.05, 0.95);
        Assert.InRange(model.SupportingRatio, 0.5, 1.0);
    }

    [Fact]
    public void A_model_file_for_other_features_is_refused_with_a_message_saying_to_retrain()
    {
        var stale = AnswerModel.Shipped with
        {
            Ranker = AnswerModel.Shipped.Ranker with { Features = [.. AnswerModel.Shipped.Ranker.Features.Skip(1), "feature_that_went_away"] },
        };
        using var stream = new MemoryStream();
        stale.Write(stream);
        stream.Position = 0;

        var error = Assert.Throws<InvalidDataException>(() => AnswerModel.Read(stream));

        Assert.Contains("retrain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_trained_with_another_embedding_model_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => AnswerModel.Shipped.EnsureEmbedding("snowflake-arctic-embed-xs"));

        Assert.Contains("all-MiniLM-L6-v2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_written_model_reads_back_the_same()
    {
        using var stream = new MemoryStream();
        AnswerModel.Shipped.Write(stream);
        stream.Position = 0;

        var read = AnswerModel.Read(stream);

        Assert.Equal(AnswerModel.Shipped.Ranker.Weights, read.Ranker.Weights);
        Assert.Equal(AnswerModel.Shipped.AnswerThreshold, read.AnswerThreshold);
        Assert.Equal(AnswerModel.Shipped.TrainedOn, read.TrainedOn);
    }

    [Fact]
    public void Each_further_seed_set_deals_the_articles_into_balanced_folds_of_its_own_and_the_same_seed_deals_them_the_same_way()
    {
        var articles = Enumerable.Range(0, 38).Select(i => $"article-{i:00}").ToArray();

        var shipped = AnswerModelTrainer.FoldsOf(articles);
        var first = AnswerModelTrainer.FoldsOf(articles, shuffle: 1);
        var second = AnswerModelTrainer.FoldsOf(articles, shuffle: 2);

        foreach (var split in new[] { shipped, first, second })
        {
            // Every article in exactly one of seven folds, and no fold two articles bigger than another.
            Assert.Equal(articles.Order(StringComparer.Ordinal), split.Keys.Order(StringComparer.Ordinal));
            var sizes = split.Values.GroupBy(f => f).Select(g => g.Count()).ToArray();
            Assert.Equal(7, sizes.Length);
            Assert.True(sizes.Max() - sizes.Min() <= 1, string.Join(", ", sizes));
        }

        // The shipped split deals the articles in name order; a further seed set in an order of its own.
        Assert.Equal(0, shipped["article-00"]);
        Assert.Equal(1, shipped["article-01"]);
        Assert.NotEqual(FoldByName(shipped), FoldByName(first));
        Assert.NotEqual(FoldByName(first), FoldByName(second));
        Assert.Equal(FoldByName(first), FoldByName(AnswerModelTrainer.FoldsOf(articles, shuffle: 1)));
    }

    private static int[] FoldByName(Dictionary<string, int> split) => [.. split.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Value)];
}
