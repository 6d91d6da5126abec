using CaravanBot.Bot.Moderation;
using CaravanBot.Bot.Tests.Features;
using CaravanBot.Retrieval.Answering;

namespace CaravanBot.Bot.Tests.Moderation;

public sealed class CorrectionCitationsTests
{
    [Theory]
    [InlineData("¶2: sanctions on Cuba and Venezuela lifted", 2, "sanctions on Cuba and Venezuela lifted")]
    [InlineData("2: sanctions on Cuba and Venezuela", 2, "sanctions on Cuba and Venezuela")]
    [InlineData("  ¶ 4 - Blinken will meet officials in Mexico City on Wednesday.  ", 4, "Blinken will meet officials in Mexico City on Wednesday.")]
    [InlineData("¶2: “development aid” for the region", 2, "“development aid” for the region")]
    [InlineData("¶2: \"sanctions on Cuba and Venezuela\"", 2, "sanctions on Cuba and Venezuela")]
    [InlineData("¶3: “Families slept on scraps of plastic”", 3, "Families slept on scraps of plastic")]
    public void A_verbatim_quote_is_accepted_with_its_span_in_the_paragraph(string line, int paragraph, string quote)
    {
        var check = CorrectionCitations.Verify(line, TestArticle.Article);

        Assert.True(check.IsValid, check.Failure?.ToString());
        var citation = Assert.Single(check.Citations);
        Assert.Equal((paragraph, quote), (citation.Paragraph, citation.Quote));
        Assert.True(QuoteVerifier.IsVerbatim(TestArticle.Article, new Citation(citation.Paragraph, citation.Quote, citation.Start, citation.End)));
    }

    [Fact]
    public void Several_lines_keep_their_order_and_blank_lines_are_skipped()
    {
        var check = CorrectionCitations.Verify("\n¶4: Blinken will meet officials in Mexico\r\n\n¶2: Mexico wants sanctions on Cuba\n", TestArticle.Article);

        Assert.True(check.IsValid);
        Assert.Equal([(4, "Blinken will meet officials in Mexico"), (2, "Mexico wants sanctions on Cuba")], check.Citations.Select(c => (c.Paragraph, c.Quote)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \n \n")]
    public void No_citations_at_all_is_a_correction_without_quotes(string? lines)
    {
        var check = CorrectionCitations.Verify(lines, TestArticle.Article);

        Assert.True(check.IsValid);
        Assert.Empty(check.Citations);
    }

    [Theory]
    [InlineData("¶2: Mexico wants sanctions on Cuba lifted", 1, CitationProblem.NotVerbatim, 2)]
    [InlineData("¶2: mexico wants sanctions", 1, CitationProblem.NotVerbatim, 2)]
    [InlineData("¶3: Mexico wants sanctions", 1, CitationProblem.NotVerbatim, 3)]
    [InlineData("¶2: “Mexico wants sanctions on Cuba and Venezuela lifted and \"development aid\"", 1, CitationProblem.NotVerbatim, 2)]
    [InlineData("¶2: Mexico wants sanctions on Cuba\n¶4: Blinken will meet officials in Mexico City on Thursday.", 2, CitationProblem.NotVerbatim, 4)]
    [InlineData("¶2: Mexico wants", 1, CitationProblem.TooShort, 2)]
    [InlineData("¶2: a", 1, CitationProblem.NotVerbatim, 2)]
    [InlineData("¶4: on Wednesday.", 1, CitationProblem.TooShort, 4)]
    [InlineData("¶2: exico wants sanctions on Cuba and Venezuela", 1, CitationProblem.NotVerbatim, 2)]
    [InlineData("¶0: Mexico", 1, CitationProblem.NoSuchParagraph, 0)]
    [InlineData("¶5: Mexico", 1, CitationProblem.NoSuchParagraph, 5)]
    [InlineData("Mexico wants sanctions", 1, CitationProblem.Format, 0)]
    [InlineData("¶2 Mexico wants sanctions", 1, CitationProblem.Format, 0)]
    [InlineData("¶2:", 1, CitationProblem.Format, 0)]
    [InlineData("\n\n¶two: Mexico", 3, CitationProblem.Format, 0)]
    public void Anything_not_verbatim_is_refused_naming_the_first_failed_line(string lines, int line, CitationProblem problem, int paragraph)
    {
        var check = CorrectionCitations.Verify(lines, TestArticle.Article);

        Assert.False(check.IsValid);
        Assert.Empty(check.Citations);
        Assert.Equal((line, problem, paragraph), (check.Failure!.Line, check.Failure.Problem, check.Failure.Paragraph));
    }

    [Fact]
    public void More_than_ten_citations_are_refused()
    {
        var lines = string.Join('\n', Enumerable.Repeat("¶2: Mexico wants sanctions on Cuba", 11));

        var check = CorrectionCitations.Verify(lines, TestArticle.Article);

        Assert.Equal((11, CitationProblem.Format), (check.Failure!.Line, check.Failure.Problem));
    }
}
