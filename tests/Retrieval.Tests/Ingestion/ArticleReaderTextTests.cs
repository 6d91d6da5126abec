using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Ingestion;

namespace CaravanBot.Retrieval.Tests.Ingestion;

public class ArticleReaderTextTests
{
    private static string[] Texts(Article article) => [.. article.Paragraphs.Select(p => p.Text)];

    [Fact]
    public void Blank_line_separated_hard_wrapped_blocks_are_joined_with_a_space()
    {
        const string text = """
            Harbour ferry fares to rise in spring

            Operators blame fuel costs and say timetables will not change

            The harbour authority confirmed on Monday that single fares on all
            three ferry routes will rise by 40 cents from April, the first
            increase in four years.

            Commuters who buy monthly passes will pay 5% more. The authority
            said it had looked at cutting evening sailings instead but decided
            against it after a public consultation.
            """;
        var article = ArticleReader.ReadText(text, "ferry.txt");
        Assert.Equal(
            [
                "Harbour ferry fares to rise in spring",
                "Operators blame fuel costs and say timetables will not change",
                "The harbour authority confirmed on Monday that single fares on all three ferry routes will rise by 40 cents from April, the first increase in four years.",
                "Commuters who buy monthly passes will pay 5% more. The authority said it had looked at cutting evening sailings instead but decided against it after a public consultation.",
            ],
            Texts(article));
        Assert.Equal([ParagraphKind.Headline, ParagraphKind.Standfirst, ParagraphKind.Body, ParagraphKind.Body], article.Paragraphs.Select(p => p.Kind));
    }

    [Fact]
    public void A_short_headline_block_in_wrapped_text_keeps_its_lines_apart()
    {
        const string text = """
            Harbour ferry fares to rise in spring
            Operators blame fuel costs

            The harbour authority confirmed on Monday that single fares on all
            three ferry routes will rise by 40 cents from April, the first
            increase in four years.
            """;
        var article = ArticleReader.ReadText(text, "ferry.txt");
        Assert.Equal("Harbour ferry fares to rise in spring", article.Paragraphs[0].Text);
        Assert.Equal("Operators blame fuel costs", article.Paragraphs[1].Text);
        Assert.Equal(3, article.Paragraphs.Count);
    }

    [Fact]
    public void Blank_lines_between_one_line_paragraphs_do_not_join_them()
    {
        const string text = """
            Harbour ferry fares to rise in spring

            The harbour authority confirmed on Monday that single fares will rise by 40 cents.
            Commuters who buy monthly passes will pay 5% more.
            The authority said evening sailings would not be cut.
            """;
        var article = ArticleReader.ReadText(text, "ferry.txt");
        Assert.Equal(4, article.Paragraphs.Count);
        Assert.Equal("Commuters who buy monthly passes will pay 5% more.", article.Paragraphs[2].Text);
    }

    [Theory]
    [InlineData("Harbour fares rise\nThe authority confirmed the rise on Monday.\nPasses cost 5% more.", ParagraphKind.Body)]
    [InlineData("Harbour fares rise\nOperators blame fuel costs and a weak currency\nPasses cost 5% more.", ParagraphKind.Standfirst)]
    public void Second_line_is_a_standfirst_only_when_it_reads_like_one(string text, ParagraphKind expected)
    {
        var article = ArticleReader.ReadText(text, "t.txt");
        Assert.Equal(ParagraphKind.Headline, article.Paragraphs[0].Kind);
        Assert.Equal(expected, article.Paragraphs[1].Kind);
    }

    [Fact]
    public void Zero_width_and_control_characters_are_removed_and_spaces_normalised()
    {
        const string text = "Harbour\u200B fares\u2060 rise\n" +
            "The\u00A0authority\t\tconfirmed   the rise\u0007 on\u200D Monday.\uFEFF\n" +
            "Passes\u200C cost 5% more.\u0000";
        var article = ArticleReader.ReadText(text, "t.txt");
        Assert.Equal(["Harbour fares rise", "The authority confirmed the rise on Monday.", "Passes cost 5% more."], Texts(article));
    }

