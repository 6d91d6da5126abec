using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Ingestion;

namespace CaravanBot.Retrieval.Tests.Ingestion;

/// <summary>
/// Articles written for these tests (TestData/), on other topics and with other publishers'
/// boilerplate styles, so the detection is checked beyond the seed story.
/// </summary>
public class OwnArticleTests
{
    private static readonly string[] CouncilStory =
    [
        "Riverside council approves $412m budget after late-night vote",
        "Property taxes rise 3% as councillors back a new library branch and bus routes, despite objections from business groups",
        "Riverside City Council approved a $412 million budget for the coming fiscal year shortly before midnight on Tuesday, ending three weeks of tense negotiations over property taxes and public transit.",
        "The plan passed 7-2. Councillors Maria Okafor and Dev Patel voted against it, saying the 3% property tax increase would hit retirees on fixed incomes hardest.",
        "“This budget asks every household to pay a little more so that every neighbourhood gets a little more,” Mayor Helen Strand said after the vote.",
        "The largest new item is $18.5 million for a library branch in the Eastgate district, which has been without one since the old building closed in 2019. Residents there collected more than 4,000 signatures in support of the project.",
        "Transit spending rises to $61 million, funding two new bus routes and extending weekend service on Route 9 until 1 a.m. The city’s share of the regional transit authority’s costs also grows by $2.3 million.",
        "The Riverside Chamber of Commerce said it could not support the tax increase. Its president, Alan Hughes, said small businesses were “already stretched thin by rents and energy bills.”",
        "City manager Priya Nair said the budget also sets aside $4 million for road repairs, roughly half of what the public works department had requested.",
        "Asked whether the council would revisit the transit plan next year, Ms. Nair declined to comment.",
        "Residents can comment on the spending plan at a public hearing on March 14, and the final tax rate will be set in April.",
        "The budget takes effect on July 1.",
    ];

    public static TheoryData<string> CouncilFiles => ["council-budget.txt", "council-budget.html"];

    [Theory]
    [MemberData(nameof(CouncilFiles))]
    public void Council_story_keeps_exactly_the_story_paragraphs(string file)
    {
        var article = ArticleReader.ReadFile(TestFiles.TestData(file));
        Assert.Equal(CouncilStory, article.Paragraphs.Select(p => p.Text));
        Assert.Equal(ParagraphKind.Headline, article.Paragraphs[0].Kind);
        Assert.Equal(ParagraphKind.Standfirst, article.Paragraphs[1].Kind);
        Assert.All(article.Paragraphs.Skip(2), p => Assert.Equal(ParagraphKind.Body, p.Kind));
    }

