using CaravanBot.Bot.Features;

namespace CaravanBot.Bot.Tests.Features;

public sealed class QuoteMarksTests
{
    [Theory]
    [InlineData("Mexico wants more development aid.", true)]
    [InlineData("The tagline “Meth. We're on it.” drew ridicule.", true)]
    [InlineData("The players’ union said nothing.", true)]
    [InlineData("‘Pure joy,’ she wrote.", true)]
    [InlineData("“We are going to help,” the Mexican president said.", false)]
    [InlineData("\"I know it got overshadowed by a lot of things.", false)]
    [InlineData("He called it “a meeting between fools.”", false)]
    [InlineData("He called it “a meeting between fools”.", false)]
    [InlineData("  “Leading spaces do not hide a mark.", false)]
    [InlineData("« Nous irons », a-t-il dit.", false)]
    public void Our_marks_go_only_around_a_quote_without_double_marks_of_its_own_at_either_end(string quote, bool wrapped)
    {
        var (open, close) = QuoteMarks.For(quote);

        Assert.Equal(wrapped ? "“" : string.Empty, open);
        Assert.Equal(wrapped ? "”" : string.Empty, close);
    }
}
