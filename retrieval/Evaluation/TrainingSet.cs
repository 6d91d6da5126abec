using System.Security.Cryptography;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Embeddings;
using CaravanBot.Retrieval.Ingestion;
using CaravanBot.Retrieval.Ranking;
using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Evaluation;

/// <summary>
/// Turns a labelled question set into what <see cref="AnswerModelTrainer"/> learns from: each
/// question searched without a model, with the sentences that hold its expected phrases marked.
/// </summary>
public static class TrainingSet
{
    /// <summary>Searches every question of <paramref name="set"/>; each article is indexed once.</summary>
    public static IReadOnlyList<TrainingCase> Collect(
        EvalSet set, Article defaultArticle, ISentenceEmbedder embedder, Func<string, Article>? readArticleFile = null, CancellationToken cancellationToken = default)
    {
        var cases = new List<TrainingCase>();
        foreach (var group in set.Cases.GroupBy(c => c.Article, StringComparer.Ordinal))
        {
            var article = EvalRunner.ReadArticle(set, group.Key, defaultArticle, readArticleFile ?? ArticleReader.ReadFile);
            var index = ArticleIndex.Build(article, embedder, cancellationToken);
            var searcher = new HybridSearcher(index, model: null);
            foreach (var evalCase in group)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var cleaned = QuestionText.Clean(evalCase.Question);
                if (cleaned.Length == 0)
                {
                    continue; // an empty question abstains before any model is asked
                }

                var result = searcher.Search(searcher.Prepare(cleaned), cancellationToken);
                var hits = index.Sentences
                    .Select(s => (IReadOnlySet<int>)evalCase.ExpectedItems
                        .Select((item, i) => (item, i))
                        .Where(x => x.item.Any(p => EvalScorer.Normalize(s.Text).Contains(EvalScorer.Normalize(p), StringComparison.Ordinal)))
                        .Select(x => x.i)
                        .ToHashSet())
                    .ToArray();
                cases.Add(new TrainingCase(evalCase.Id, group.Key, index, result, hits, evalCase.ExpectedItems.Count, evalCase.ExpectedReason == AbstentionReason.OffTopic));
            }
        }

        return cases;
    }

    /// <summary>Whether the answer quoted under <paramref name="model"/> holds every expected item of <paramref name="trainingCase"/>.</summary>
    public static bool AnswerCovers(TrainingCase trainingCase, AnswerModel model, RetrievalOptions options)
    {
        var reranked = AnswerModelTrainer.Rerank(trainingCase.Result, model.Ranker);
        var chosen = QuoteSelection.Choose(trainingCase.Index, reranked, model.SupportingRatio, options.MaxQuotes, options.RedundancyThreshold);
        return Enumerable.Range(0, trainingCase.ExpectedPhrases).All(item => chosen.Any(c => trainingCase.Hits[c.Sentence].Contains(item)));
    }

    /// <summary>Fits the answer model on <paramref name="set"/> (read from <paramref name="path"/>), cross-validating with <paramref name="seedSets"/> seed sets (splits of the articles into folds, and seeds of the tree bags).</summary>
    public static TrainingOutcome Train(string path, EvalSet set, Article defaultArticle, ISentenceEmbedder embedder, RetrievalOptions options, Func<string, Article>? readArticleFile = null, CancellationToken cancellationToken = default, int seedSets = 1)
    {
        var cases = Collect(set, defaultArticle, embedder, readArticleFile, cancellationToken);
        var record = new TrainingRecord(
            Path.GetFileName(path),
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))),
            set.Cases.Count,
            set.Cases.Select(c => c.Article).Distinct(StringComparer.Ordinal).Count(),
            AnswerModelTrainer.TrainerDescription);
        return AnswerModelTrainer.Train(cases, (c, m) => AnswerCovers(c, m, options), embedder.Name, record, seedSets);
    }
}
