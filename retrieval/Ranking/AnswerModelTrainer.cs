using CaravanBot.Retrieval.Search;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace CaravanBot.Retrieval.Ranking;

/// <summary>One labelled question as the trainer sees it: the search for it (made without a model) and which sentences hold its expected phrases.</summary>
/// <param name="Id">The question's id in its set.</param>
/// <param name="Article">The article's name, for grouping (questions about one article never train and test each other).</param>
/// <param name="Index">The article's index.</param>
/// <param name="Result">The search, with features and, for a question asking several things, its parts.</param>
/// <param name="Hits">Per sentence, which expected phrases (by position) it contains.</param>
/// <param name="ExpectedPhrases">How many phrase items the question expects; 0 when it expects an abstention.</param>
/// <param name="OffTopic">True when the label says the question is off the article's topic.</param>
public sealed record TrainingCase(string Id, string Article, ArticleIndex Index, SearchResult Result, IReadOnlyList<IReadOnlySet<int>> Hits, int ExpectedPhrases, bool OffTopic)
{
    /// <summary>True when the question should be answered.</summary>
    public bool Answerable => ExpectedPhrases > 0;
}

/// <summary>What training chose, with the cross-validated figures it was chosen on.</summary>
/// <param name="Model">The fitted model.</param>
/// <param name="CrossValidated">Every setting tried, best <see cref="CrossValidatedSetting.Merit"/> first, measured on questions whose article was held out of training.</param>
/// <param name="Cases">For each training case (same order), the cross-validated answerability and whether the quoted answer covered it, under the chosen setting.</param>
public sealed record TrainingOutcome(AnswerModel Model, IReadOnlyList<CrossValidatedSetting> CrossValidated, IReadOnlyList<CrossValidatedCase> Cases)
{
    /// <summary>Answerable questions whose out-of-fold quotes hold every expected phrase, whatever the answerability model decides: how good the ranking alone is.</summary>
    public int QuotedRight => Cases.Count(c => c.Covered);

    /// <summary>
    /// The best cross-validated merit with each seed set, the shipped fit's first. A seed set after the
    /// first deals the articles into folds in an order of its own and bags the trees with seeds of its
    /// own: on the tuning half the split alone moves the merit by up to 20 (671.25–691.00 for the
    /// shipped features), so two feature sets are compared seed set by seed set and by the mean.
    /// </summary>
    public IReadOnlyList<double> MeritBySeeds { get; init; } = [];
}

/// <summary>One training case under the chosen setting, scored by models that never saw its article.</summary>
/// <param name="Answerability">The out-of-fold answerability probability.</param>
/// <param name="Covered">Whether the out-of-fold quotes hold every expected phrase.</param>
/// <param name="Correct">Whether the case was handled right (answered and covered, or abstained when it should).</param>
public sealed record CrossValidatedCase(double Answerability, bool Covered, bool Correct);

/// <summary>One setting of the answer threshold and supporting ratio, scored with article-grouped cross-validation.</summary>
/// <param name="SupportingRatio">The supporting-quote ratio.</param>
/// <param name="AnswerThreshold">The answerability threshold.</param>
/// <param name="CorrectAnswers">Answerable questions answered with every expected phrase quoted.</param>
/// <param name="Answerable">Answerable questions.</param>
/// <param name="CorrectAbstentions">Questions expecting an abstention that got one.</param>
/// <param name="Abstentions">Questions expecting an abstention.</param>
/// <param name="WrongAnswers">Questions answered with quotes that are not right: answerable ones whose quotes miss an expected phrase, and ones that expect an abstention.</param>
public sealed record CrossValidatedSetting(double SupportingRatio, double AnswerThreshold, int CorrectAnswers, int Answerable, int CorrectAbstentions, int Abstentions, int WrongAnswers)
{
    /// <summary>Share of all questions handled correctly.</summary>
    public double Accuracy => (CorrectAnswers + CorrectAbstentions) / (double)Math.Max(1, Answerable + Abstentions);

    /// <summary>
    /// What training maximises: questions handled right, less a quarter of a question for each wrong
    /// answer on top of its being wrong. A wrong answer misleads a reader, a missed one only fails to
    /// help, so where accuracy is flat across thresholds (within a question or two) the one that
    /// guesses less wins.
    /// </summary>
    public double Merit => CorrectAnswers + CorrectAbstentions - (WrongAnswerCost * WrongAnswers);

    private const double WrongAnswerCost = 0.25;
}

