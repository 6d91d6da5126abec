using CaravanBot.Retrieval.Ingestion;
using CaravanBot.Retrieval.Ranking;
using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Tests.Search;

/// <summary>
/// What the page showed besides the story (a donation appeal, a comment-forum line, a photo credit)
/// is never quoted, but the answerability model is told how much closer a question comes to it than
/// to any story sentence: "Where can I comment on this story?" is about the page, not the story.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PageFurnitureMatchTests
{
    private readonly EngineFixture _engine;

    public PageFurnitureMatchTests(EngineFixture engine)
    {
        _engine = engine;
    }

    [Theory]
    [InlineData("Where can I comment on this story?")]
    [InlineData("How can I donate to support your reporting?")]
    public void A_question_about_the_page_comes_closer_to_its_furniture_than_to_the_story(string question)
    {
        var result = _engine.Caravan.Search(question);

        Assert.True(FurnitureOverStory(_engine.Caravan.Index, result) > 0, $"furniture {result.Question.Furniture:F3}, best story sentence {result.Signals.Max(s => s.DenseSentence):F3}");
    }

    [Theory]
    [InlineData("What does Mexico want?")]
    [InlineData("How many migrants are in the caravan?")]
    public void A_question_about_the_story_comes_closer_to_the_story(string question)
    {
        var result = _engine.Caravan.Search(question);

        Assert.True(result.Question.Furniture > 0, "the seed page's donation appeal and comment lines were dropped, so there is furniture to compare");
        Assert.True(FurnitureOverStory(_engine.Caravan.Index, result) < 0, $"furniture {result.Question.Furniture:F3}, best story sentence {result.Signals.Max(s => s.DenseSentence):F3}");
    }

    [Fact]
    public void A_page_that_showed_nothing_besides_the_story_has_no_furniture_to_match()
    {
        var answerer = _engine.For(ArticleReader.ReadText(
            "Council approves flood defences\n\nThe council has approved a £48 million programme of flood defences along the river.\n\nWork starts in May.",
            "floods"));

        var result = answerer.Search("Where can I comment on this story?");

        Assert.Equal(-1, result.Question.Furniture);
        Assert.Equal(-1, FurnitureOverStory(answerer.Index, result));
    }

    [Fact]
    public void A_question_about_the_donation_appeal_is_not_answered_from_the_story()
    {
        var answer = _engine.Caravan.Ask("How can I donate to support your reporting?");

        Assert.False(answer.Answered);
        Assert.Empty(answer.Citations);
    }

    private static float FurnitureOverStory(ArticleIndex index, SearchResult result)
    {
        var features = AnswerModelTrainer.QuestionFeatures(index, result, AnswerModel.Shipped.Ranker);
        return features[RankingFeatures.QuestionNames.ToList().IndexOf("furniture_over_story")];
    }
}
