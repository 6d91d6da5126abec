using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Evaluation;
using CaravanBot.Retrieval.Ingestion;

namespace CaravanBot.Retrieval.Tests.Answering;

/// <summary>
/// A subhead or a question the article asks itself (an interviewer's "Q: Favorite apps?") only
/// leads in to what answers: when it is the best quote, the sentence after it is quoted too.
/// The pages are read from the shared benchmark: the interview is a tuning article of the dev set,
/// the feature with subheads another outlet's telling of a tuning article's story (in neither half).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class LeadInQuoteTests
{
    private readonly EngineFixture _engine;

    public LeadInQuoteTests(EngineFixture engine)
    {
        _engine = engine;
    }

    [Fact]
    public void A_subhead_that_matches_is_quoted_with_the_first_sentence_under_it()
    {
        var article = BenchmarkPage("9eef8162bbb67b0bd73792313b91b87dc9304f43f85f479e67e71c166417451e");

        var answer = _engine.For(article).Ask("what's the treatment");

        Assert.True(answer.Answered, answer.Reason?.ToString());
        var subhead = article.Paragraphs.Single(p => p.Text == "Successful treatment");
        Assert.Contains(answer.Citations, c => c.Paragraph == subhead.Number);
        Assert.Contains(answer.Citations, c => c.Paragraph == subhead.Number + 1 && c.Quote.StartsWith("While studies have not always supported the use of steroids", StringComparison.Ordinal));
    }

    [Fact]
    public void An_interviewers_question_is_quoted_with_the_answer_after_it()
    {
        var answer = _engine.For(TuningArticle("new-ceo")).Ask("wats juniors favrite apps");

        Assert.True(answer.Answered, answer.Reason?.ToString());
        Assert.Contains(answer.Citations, c => c.Quote.Contains("Bleacher Report, Uber Eats, and ParkMobile", StringComparison.Ordinal));
        Assert.Equal("Q: Favorite apps?", answer.Citations[0].Quote);
    }

    [Fact]
    public void A_body_sentence_that_answers_is_quoted_without_what_follows_it()
    {
        var answer = _engine.Caravan.Ask("What does Mexico want?");

        Assert.Equal([9], answer.Citations.Select(c => c.Paragraph));
    }

    private static Article BenchmarkPage(string id)
    {
        var folder = EvalPages.FindBenchmarkFolder(AppContext.BaseDirectory);
        Assert.True(folder is not null, $"../{EvalPages.BenchmarkFolder}/ is missing beside the repository");
        return EvalRunner.ReadSavedPage(Path.Combine(folder, "html", id + ".html.gz"), id);
    }

    private static Article TuningArticle(string name)
    {
        var set = EvalSet.Load(Path.Combine(EngineFixture.EvalDirectory, "tune.jsonl"));
        return EvalRunner.ReadArticle(set, name, ArticleReader.ReadFile(EngineFixture.SeedArticlePath), ArticleReader.ReadFile);
    }
}