    [Theory]
    [InlineData("council-budget.txt", "Share")]
    [InlineData("council-budget.txt", "Copy link")]
    [InlineData("council-budget.txt", "Advertisement")]
    [InlineData("council-budget.txt", "newsletter")]
    [InlineData("council-budget.txt", "Read more")]
    [InlineData("council-budget.txt", "subscribe for $1")]
    [InlineData("council-budget.txt", "Our reporters")]
    [InlineData("council-budget.txt", "Related articles")]
    [InlineData("council-budget.txt", "Bus drivers vote")]
    [InlineData("council-budget.txt", "What the property tax rise means")]
    [InlineData("council-budget.txt", "©")]
    [InlineData("council-budget.txt", "cookies")]
    [InlineData("council-budget.txt", "Accept all")]
    [InlineData("council-budget.html", "Skip to content")]
    [InlineData("council-budget.html", "Home")]
    [InlineData("council-budget.html", "Local politics")]
    [InlineData("council-budget.html", "Jo Mensah")]
    [InlineData("council-budget.html", "Share on")]
    [InlineData("council-budget.html", "Councillors debate the budget")]
    [InlineData("council-budget.html", "Eastgate residents rally")]
    [InlineData("council-budget.html", "Advertisement")]
    [InlineData("council-budget.html", "Sign up")]
    [InlineData("council-budget.html", "comments")]
    [InlineData("council-budget.html", "Finally some money")]
    [InlineData("council-budget.html", "Most read")]
    [InlineData("council-budget.html", "All rights reserved")]
    [InlineData("council-budget.html", "Privacy policy")]
    [InlineData("council-budget.html", "Script text")]
    [InlineData("council-budget.html", "Style text")]
    [InlineData("council-budget.html", "We use cookies")]
    [InlineData("science-robins.txt", "Advertisement")]
    [InlineData("science-robins.txt", "Read more")]
    [InlineData("science-robins.txt", "free articles")]
    [InlineData("science-robins.txt", "Subscribe")]
    [InlineData("science-robins.txt", "Join the conversation")]
    [InlineData("science-robins.txt", "23 comments")]
    [InlineData("science-robins.txt", "Follow us")]
    [InlineData("science-robins.txt", "Most read")]
    [InlineData("science-robins.txt", "Why your cat")]
    [InlineData("science-robins.txt", "Astronomers spot")]
    [InlineData("science-robins.txt", "The Science Desk")]
    public void Boilerplate_of_other_styles_is_dropped(string file, string fragment)
    {
        var article = ArticleReader.ReadFile(TestFiles.TestData(file));
        Assert.DoesNotContain(article.Paragraphs, p => p.Text.Contains(fragment, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("could not support the tax increase")]
    [InlineData("in support of the project")]
    [InlineData("The city’s share of the regional transit authority’s costs")]
    [InlineData("Ms. Nair declined to comment.")]
    [InlineData("Residents can comment on the spending plan")]
    public void Story_sentences_with_support_share_and_comment_are_kept(string fragment)
    {
        var article = ArticleReader.ReadFile(TestFiles.TestData("council-budget.txt"));
        Assert.Contains(article.Paragraphs, p => p.Text.Contains(fragment, StringComparison.Ordinal));
    }

    [Fact]
    public void Html_entities_and_nbsp_are_decoded_to_the_characters_of_the_text_version()
    {
        var article = ArticleReader.ReadFile(TestFiles.TestData("council-budget.html"));
        Assert.Contains(article.Paragraphs, p => p.Text.Contains("a $412 million budget", StringComparison.Ordinal));
        Assert.Contains(article.Paragraphs, p => p.Text.StartsWith("“This budget asks", StringComparison.Ordinal));
        Assert.DoesNotContain(article.Paragraphs, p => p.Text.Contains('\u00A0', StringComparison.Ordinal) || p.Text.Contains('&', StringComparison.Ordinal));
    }

    [Fact]
    public void Hard_wrapped_science_story_is_rejoined_into_paragraphs()
    {
        var article = ArticleReader.ReadFile(TestFiles.TestData("science-robins.txt"));
        Assert.Equal(10, article.Paragraphs.Count);
        Assert.Equal("Songbirds steer by a quantum compass, Oxford-led study suggests", article.Headline);
        Assert.Equal(ParagraphKind.Standfirst, article.Paragraphs[1].Kind);
        Assert.Equal(
            "“It is a tiny signal, far weaker than the noise from a phone charger, and yet it scrambles their compass completely,” Dr. Lindqvist said.",
            article.Paragraphs[4].Text);
        Assert.Equal("The next round of experiments, funded by a €1.2m grant, begins in September.", article.Paragraphs[^1].Text);
    }

    [Fact]
    public void Science_story_sentences_survive_abbreviations_decimals_and_urls()
    {
        var article = ArticleReader.ReadFile(TestFiles.TestData("science-robins.txt"));
        var sentences = article.Paragraphs.SelectMany(p => p.Sentences.Select(s => s.Of(p.Text))).ToList();
        Assert.Contains(
            "When the researchers switched on a weak oscillating field of about 3.5 nanotesla, the robins lost their sense of direction... and regained it as soon as the field was turned off.",
            sentences);
        Assert.Contains(
            "Some researchers favour iron-rich cells in the beak; others, e.g. the group at the U.K.’s Sussex lab, have backed the eye-protein idea for two decades.",
            sentences);
        Assert.Contains(
            "The authors have shared their raw data at https://data.example.org/robins/2024.v2 so that other labs can check the analysis.",
            sentences);
        Assert.Contains(
            "Prof. Ahmed Rahal, who was not involved, said the results were “persuasive but not the last word”, and called for the experiment to be repeated with other species.",
            sentences);
    }
}
