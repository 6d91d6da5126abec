using CaravanBot.Retrieval.Ingestion;
using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Tests.Ingestion;

/// <summary>What one article may be, and indexing that can be followed and stopped.</summary>
[Collection(EngineCollection.Name)]
public sealed class ArticleLimitsTests
{
    private readonly EngineFixture _engine;

    public ArticleLimitsTests(EngineFixture engine)
    {
        _engine = engine;
    }

    [Fact]
    public void An_article_of_a_hundred_thousand_short_paragraphs_is_refused_at_once()
    {
        var text = "Headline\n" + string.Concat(Enumerable.Range(0, 100_000).Select(i => $"Line {i} said a thing.\n"));

        var refused = Assert.Throws<ArticleLoadException>(() => ArticleReader.ReadText(text, "huge.txt"));

        Assert.Contains("at most 2,000", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_article_with_more_text_than_the_bound_is_refused()
    {
        var text = "Headline\n" + string.Concat(Enumerable.Range(0, 500).Select(i => new string('a', 1_200) + $" {i}.\n"));

        Assert.Throws<ArticleLoadException>(() => ArticleReader.ReadText(text, "long.txt"));
    }

    [Fact]
    public void Dev_zero_as_an_article_file_is_refused_without_reading_it_all()
    {
        Assert.Throws<ArticleLoadException>(() => ArticleReader.ReadFile("/dev/zero"));
    }

    [Fact]
    public void Indexing_reports_progress_and_stops_when_cancelled()
    {
        var text = "The valley floods\n" + string.Concat(Enumerable.Range(0, 600).Select(i => $"Resident {i} said the water rose near bridge {i}.\n"));
        var article = ArticleReader.ReadText(text, "valley.txt");
        using var cancel = new CancellationTokenSource();
        var reports = new List<IndexingProgress>();
        var progress = new Inline(report =>
        {
            reports.Add(report);
            if (report.Embedded > 0)
            {
                cancel.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => _engine.Factory.Create(article, progress, cancel.Token));

        Assert.True(reports.Count >= 2);
        Assert.True(reports[^1].Embedded < reports[^1].Total, "indexing ran to the end although cancelled");
    }

    private sealed class Inline(Action<IndexingProgress> report) : IProgress<IndexingProgress>
    {
        public void Report(IndexingProgress value) => report(value);
    }
}
