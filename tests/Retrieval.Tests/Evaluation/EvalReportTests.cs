using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Evaluation;
using static CaravanBot.Retrieval.Tests.Evaluation.EvalTestArticles;

namespace CaravanBot.Retrieval.Tests.Evaluation;

public sealed class EvalReportTests
{
    [Fact]
    public void Figures_add_up_per_article_and_in_total()
    {
        var article = Caravan;
        var results = new[]
        {
            EvalScorer.Score(Expecting("a1", "q1", "development aid"), Answered("q1", 10, Cite(article, 2, "development aid")), article),
            EvalScorer.Score(Expecting("a2", "q2", "Venezuela"), Answered("q2", 30, new Citation(2, "Cuba", 0, 4)), article),
            EvalScorer.Score(ExpectingAbstention("a3", "q3", AbstentionReason.OffTopic), Abstained("q3", AbstentionReason.OffTopic, 20), article),
            EvalScorer.Score(ExpectingAbstention("b1", "q4", AbstentionReason.OffTopic, "storm"), Abstained("q4", AbstentionReason.NotInArticle, 40), article),
        };

        var report = EvalReport.From(results);

        Assert.Equal(["default", "storm"], report.Articles.Select(a => a.Article));
        var total = report.Total;
        Assert.Equal("total", total.Article);
        Assert.Equal(4, total.Questions);
        Assert.Equal(2, total.ExpectedAnswers);
        Assert.Equal(1, total.CorrectAnswers);
        Assert.Equal(2, total.ExpectedAbstentions);
        Assert.Equal(2, total.CorrectAbstentions);
        Assert.Equal(2, total.ReasonsExpected);
        Assert.Equal(1, total.ReasonsMatched);
        Assert.Equal(2, total.Citations);
        Assert.Equal(1, total.VerifiedCitations);
        Assert.Equal(0.5, total.QuoteFidelity);
        Assert.Equal(0.75, report.Accuracy);
        Assert.Equal(20, total.LatencyP50Ms);
        Assert.Equal(40, total.LatencyP95Ms);

        var storm = report.Articles[1];
        Assert.Equal(1, storm.Questions);
        Assert.Null(storm.QuoteFidelity);
        Assert.Equal(1.0, storm.Accuracy);

        Assert.Equal(["a2"], report.Failures.Select(f => f.Case.Id));
    }

    [Fact]
    public void An_empty_report_has_zero_accuracy_rather_than_dividing_by_zero()
    {
        var report = EvalReport.From([]);

        Assert.Equal(0, report.Accuracy);
        Assert.Empty(report.Articles);
        Assert.Null(report.Total.QuoteFidelity);
        Assert.Equal(0, report.Total.LatencyP95Ms);
    }

    [Theory]
    [InlineData(new double[] { 5 }, 50, 5)]
    [InlineData(new double[] { 5 }, 95, 5)]
    [InlineData(new double[] { 1, 2 }, 50, 1)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 50, 2)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 }, 95, 19)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21 }, 95, 20)]
    public void Percentiles_use_the_nearest_rank(double[] sorted, double percent, double expected)
    {
        Assert.Equal(expected, EvalFigures.Percentile(sorted, percent));
    }
}
