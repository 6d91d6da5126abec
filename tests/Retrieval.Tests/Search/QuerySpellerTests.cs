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

    [Theory]
    [InlineData("what's the caravan about", "what's the caravan about")]
    [InlineData("Which nation's border is it?", "Which nation's border is it?")]
    [InlineData("why didn't Mexico's leader come", "why didn't Mexico's leader come")]
    [InlineData("how big is the carvan's group", "how big is the caravan's group")]
    public void Contractions_and_possessives_keep_their_word_and_their_clitic(string question, string expected)
    {
        var speller = new QuerySpeller(
        [
            "A vast caravan of migrants is travelling to the border of Mexico.",
            "That's what the national guard said.",
        ]);

        Assert.Equal(expected, speller.Correct(question));
    }

    [Theory]
    [InlineData("how do I make it without a juicer", "how do I make it without a juicer")]
    [InlineData("how do pollnators find gardens", "how do pollinators find gardens")]
    public void An_English_word_the_article_does_not_use_is_not_a_misspelling_of_one_it_does(string question, string expected)
    {
        var speller = new QuerySpeller(
        [
            "Pollinators visited 87 gardens, the pollinator survey found.",
            "The juice is made from apple waste.",
        ]);

        Assert.Equal(expected, speller.Correct(question));
    }
}
