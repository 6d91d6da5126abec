using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Evaluation;
using static CaravanBot.Retrieval.Tests.Evaluation.EvalTestArticles;

namespace CaravanBot.Retrieval.Tests.Evaluation;

public sealed class EvalScorerTests
{
    private static readonly Retrieval.Articles.Article Article = Caravan;

    [Fact]
    public void An_answer_whose_quotes_hold_every_phrase_is_correct()
    {
        var evalCase = Expecting("c1", "What does Mexico want?", "sanctions on Cuba and Venezuela", "development aid");
        var answer = Answered(evalCase.Question, 12, Cite(Article, 2, "lift sanctions on Cuba and Venezuela"), Cite(Article, 2, "send development aid"));

        var result = EvalScorer.Score(evalCase, answer, Article);

        Assert.Equal(EvalOutcome.CorrectAnswer, result.Outcome);
        Assert.True(result.IsCorrect);
        Assert.Empty(result.MissingPhrases);
        Assert.Equal(2, result.VerifiedCitations);
        Assert.Null(result.ReasonMatched);
    }

    [Fact]
    public void An_item_is_met_by_any_of_its_alternative_phrases()
    {
        var evalCase = Expecting("c1", "What does Mexico want?", "sanctions on Cuba and Venezuela") with
        {
            ExpectedItems = [["a phrase the answer does not quote", "development aid"]],
        };
        var answer = Answered(evalCase.Question, 12, Cite(Article, 2, "send development aid"));

        Assert.Equal(EvalOutcome.CorrectAnswer, EvalScorer.Score(evalCase, answer, Article).Outcome);
    }

    [Theory]
    [InlineData("DEVELOPMENT   AID")]
    [InlineData("development\u00A0aid")]
    [InlineData("  development aid ")]
    [InlineData("left Tapachula on \"Christmas Eve\"")]
    [InlineData("left tapachula on “christmas eve”")]
    public void Phrases_match_regardless_of_case_spacing_and_quote_style(string phrase)
    {
        var evalCase = Expecting("c1", "q", phrase);
        var answer = Answered("q", 1, Cite(Article, 2, "development aid"), Cite(Article, 4, "The group left Tapachula on “Christmas Eve”"));

        Assert.Equal(EvalOutcome.CorrectAnswer, EvalScorer.Score(evalCase, answer, Article).Outcome);
    }

    [Fact]
    public void An_answer_missing_a_phrase_is_incomplete_and_names_the_phrase()
    {
        var evalCase = Expecting("c1", "What does Mexico want?", "sanctions on Cuba and Venezuela", "development aid");
        var answer = Answered(evalCase.Question, 1, Cite(Article, 2, "lift sanctions on Cuba and Venezuela"));

        var result = EvalScorer.Score(evalCase, answer, Article);

        Assert.Equal(EvalOutcome.IncompleteAnswer, result.Outcome);
        Assert.False(result.IsCorrect);
        Assert.Equal(["development aid"], result.MissingPhrases);
    }

    [Fact]
    public void A_phrase_found_only_outside_the_quotes_does_not_count()
    {
        // The lead-in and the rest of the paragraph are not what the reader is shown as evidence.
        var evalCase = Expecting("c1", "q", "development aid");
        var answer = Answered("q", 1, Cite(Article, 2, "Mexico wants the US")) with { Text = "development aid" };

        Assert.Equal(EvalOutcome.IncompleteAnswer, EvalScorer.Score(evalCase, answer, Article).Outcome);
    }

    [Fact]
    public void Abstaining_where_an_answer_was_expected_is_a_missed_answer()
    {
        var evalCase = Expecting("c1", "Who spoke?", "Luis García Villagrán");

        var result = EvalScorer.Score(evalCase, Abstained("Who spoke?", AbstentionReason.NotInArticle), Article);

        Assert.Equal(EvalOutcome.MissedAnswer, result.Outcome);
        Assert.Equal(["Luis García Villagrán"], result.MissingPhrases);
    }

    [Fact]
    public void Answering_where_an_abstention_was_expected_is_wrong()
    {
        var evalCase = ExpectingAbstention("c40", "What is the capital of France?", AbstentionReason.OffTopic);
        var answer = Answered(evalCase.Question, 1, Cite(Article, 2, "Mexico wants the US"));

        var result = EvalScorer.Score(evalCase, answer, Article);

        Assert.Equal(EvalOutcome.UnwantedAnswer, result.Outcome);
        Assert.False(result.ReasonMatched);
    }

    [Theory]
    [InlineData(AbstentionReason.OffTopic, true)]
    [InlineData(AbstentionReason.NotInArticle, false)]
    public void A_correct_abstention_needs_no_matching_reason_but_the_match_is_recorded(AbstentionReason given, bool matched)
    {
        var evalCase = ExpectingAbstention("c40", "What is the capital of France?", AbstentionReason.OffTopic);

        var result = EvalScorer.Score(evalCase, Abstained(evalCase.Question, given), Article);

        Assert.Equal(EvalOutcome.CorrectAbstention, result.Outcome);
        Assert.Equal(matched, result.ReasonMatched);
    }

    [Fact]
    public void Without_a_labelled_reason_no_reason_match_is_recorded()
    {
        var evalCase = ExpectingAbstention("c41", "q");

        Assert.Null(EvalScorer.Score(evalCase, Abstained("q", AbstentionReason.OffTopic), Article).ReasonMatched);
    }

    [Theory]
    [InlineData(2, "Mexico wants", 0, 12, true)]
    [InlineData(2, "Mexico wants", 1, 13, false)]
    [InlineData(2, "mexico wants", 0, 12, false)]
    [InlineData(9, "Mexico wants", 0, 12, false)]
    [InlineData(0, "Mexico wants", 0, 12, false)]
    [InlineData(2, "Mexico wants", -1, 11, false)]
    [InlineData(2, "x", 5, 4, false)]
    [InlineData(3, "Villagrán.", 77, 87, true)]
    [InlineData(3, "Villagrán.", 77, 999, false)]
    public void A_citation_is_verbatim_only_when_its_span_holds_exactly_its_quote(int paragraph, string quote, int start, int end, bool verbatim)
    {
        Assert.Equal(verbatim, EvalScorer.IsVerbatim(new Citation(paragraph, quote, start, end), Article));
    }

    [Fact]
    public void Unverifiable_citations_are_counted_apart_from_correctness()
    {
        var evalCase = Expecting("c1", "q", "development aid");
        var answer = Answered("q", 1, Cite(Article, 2, "development aid"), new Citation(2, "development aid", 0, 15));

        var result = EvalScorer.Score(evalCase, answer, Article);

        Assert.Equal(EvalOutcome.CorrectAnswer, result.Outcome);
        Assert.Equal(1, result.VerifiedCitations);
    }
}
