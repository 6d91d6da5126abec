using CaravanBot.Retrieval.Ingestion;

namespace CaravanBot.Retrieval.Tests.Ingestion;

public class SentenceSplitterTests
{
    private static string[] Sentences(string text) => [.. SentenceSplitter.Split(text).Select(s => s.Of(text))];

    [Theory]
    [InlineData("Mr Blinken met Mr. López Obrador in Mexico City on Wednesday.")]
    [InlineData("Dr. Fauci and St. Louis officials met on Jan. 6 to discuss it.")]
    [InlineData("The U.S. and the U.K. signed the deal in Washington.")]
    [InlineData("John F. Kennedy was elected in 1960.")]
    [InlineData("An estimated 8,000-strong group faces a 1,000 mile (1,600km) trek.")]
    [InlineData("Inflation was 3.5 per cent, up from 1.5 per cent.")]
    [InlineData("“We are not trading pieces for any politician.”")]
    [InlineData("“We are going to help, as we always do,” the Mexican president said this week.")]
    [InlineData("“Are you coming?” she asked.")]
    [InlineData("He paused... and then went on.")]
    [InlineData("Fruit, e.g. Apples and pears, got cheaper.")]
    [InlineData("The data is at https://data.example.org/Robins.V2 for anyone to check.")]
    [InlineData("Write to news@Example.org for a copy.")]
    [InlineData("Mr.Smith arrived late.")]
    [InlineData("Version 2.Beta shipped on Monday.")]
    [InlineData("The U.S. Border Patrol made 10,000 arrests.")]
    [InlineData("The vote ended at 1 a.m. on Tuesday.")]
    [InlineData("8,000-strong migrant caravan heads for US border")]
    public void One_sentence_survives_abbreviations_numbers_and_quotes(string text)
    {
        Assert.Equal([text], Sentences(text));
    }

    public static TheoryData<string, string[]> SplitCases => new()
    {
        {
            "Your support makes all the difference.A vast caravan of thousands of migrants is travelling.",
            ["Your support makes all the difference.", "A vast caravan of thousands of migrants is travelling."]
        },
        { "Prices rose. Wages did not! Why? Nobody knows.", ["Prices rose.", "Wages did not!", "Why?", "Nobody knows."] },
        { "“I was there.” Then he left.", ["“I was there.”", "Then he left."] },
        { "Is it over? “Not yet,” she said.", ["Is it over?", "“Not yet,” she said."] },
        { "They moved to the U.S. The family settled in Texas.", ["They moved to the U.S.", "The family settled in Texas."] },
        { "The vote ended at 1 a.m. Officials then went home.", ["The vote ended at 1 a.m.", "Officials then went home."] },
        { "He waited… Then the doors opened.", ["He waited…", "Then the doors opened."] },
        { "He waited... Then the doors opened.", ["He waited...", "Then the doors opened."] },
        { "It was 2023. 2024 was worse.", ["It was 2023.", "2024 was worse."] },
        { "(The report was leaked.) Officials denied it.", ["(The report was leaked.)", "Officials denied it."] },
        { "Their visit was short.“We tried,” she said.", ["Their visit was short.", "“We tried,” she said."] },
        { "It ended “badly”.Then came the vote.", ["It ended “badly”.", "Then came the vote."] },
        { "Who knew?Nobody did.", ["Who knew?", "Nobody did."] },
        {
            "Migrant activist Luis García Villagrán told the AP that Wednesday’s summit would be a meeting “between fools and fools”. “We are not trading pieces for any politician.”",
            [
                "Migrant activist Luis García Villagrán told the AP that Wednesday’s summit would be a meeting “between fools and fools”.",
                "“We are not trading pieces for any politician.”",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(SplitCases))]
    public void Splits_at_sentence_ends(string text, string[] expected)
    {
        Assert.Equal(expected, Sentences(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t ")]
    public void Blank_text_has_no_sentences(string text)
    {
        Assert.Empty(SentenceSplitter.Split(text));
    }

    [Fact]
    public void Spans_are_trimmed_ordered_disjoint_and_cover_all_text()
    {
        var texts = File.ReadAllLines(TestFiles.SeedArticle)
            .Concat(SplitCases.Select(row => (string)row[0]))
            .Append("  Leading and trailing space.   Two spaces between.  ")
            .Append("No terminal punctuation at all")
            .Append("Ends with an abbreviation like Mr.");
        foreach (var text in texts)
        {
            var spans = SentenceSplitter.Split(text);
            var previousEnd = 0;
            foreach (var span in spans)
            {
                Assert.True(span.Start >= previousEnd, $"overlap in: {text}");
                Assert.True(span.Length > 0);
                Assert.False(char.IsWhiteSpace(text[span.Start]));
                Assert.False(char.IsWhiteSpace(text[span.End - 1]));
                Assert.True(string.IsNullOrWhiteSpace(text[previousEnd..span.Start]), $"gap with text in: {text}");
                previousEnd = span.End;
            }

            Assert.True(string.IsNullOrWhiteSpace(text[previousEnd..]), $"uncovered tail in: {text}");
        }
    }

    [Fact]
    public void Long_text_without_punctuation_is_one_sentence()
    {
        var text = string.Join(' ', Enumerable.Repeat("word", 50_000));
        Assert.Equal([new CaravanBot.Retrieval.Articles.TextSpan(0, text.Length)], SentenceSplitter.Split(text));
    }
}