    [Fact]
    public void Lines_with_only_invisible_characters_count_as_blank()
    {
        var article = ArticleReader.ReadText("Harbour fares rise\n\u200B\u00A0\n\nThe authority confirmed the rise on Monday.", "t.txt");
        Assert.Equal(2, article.Paragraphs.Count);
    }

    [Fact]
    public void Curly_quotes_accents_and_dashes_are_kept_exactly()
    {
        const string body = "“Ça suffit,” said Zoë Ñúñez — the café’s owner — on Monday.";
        var article = ArticleReader.ReadText("Café owners protest\n" + body, "t.txt");
        Assert.Equal(body, article.Paragraphs[1].Text);
    }

    [Fact]
    public void A_very_long_line_is_read_quickly()
    {
        var sentence = "The committee met again on Thursday and heard from residents about the plan. ";
        // As long as an article may be (ArticleLimits.MaxCharacters).
        var longLine = string.Concat(Enumerable.Repeat(sentence, 6_000));
        var article = ArticleReader.ReadText("Committee meets\n" + longLine + "\nComments", "long.txt");
        Assert.Equal(2, article.Paragraphs.Count);
        Assert.Equal(6_000, article.Paragraphs[1].Sentences.Count);
    }

    [Fact]
    public void A_paragraph_of_appeal_sentences_goes_even_without_a_heading()
    {
        const string text = """
            Harbour fares rise
            The authority confirmed the rise on Monday, citing fuel costs.
            We rely on readers like you. Our journalism is free for everyone, and your contribution keeps it that way.
            Passes will cost 5% more from April.
            """;
        var article = ArticleReader.ReadText(text, "t.txt");
        Assert.DoesNotContain(article.Paragraphs, p => p.Text.Contains("readers like you", StringComparison.Ordinal));
        Assert.Equal(3, article.Paragraphs.Count);
    }

    [Fact]
    public void Reader_addressed_story_text_after_an_ad_label_is_kept()
    {
        const string text = """
            Bin collections move to Tuesday
            Collections across the city move to Tuesday next week because of the bank holiday.
            Advertisement
            If you live in Eastgate, your bins will be collected on Tuesday.
            The council apologised for the change.
            """;
        var article = ArticleReader.ReadText(text, "t.txt");
        Assert.Equal("If you live in Eastgate, your bins will be collected on Tuesday.", article.Paragraphs[2].Text);
        Assert.Equal(4, article.Paragraphs.Count);
    }

    [Fact]
    public void A_story_paragraph_naming_the_publisher_as_a_source_is_kept()
    {
        const string text = """
            Harbour fares rise
            The authority confirmed the rise on Monday, citing fuel costs.
            A spokesperson told the Harbour Herald that no routes would close.
            Join the conversation
            Follow other Harbour Herald readers and see their replies
            © 2024 Harbour Herald
            """;
        var article = ArticleReader.ReadText(text, "t.txt");
        Assert.Equal("A spokesperson told the Harbour Herald that no routes would close.", article.Paragraphs[^1].Text);
    }

    [Fact]
    public void Plain_text_that_looks_like_html_is_parsed_as_html_from_a_reader()
    {
        var article = ArticleReader.ReadFrom(
            new StringReader("<!DOCTYPE html><html><body><h1>Ferry fares rise</h1><p>The authority confirmed the rise on Monday.</p></body></html>"),
            ArticleReader.StandardInputSource);
        Assert.Equal(["Ferry fares rise", "The authority confirmed the rise on Monday."], Texts(article));
    }

    [Fact]
    public void Dash_reads_standard_input()
    {
        var original = Console.In;
        try
        {
            Console.SetIn(new StringReader("Ferry fares rise\nThe authority confirmed the rise on Monday."));
            var article = ArticleReader.ReadFile("-");
            Assert.Equal("stdin", article.Source);
            Assert.Equal(2, article.Paragraphs.Count);
        }
        finally
        {
            Console.SetIn(original);
        }
    }
}
