using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Evaluation;
using CaravanBot.Retrieval.Ingestion;
using static CaravanBot.Retrieval.Tests.Evaluation.EvalTestArticles;

namespace CaravanBot.Retrieval.Tests.Evaluation;

public sealed class EvalRunnerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("caravanbot-evalrunner-").FullName;
    private readonly List<Article> _indexed = [];

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Each_article_is_indexed_once_and_results_keep_the_file_order()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "articles"));
        File.WriteAllText(Path.Combine(_directory, "articles", "storm.txt"), "Storm hits coast\nWinds reached 150 km/h.");
        var set = EvalSet.Parse(
            """
            {"id": "d1", "question": "What does Mexico want?", "expect": ["development aid"]}
            {"id": "s1", "article": "storm", "question": "How fast were the winds?", "expect": ["150 km/h"]}
            {"id": "d2", "question": "What is the capital of France?", "expect": "abstain", "reason": "off_topic"}
            """,
            "q.jsonl",
            _directory);
        var runner = new EvalRunner(CreateAnswerer, ReadArticleFile);

        var report = await runner.RunAsync(set, Caravan);

        Assert.Equal(["caravan", "storm"], _indexed.Select(a => a.Source));
        Assert.Equal(["d1", "s1", "d2"], report.Results.Select(r => r.Case.Id));
        Assert.All(report.Results, r => Assert.True(r.IsCorrect, r.Case.Id));
        Assert.Equal(1.0, report.Accuracy);
        Assert.Equal(1.0, report.Total.QuoteFidelity);
        Assert.Equal(["default", "storm"], report.Articles.Select(a => a.Article));
    }

    [Fact]
    public async Task A_missing_named_article_is_an_article_load_error_naming_it()
    {
        var set = EvalSet.Parse("""{"id": "x", "article": "flood", "question": "q", "expect": ["a"]}""", "q.jsonl", _directory);
        var runner = new EvalRunner(CreateAnswerer, ReadArticleFile);

        var error = await Assert.ThrowsAsync<ArticleLoadException>(() => runner.RunAsync(set, Caravan));

        Assert.Contains("\"flood\"", error.Message, StringComparison.Ordinal);
    }

    private static Article ReadArticleFile(string path) =>
        Build(Path.GetFileNameWithoutExtension(path), File.ReadAllLines(path));

    private KeywordAnswerer CreateAnswerer(Article article)
    {
        _indexed.Add(article);
        return new KeywordAnswerer(article);
    }

    /// <summary>Cites the first paragraph sharing a long word with the question; abstains otherwise.</summary>
    private sealed class KeywordAnswerer : IAnswerService
    {
        private readonly Article _article;

        public KeywordAnswerer(Article article)
        {
            _article = article;
        }

        public Task<Answer> AskAsync(string question, CancellationToken cancellationToken = default)
        {
            var words = question.Split(' ', '?').Where(w => w.Length >= 5).Select(w => w.ToLowerInvariant()).ToArray();
            var paragraph = _article.Paragraphs.Skip(1).FirstOrDefault(p => words.Any(w => p.Text.Contains(w, StringComparison.OrdinalIgnoreCase)));
            return Task.FromResult(paragraph is null
                ? Abstained(question, AbstentionReason.OffTopic)
                : Answered(question, 3, new Citation(paragraph.Number, paragraph.Text, 0, paragraph.Text.Length)));
        }
    }
}
