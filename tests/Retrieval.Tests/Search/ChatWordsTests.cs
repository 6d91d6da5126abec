using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Tests.Search;

public sealed class ChatWordsTests
{
    [Theory]
    [InlineData("how many ppl r gettin laid off in total", "how many people are getting laid off in total")]
    [InlineData("wich other states had protests b4 this", "which other states had protests before this")]
    [InlineData("wen is the nxt rail strike", "when is the next rail strike")]
    [InlineData("wat markets r vw thinkin of bulding it for", "what markets are vw thinking of bulding it for")]
    [InlineData("y did they do it b4 the vote", "why did they do it before the vote")]
    [InlineData("wat did the hostages say in the vids", "what did the hostages say in the videos")]
    public void Chat_shorthand_is_written_out(string typed, string expanded) =>
        Assert.Equal(expanded, ChatWords.Expand(typed));

    [Theory]
    [InlineData("What does the U.S. want from Mexico?")]
    [InlineData("Who is R Kelly?")]
    [InlineData("What did the M&S chief say about the margin?")]
    [InlineData("Where did the cabin crew begin the trip?")]
    public void Capitals_initials_and_real_words_ending_in_in_are_left_alone(string question) =>
        Assert.Equal(question, ChatWords.Expand(question));
}
