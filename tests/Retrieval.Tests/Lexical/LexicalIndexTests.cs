using CaravanBot.Retrieval.Lexical;

namespace CaravanBot.Retrieval.Tests.Lexical;

public sealed class LexicalIndexTests
{
    private static readonly string[] Documents =
    [
        "Mr López Obrador wants the US to remove sanctions on Cuba.",
        "The caravan crossed the Guatemalan border before Christmas.",
        "Families slept in a park and were fed bananas.",
    ];

    private static readonly LexicalIndex Index = LexicalIndex.Build(Documents);

    [Theory]
    [InlineData("What does he want?", 0)]
    [InlineData("sanction", 0)]
    [InlineData("Where did the caravan cross?", 1)]
    [InlineData("what were the families fed", 2)]
    [InlineData("banana", 2)]
    public void Inflections_meet_their_word(string query, int expected)
    {
        var scores = Index.Score(query);

        Assert.Equal(expected, Array.IndexOf(scores, scores.Max()));
        Assert.True(scores[expected] > 0.3f);
    }

    [Fact]
    public void Words_the_article_never_uses_lower_the_coverage()
    {
        var known = Index.Score("sanctions on Cuba")[0];
        var partlyUnknown = Index.Score("earthquake casualties sanctions on Cuba")[0];

        Assert.True(partlyUnknown < known);
        Assert.Equal(0.5, Index.UnknownShare("earthquake sanctions"), 3);
    }

    [Theory]
    [InlineData("wants", "want")]
    [InlineData("migrants", "migrant")]
    [InlineData("crossed", "cross")]
    [InlineData("sleeping", "sleep")]
    [InlineData("stopped", "stop")]
    [InlineData("does", "does")]
    [InlineData("bus", "bus")]
    public void The_stemmer_removes_only_plural_and_verb_endings(string word, string stem)
    {
        Assert.Equal(stem, LightStemmer.Stem(word));
    }
}
