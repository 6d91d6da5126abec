using CaravanBot.Bot.Moderation;

namespace CaravanBot.Bot.Tests.Moderation;

public sealed class QuestionFormTests
{
    [Theory]
    [InlineData("What does Mexico want?", "what does mexico want")]
    [InlineData("  Where did the families spend Christmas??  ", "where did the families spend christmas")]
    [InlineData("Mexico’s demands — what are they?", "mexico's demands what are they")]
    public void Normalising_lowercases_and_drops_punctuation(string question, string normalised)
    {
        Assert.Equal(normalised, QuestionForm.Normalise(question));
    }

    [Theory]
    [InlineData("What does Mexico want?", "what")]
    [InlineData("Which officials will Blinken meet?", "what")]
    [InlineData("Who is Blinken meeting?", "who")]
    [InlineData("Whose caravan is it?", "who")]
    [InlineData("How many migrants are in the caravan?", "how many")]
    [InlineData("How much aid does Mexico want?", "how many")]
    [InlineData("How far is the trek?", "how far")]
    [InlineData("How did the families sleep?", "how")]
    [InlineData("Is this the biggest caravan?", "yes/no")]
    [InlineData("So when will they meet?", "when")]
    public void The_question_word_is_read_wherever_it_stands(string question, string word)
    {
        Assert.Equal(word, QuestionForm.QuestionWord(question));
    }

    [Theory]
    [InlineData("What does Mexico not want?", true)]
    [InlineData("Why doesn't Mexico help?", true)]
    [InlineData("Why doesn’t Mexico help?", true)]
    [InlineData("Has no caravan reached the border?", true)]
    [InlineData("What does Mexico want?", false)]
    [InlineData("Is Notre Dame mentioned?", false)]
    public void Negation_is_recognised(string question, bool negated)
    {
        Assert.Equal(negated, QuestionForm.IsNegated(question));
    }
}
