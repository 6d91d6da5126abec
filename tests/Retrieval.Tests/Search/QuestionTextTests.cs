using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Tests.Search;

public sealed class QuestionTextTests
{
    [Theory]
    [InlineData("@everyone what does Mexico want?", "what does Mexico want?")]
    [InlineData("<@123456789> <@!42> <@&77> <#99> who is Blinken", "who is Blinken")]
    [InlineData("Wh\u200Bat\u200D is\u0007 this\u0000", "What is this")]
    [InlineData("  \t\n ", "")]
    [InlineData("@here", "")]
    [InlineData("?!...", "")]
    public void Mentions_invisible_and_control_characters_are_removed(string question, string expected)
    {
        Assert.Equal(expected, QuestionText.Clean(question));
    }

    [Fact]
    public void Very_long_questions_are_bounded()
    {
        Assert.Equal(QuestionText.MaxSearchedLength, QuestionText.Clean(new string('a', 50_000)).Length);
    }
}