/// <summary>
/// Fits the answer model with ML.NET: an L2-regularised logistic regression (L-BFGS) ranks
/// sentences, boosted trees decide whether the quoted answer is right. Every number is chosen with
/// article-grouped cross-validation on the set it is given, so the figures it reports are for
/// articles the fold did not see; the shipped model is then fitted on the whole set. Deterministic:
/// the same set gives the same file.
/// </summary>
public static class AnswerModelTrainer
{
    /// <summary>The trainer and its settings, as recorded in the model file.</summary>
    public static readonly string TrainerDescription = string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"ranker: ML.NET LbfgsLogisticRegression (L1 1.0, L2 1.0, standardised features); answerability: the average of {Bags} ML.NET FastTree fits ({Trees} trees, {Leaves} leaves, {ExamplesPerLeaf} examples a leaf, learning rate {LearningRate}, {SampleFraction:P0} of the questions a tree and of the features a tree); article-grouped {Folds}-fold cross-validation");

    private const int Folds = 7;

    // The answerability trees (cross-validated on the tuning half against 30 and 100 trees, 4 and 16
    // leaves, 20 examples a leaf; the README lists the figures).
    private const int Trees = 50;
    private const int Leaves = 8;
    private const int ExamplesPerLeaf = 10;
    private const double LearningRate = 0.1;

    // Several tree fits, each on its own random 70 % of the questions (a new draw for every tree)
    // and 70 % of the features a tree, averaged: one fit on ~1,000 questions moved the chosen
    // threshold and a few held-out answers whenever a training label changed. Cross-validated on the
    // tuning half: 71.6 % with five against 71.3 % for one fit on all questions, and 71.7 % against
    // 70.8 % once a heading's next sentence was quoted too (README).
    private const int Bags = 5;
    private const double SampleFraction = 0.7;
    // A further quote needs at least half the best one's probability: lower ratios score higher on the
    // dev set (every extra quote can only add a phrase) but answer with loosely related sentences.
    private static readonly double[] Ratios = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0];

    /// <summary>Fits the model on <paramref name="cases"/>.</summary>
    /// <param name="cases">The tuning questions, searched.</param>
    /// <param name="answerCovers">Whether the answer a model quotes holds every expected phrase.</param>
    /// <param name="embedding">The embedding model the features were read with.</param>
    /// <param name="record">What the model was fitted on.</param>
    /// <param name="seedSets">How many times to cross-validate, each with its own split of the articles into folds and its own seeds for the tree bags (<see cref="TrainingOutcome.MeritBySeeds"/>); the shipped fit uses the first.</param>
    public static TrainingOutcome Train(IReadOnlyList<TrainingCase> cases, Func<TrainingCase, AnswerModel, bool> answerCovers, string embedding, TrainingRecord record, int seedSets = 1)
    {
        var ml = new MLContext(seed: 0);
        var articles = cases.Select(c => c.Article).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var foldOf = FoldsOf(articles);

        // 1–2. Out-of-fold ranking, the question features it gives and whether its quotes cover each question.
        var (questionFeatures, covers) = OutOfFold(ml, cases, foldOf, answerCovers);

        // 3. Out-of-fold answerability, then the ratio and threshold of best merit (most questions right, a wrong answer weighing more than a missed one).
        var (settings, probabilities) = CrossValidate(ml, cases, foldOf, questionFeatures, covers, firstSeed: 1);

        // Ties go to the setting quoting fewer sentences (higher ratio), then to the middle of the plateau of thresholds.
        var bestMerit = settings.Max(s => s.Merit);
        var ratio = settings.Where(s => s.Merit == bestMerit).Max(s => s.SupportingRatio);
        var plateau = settings.Where(s => s.SupportingRatio == ratio && s.Merit == bestMerit).Select(s => s.AnswerThreshold).Order().ToArray();
        var chosenThreshold = plateau[plateau.Length / 2];
        var chosenRatio = Array.IndexOf(Ratios, ratio);

        // 4. The shipped models: the ranker on every question, the answerability model on the
        //    out-of-fold features (what it will meet on unseen articles) with the chosen labels.
        var finalRanker = FitRanker(ml, cases);
        var finalAnswerability = FitTrees(
            ml, questionFeatures, Enumerable.Range(0, cases.Count).Select(i => covers[chosenRatio, i]).ToArray(), RankingFeatures.QuestionNames);

        var model = new AnswerModel
        {
            Embedding = embedding,
            TrainedOn = record,
            Ranker = finalRanker,
            Answerability = finalAnswerability,
            AnswerThreshold = chosenThreshold,
            SupportingRatio = ratio,
            OffTopicThreshold = OffTopicThreshold(cases),
        };

        // 5. The same cross-validation again with another split of the articles into folds and other
        //    seeds for the tree bags, to tell a feature's effect from the split's and the seeds'
        //    (decisions compare the mean); in a context of its own, so the shipped fit is the same
        //    however many are asked for.
        var meritBySeeds = new List<double> { bestMerit };
        for (var k = 1; k < seedSets; k++)
        {
            var checkContext = new MLContext(seed: 0);
            var split = FoldsOf(articles, shuffle: k);
            var (checkFeatures, checkCovers) = OutOfFold(checkContext, cases, split, answerCovers);
            var check = CrossValidate(checkContext, cases, split, checkFeatures, checkCovers, firstSeed: 1 + (k * Bags));
            meritBySeeds.Add(check.Settings.Max(s => s.Merit));
        }

        var perCase = Enumerable.Range(0, cases.Count).Select(i =>
        {
            var p = probabilities[chosenRatio][i];
            var covered = covers[chosenRatio, i];
            return new CrossValidatedCase(p, covered, cases[i].Answerable ? p >= chosenThreshold && covered : p < chosenThreshold);
        }).ToArray();
        return new TrainingOutcome(model, settings.OrderByDescending(s => s.Merit).ThenByDescending(s => s.SupportingRatio).ToArray(), perCase)
        {
            MeritBySeeds = meritBySeeds,
        };
    }

    /// <summary>
    /// Which fold each article is in: the articles in name order dealt round the folds, or, for a
    /// <paramref name="shuffle"/> above 0, in an order drawn with that seed.
    /// </summary>
    internal static Dictionary<string, int> FoldsOf(string[] articles, int shuffle = 0)
    {
        var order = articles.ToArray();
        if (shuffle > 0)
        {
            new Random(shuffle).Shuffle(order);
        }

        var folds = Math.Min(Folds, order.Length);
        return order.Select((a, i) => (a, i % folds)).ToDictionary(x => x.a, x => x.Item2, StringComparer.Ordinal);
    }

    /// <summary>
    /// For every question, what a ranker fitted on the other folds' articles gives: the question
    /// features it leads to, and for each supporting ratio whether the answer it quotes covers the
    /// expected phrases (the answerability model's label).
    /// </summary>
    private static (float[][] QuestionFeatures, bool[,] Covers) OutOfFold(MLContext ml, IReadOnlyList<TrainingCase> cases, Dictionary<string, int> foldOf, Func<TrainingCase, AnswerModel, bool> answerCovers)
    {
        var folds = foldOf.Values.Distinct().Count();
        var outOfFold = new LogisticModel[folds];
        for (var f = 0; f < folds; f++)
        {
            outOfFold[f] = FitRanker(ml, cases.Where(c => foldOf[c.Article] != f));
        }

        var placeholder = Placeholder(outOfFold[0]);
        var questionFeatures = new float[cases.Count][];
        var covers = new bool[Ratios.Length, cases.Count];
        for (var i = 0; i < cases.Count; i++)
        {
            var ranker = outOfFold[foldOf[cases[i].Article]];
            var foldModel = placeholder with { Ranker = ranker };
            questionFeatures[i] = QuestionFeatures(cases[i].Index, cases[i].Result, ranker);
            for (var r = 0; r < Ratios.Length; r++)
            {
                covers[r, i] = cases[i].Answerable && answerCovers(cases[i], foldModel with { SupportingRatio = Ratios[r] });
            }
        }

        return (questionFeatures, covers);
    }

    /// <summary>Every setting of ratio and threshold scored with out-of-fold answerability from trees bagged with seeds from <paramref name="firstSeed"/>.</summary>
    private static (List<CrossValidatedSetting> Settings, double[][] Probabilities) CrossValidate(
        MLContext ml, IReadOnlyList<TrainingCase> cases, Dictionary<string, int> foldOf, float[][] questionFeatures, bool[,] covers, int firstSeed)
    {
        var folds = foldOf.Values.Distinct().Count();
        var settings = new List<CrossValidatedSetting>();
        var probabilities = new double[Ratios.Length][];
        for (var r = 0; r < Ratios.Length; r++)
        {
            var labels = Enumerable.Range(0, cases.Count).Select(i => covers[r, i]).ToArray();
            var probability = probabilities[r] = new double[cases.Count];
            for (var f = 0; f < folds; f++)
            {
                var train = Enumerable.Range(0, cases.Count).Where(i => foldOf[cases[i].Article] != f).ToArray();
                var answerability = FitTrees(ml, train.Select(i => questionFeatures[i]).ToArray(), train.Select(i => labels[i]).ToArray(), RankingFeatures.QuestionNames, firstSeed);
                foreach (var i in Enumerable.Range(0, cases.Count).Where(i => foldOf[cases[i].Article] == f))
                {
                    probability[i] = answerability.Probability(questionFeatures[i]);
                }
            }

            for (var t = 0.05; t < 0.951; t += 0.025)
            {
                var threshold = Math.Round(t, 3);
                int correctAnswers = 0, answerable = 0, correctAbstentions = 0, abstentions = 0, wrongAnswers = 0;
                for (var i = 0; i < cases.Count; i++)
                {
                    var answers = probability[i] >= threshold;
                    if (cases[i].Answerable)
                    {
                        answerable++;
                        correctAnswers += answers && covers[r, i] ? 1 : 0;
                        wrongAnswers += answers && !covers[r, i] ? 1 : 0;
                    }
                    else
                    {
                        abstentions++;
                        correctAbstentions += answers ? 0 : 1;
                        wrongAnswers += answers ? 1 : 0;
                    }
                }

                settings.Add(new CrossValidatedSetting(Ratios[r], threshold, correctAnswers, answerable, correctAbstentions, abstentions, wrongAnswers));
            }
        }

        return (settings, probabilities);
    }

    /// <summary>The question features of a search scored by <paramref name="ranker"/>.</summary>
    public static float[] QuestionFeatures(ArticleIndex index, SearchResult result, LogisticModel ranker)
    {
        var probabilities = result.Features.Select(f => ranker.Probability(f)).ToArray();
        return RankingFeatures.ForQuestion(result.Signals, probabilities, result.Question, PairSignals.Measure(index, result, probabilities));
    }

    /// <summary>The search re-ranked by <paramref name="ranker"/> (parts too).</summary>
    public static SearchResult Rerank(SearchResult result, LogisticModel ranker)
    {
        var ranked = result.Ranked
            .Select(r => r with { Fused = ranker.Probability(result.Features[r.Sentence]) })
            .OrderByDescending(r => r.Fused)
            .ThenBy(r => r.Sentence)
            .ToArray();
        return result with { Ranked = ranked, Parts = result.Parts.Select(p => Rerank(p, ranker)).ToArray() };
    }

    private static LogisticModel FitRanker(MLContext ml, IEnumerable<TrainingCase> cases)
    {
        var rows = new List<float[]>();
        var labels = new List<bool>();
        foreach (var c in cases.Where(c => c.Answerable))
        {
            for (var s = 0; s < c.Result.Features.Count; s++)
            {
                rows.Add(c.Result.Features[s]);
                labels.Add(c.Hits[s].Count > 0);
            }
        }

        return FitLogistic(ml, rows.ToArray(), labels.ToArray(), RankingFeatures.SentenceNames);
    }

    /// <summary>
    /// Fits ML.NET's FastTree boosted trees <see cref="Bags"/> times (each tree on its own sample of
    /// the questions and the features) and returns their average as plain splits and leaves. Trees read
    /// what a linear model cannot: a weak best sentence matters when a kind of fact was asked and
    /// not when the question names its actors (cross-validated on the tuning half: 71.9 % against
    /// 69.6 % for the logistic answerability model).
    /// </summary>
    internal static TreeEnsembleModel FitTrees(MLContext ml, float[][] rows, bool[] labels, IReadOnlyList<string> names, int firstSeed = 1) =>
        TreeEnsembleModel.Average(Enumerable.Range(firstSeed, Bags).Select(seed => FitTreesWithPredictor(ml, rows, labels, names, seed).Exported).ToArray());

    /// <summary>One member of <see cref="FitTrees"/>'s average, with ML.NET's own prediction function for the same fit (to check the export against).</summary>
    internal static (TreeEnsembleModel Exported, Func<float[], float> MlNet) FitTreesWithPredictor(MLContext ml, float[][] rows, bool[] labels, IReadOnlyList<string> names, int seed = 1)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, names.Count);
        var data = ml.Data.LoadFromEnumerable(rows.Select((r, i) => new Row { Label = labels[i], Features = r }), schema);
        var trainer = ml.BinaryClassification.Trainers.FastTree(new Microsoft.ML.Trainers.FastTree.FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = Trees,
            NumberOfLeaves = Leaves,
            MinimumExampleCountPerLeaf = ExamplesPerLeaf,
            LearningRate = LearningRate,
            NumberOfThreads = 1,
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = nameof(Row.Features),
            Seed = seed,
            FeatureFraction = SampleFraction,
            BaggingSize = 1,
            BaggingExampleFraction = SampleFraction,
        });
        var transformer = trainer.Fit(data);
        var fitted = transformer.Model;
        var ensemble = fitted.SubModel.TrainedTreeEnsemble;
        var (slope, offset) = fitted.Calibrator is PlattCalibrator platt ? (platt.Slope, platt.Offset) : (-1.0, 0.0);
        var engine = ml.Model.CreatePredictionEngine<Row, TreePrediction>(transformer, inputSchemaDefinition: schema);
        float MlNet(float[] features)
        {
            lock (engine)
            {
                return engine.Predict(new Row { Features = features }).Probability;
            }
        }

        var exported = new TreeEnsembleModel
        {
            Features = names,
            Bias = ensemble.Bias,
            PlattSlope = slope,
            PlattOffset = offset,
            Trees = ensemble.Trees.Select((t, i) => new RegressionTreeModel
            {
                Weight = ensemble.TreeWeights[i],
                Feature = [.. t.NumericalSplitFeatureIndexes],
                Threshold = [.. t.NumericalSplitThresholds],
                Left = [.. t.LeftChild],
                Right = [.. t.RightChild],
                Leaf = [.. t.LeafValues],
            }).ToArray(),
        };
        return (exported, MlNet);
    }

    private sealed class TreePrediction
    {
        public float Probability { get; set; }
    }

    /// <summary>Standardises the features, fits ML.NET's L-BFGS logistic regression and returns it as plain weights.</summary>
    private static LogisticModel FitLogistic(MLContext ml, float[][] rows, bool[] labels, IReadOnlyList<string> names)
    {
        var width = names.Count;
        var mean = new double[width];
        var scale = new double[width];
        for (var j = 0; j < width; j++)
        {
            var m = rows.Average(r => (double)r[j]);
            var sd = Math.Sqrt(rows.Average(r => (r[j] - m) * (r[j] - m)));
            mean[j] = m;
            scale[j] = sd > 1e-9 ? 1 / sd : 0;
        }

        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        var data = ml.Data.LoadFromEnumerable(
            rows.Select((r, i) => new Row
            {
                Label = labels[i],
                Features = r.Select((v, j) => (float)((v - mean[j]) * scale[j])).ToArray(),
            }),
            schema);
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L1Regularization = 1f,
            L2Regularization = 1f,
            NumberOfThreads = 1,
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = nameof(Row.Features),
        });
        var fitted = trainer.Fit(data).Model;
        var linear = fitted.SubModel;
        // ML.NET turns the linear score into a probability with a Platt calibrator; fold it into the weights.
        var (slope, offset) = fitted.Calibrator is PlattCalibrator platt ? (platt.Slope, platt.Offset) : (-1.0, 0.0);
        return new LogisticModel
        {
            Features = names,
            Mean = mean,
            Scale = scale,
            Weights = linear.Weights.Select(w => -slope * w).ToArray(),
            Bias = -((slope * linear.Bias) + offset),
        };
    }

    /// <summary>The best-paragraph similarity that best separates off-topic questions from other abstentions.</summary>
    private static double OffTopicThreshold(IReadOnlyList<TrainingCase> cases)
    {
        var abstentions = cases.Where(c => !c.Answerable).Select(c => (c.OffTopic, Best: c.Result.BestParagraph)).ToArray();
        if (abstentions.Length == 0)
        {
            return 0.5;
        }

        var best = (Threshold: 0.5, Correct: -1);
        for (var t = 0.20; t < 0.80; t += 0.01)
        {
            var correct = abstentions.Count(a => (a.Best < t) == a.OffTopic);
            if (correct > best.Correct)
            {
                best = (Math.Round(t, 2), correct);
            }
        }

        return best.Threshold;
    }

    private static AnswerModel Placeholder(LogisticModel ranker) => new()
    {
        Embedding = string.Empty,
        TrainedOn = new TrainingRecord(string.Empty, string.Empty, 0, 0, string.Empty),
        Ranker = ranker,
        Answerability = new TreeEnsembleModel { Features = RankingFeatures.QuestionNames, Bias = 0, Trees = [], PlattSlope = -1, PlattOffset = 0 },
        AnswerThreshold = 0,
        SupportingRatio = 1,
        OffTopicThreshold = 0,
    };

    private sealed class Row
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
