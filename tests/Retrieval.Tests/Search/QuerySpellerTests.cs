using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Tests.Search;

public sealed class QuerySpellerTests
{
    private static readonly QuerySpeller Speller = new(
    [
        "A vast caravan of migrants is travelling to the border of Mexico.",
        "Mexico wants the US to reduce sanctions.",
    ]);

    [Theory]
    [InlineData("wat does mexco want", "wat does mexico want")]
    [InlineData("how big is the carvan", "how big is the caravan")]
    [InlineData("sanctoins on Cuba", "sanctions on Cuba")]
    [InlineData("What does Mexico want?", "What does Mexico want?")]
    [InlineData("How many people died?", "How many people died?")]
    public void Misspelt_words_take_the_article_spelling_and_real_words_stay(string question, string expected)
    {
        Assert.Equal(expected, Speller.Correct(question));
    }
}
