using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Ingestion;

namespace CaravanBot.Retrieval.Tests.Ingestion;

public class ArticleReaderHtmlTests
{
    private static string[] Texts(Article article) => [.. article.Paragraphs.Select(p => p.Text)];

    [Fact]
    public void Page_without_paragraph_elements_is_read_from_its_blocks()
    {
        const string html = """
            <html><body>
            <div class="top"><h1>Ferry fares rise</h1></div>
            <div class="content">The authority confirmed the rise on Monday.<br><br>Passes will cost 5% more from April.</div>
            <div>Share this article</div>
            </body></html>
            """;
        var article = ArticleReader.ReadHtml(html, "page.html");
        Assert.Equal(["Ferry fares rise", "The authority confirmed the rise on Monday.", "Passes will cost 5% more from April."], Texts(article));
    }

    [Fact]
    public void Malformed_markup_still_gives_the_story()
    {
        const string html = "<html><body><article><h1>Ferry fares rise<p>The authority confirmed the rise on Monday.<p>Passes will <b>cost 5% more from April.</article><footer><p>© 2024 Harbour Herald";
        var article = ArticleReader.ReadHtml(html, "page.html");
        Assert.Contains("The authority confirmed the rise on Monday.", Texts(article));
        Assert.Contains("Passes will cost 5% more from April.", Texts(article));
        Assert.DoesNotContain(article.Paragraphs, p => p.Text.Contains('©', StringComparison.Ordinal));
    }

    /// <summary>
    /// The meta description is not text of the page, and on the benchmark's real pages it mostly
    /// repeats or rewords the lede: taking it as the standfirst cost 0.015 F1. An unpunctuated
    /// summary line opening the story is the standfirst instead, as in plain text.
    /// </summary>
    [Fact]
    public void Headline_falls_back_to_og_title_and_the_meta_description_is_not_indexed()
    {
        const string html = """
            <!doctype html><html><head>
            <title>Ferry fares rise | Harbour Herald</title>
            <meta property="og:title" content="Ferry fares rise">
            <meta name="description" content="Operators blame fuel costs and a weak currency">
            </head><body><main>
            <p>Passengers will pay more to cross the harbour from April</p>
            <p>The authority confirmed the rise on Monday.</p>
            <p>Passes will cost 5% more from April.</p>
            </main></body></html>
            """;
        var article = ArticleReader.ReadHtml(html, "page.html");
        Assert.Equal(
            [
                ("Ferry fares rise", ParagraphKind.Headline),
                ("Passengers will pay more to cross the harbour from April", ParagraphKind.Standfirst),
                ("The authority confirmed the rise on Monday.", ParagraphKind.Body),
                ("Passes will cost 5% more from April.", ParagraphKind.Body),
            ],
            article.Paragraphs.Select(p => (p.Text, p.Kind)));
    }

    [Fact]
    public void Title_suffix_is_dropped_when_there_is_no_h1()
    {
        const string html = "<html><head><title>Ferry fares rise | Harbour Herald</title></head><body><p>The authority confirmed the rise on Monday.</p></body></html>";
        Assert.Equal("Ferry fares rise", ArticleReader.ReadHtml(html, "page.html").Headline);
    }

    [Fact]
    public void A_description_that_repeats_the_lede_is_not_a_standfirst()
    {
        const string html = """
            <html><head><meta name="description" content="The authority confirmed the rise on Monday."></head>
            <body><article><h1>Ferry fares rise</h1><p>The authority confirmed the rise on Monday.</p><p>Passes will cost 5% more.</p></article></body></html>
            """;
        var article = ArticleReader.ReadHtml(html, "page.html");
        Assert.Equal(["Ferry fares rise", "The authority confirmed the rise on Monday.", "Passes will cost 5% more."], Texts(article));
    }

    [Fact]
    public void Subheading_right_after_the_headline_is_the_standfirst()
    {
        const string html = """
            <html><body><article>
            <h1>Ferry fares rise</h1><h2>Operators blame fuel costs and a weak currency</h2>
            <p>The authority confirmed the rise on Monday.</p>
            <h2>What happens next</h2>
            <p>Passes will cost 5% more from April.</p>
            </article></body></html>
            """;
        var article = ArticleReader.ReadHtml(html, "page.html");
        Assert.Equal(ParagraphKind.Standfirst, article.Paragraphs[1].Kind);
        Assert.Equal("Operators blame fuel costs and a weak currency", article.Paragraphs[1].Text);
    }

    [Fact]
    public void A_byline_and_date_stamp_in_summary_markup_is_not_the_standfirst()
    {
        const string html = """
            <html><body><article>
            <h1>PG&amp;E begins new mass power shutoff</h1>
            <div class="article-summary">JANIE HAR Nov. 20, 2019Updated: Nov. 20, 2019 1:35 a.m.</div>
            <p>The utility was set to begin shutting off power on Wednesday to some 375,000 people.</p>
            <p>Forecasts called for low humidity and strong winds in the north of the state.</p>
            </article></body></html>
            """;
        var article = ArticleReader.ReadHtml(html, "page.html");

        Assert.DoesNotContain(article.Paragraphs, p => p.Text.Contains("Updated", StringComparison.Ordinal));
        Assert.StartsWith("The utility was set", article.Paragraphs[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_longest_article_wins_over_teaser_articles()
    {
        const string html = """
            <html><body>
            <article class="teaser"><h2>Other story</h2><p>Short teaser.</p></article>
            <article><h1>Ferry fares rise</h1><p>The authority confirmed the rise on Monday, citing fuel costs and wages.</p><p>Passes will cost 5% more from April.</p></article>
            </body></html>
            """;
        var article = ArticleReader.ReadHtml(html, "page.html");
        Assert.Equal(["Ferry fares rise", "The authority confirmed the rise on Monday, citing fuel costs and wages.", "Passes will cost 5% more from April."], Texts(article));
    }

    [Fact]
    public void A_share_class_on_the_story_wrapper_does_not_hide_the_story()
    {
        const string html = """
            <html><body><article><h1>Ferry fares rise</h1>
            <div class="body js-share-tracking">
            <p>The authority confirmed the rise on Monday.</p><p>Passes will cost 5% more from April.</p><p>Evening sailings stay.</p>
            </div>
            <div class="share"><p>Share on Facebook</p></div>
            </article></body></html>
            """;
        var article = ArticleReader.ReadHtml(html, "page.html");
        Assert.Equal(4, article.Paragraphs.Count);
    }

    [Fact]
    public void Hidden_and_zero_width_content_is_removed()
    {
        const string html = """
            <html><body><article><h1>Ferry&#8203; fares rise</h1>
            <p>The authority&nbsp;confirmed the rise on&#x200D; Monday.</p>
            <p hidden>Hidden text.</p><p style="display:none">Also hidden.</p><span class="sr-only">Opens in a new window</span>
            </article></body></html>
            """;
        var article = ArticleReader.ReadHtml(html, "page.html");
        Assert.Equal(["Ferry fares rise", "The authority confirmed the rise on Monday."], Texts(article));
    }

    [Fact]
    public void Page_with_only_furniture_has_no_story()
    {
        const string html = "<html><body><nav><a href='/'>Home</a></nav><footer><p>© 2024 Harbour Herald</p></footer></body></html>";
        Assert.Throws<ArticleLoadException>(() => ArticleReader.ReadHtml(html, "page.html"));
    }
}

/// <summary>Blocks of real news pages that are not story: advertisers' link lists and section labels.</summary>
public class HtmlPageFurnitureTests
{
    private const string Story = """
        <p>Mexico will join talks with the United States on the migrant caravan, officials in Mexico City said on Tuesday.</p>
        <p>The caravan, which set off from Tapachula on Christmas Eve, is thought to number about 8,000 people, many of them families.</p>
        <p>Secretary of State Antony Blinken will lead the US delegation, the State Department said.</p>
        """;

    private const string MoreStory = """
        <p>Mexican officials said they wanted the talks to cover development aid for the region as well as border enforcement.</p>
        <p>The first meeting is expected on Wednesday.</p>
        """;

    [Theory]
    [InlineData("""<div class="offers"><h3>Sponsored</h3><ul><li><a href="https://ads.example/1">The Best Credit Cards Of 2019</a></li><li><a href="https://ads.example/2">Best Business Credit Cards</a></li><li><a href="https://ads.example/3">Best Rewards Credit Cards</a></li></ul></div>""")]
    [InlineData("""<div class="box"><p>Partner offers</p><p>The Best Credit Cards Of 2019</p><p>Best Business Credit Cards</p><p>Best Rewards Credit Cards</p></div>""")]
    [InlineData("""<aside><h4>Compare credit cards</h4><a href="https://ads.example/1">Cards with 0% interest</a> <a href="https://ads.example/2">Cards for bad credit</a></aside>""")]
    public void A_sponsored_link_list_inside_the_story_does_not_become_paragraphs(string offers)
    {
        var html = $"<html><head><title>Mexico to join caravan talks</title></head><body><article><h1>Mexico to join caravan talks</h1>{Story}{offers}{MoreStory}</article></body></html>";

        var article = ArticleReader.ReadHtml(html, "page.html");

        Assert.DoesNotContain(article.Paragraphs, p => p.Text.Contains("Credit Cards", StringComparison.OrdinalIgnoreCase) || p.Text.Contains("Cards ", StringComparison.Ordinal));
        Assert.DoesNotContain(article.Paragraphs, p => p.Text is "Sponsored" or "Partner offers");
        Assert.Equal("The first meeting is expected on Wednesday.", article.Paragraphs[^1].Text);
        Assert.Equal(6, article.Paragraphs.Count);
    }

    [Theory]
    [InlineData("""<a class="section-link" href="/news/world/us_and_canada">US &amp; Canada</a>""")]
    [InlineData("""<span class="kicker">US &amp; Canada</span>""")]
    [InlineData("""<p>US &amp; Canada</p>""")]
    public void A_section_label_is_not_kept_as_a_paragraph(string label)
    {
        var html = $"<html><head><title>Mexico to join caravan talks</title></head><body><article>{label}<h1>Mexico to join caravan talks</h1>{Story}{MoreStory}</article></body></html>";

        var article = ArticleReader.ReadHtml(html, "page.html");

        Assert.Equal("Mexico to join caravan talks", article.Paragraphs[0].Text);
        Assert.DoesNotContain(article.Paragraphs, p => p.Text.Contains("Canada", StringComparison.Ordinal));
    }
}

/// <summary>Where the story is on the page, and what happens when no container holds it.</summary>
public class HtmlStoryLocationTests
{
    private static readonly string[] StoryParagraphs =
    [
        "The harbour authority confirmed on Monday that ferry fares will rise by five per cent from April, blaming fuel costs and a weak currency.",
        "Season tickets for commuters will cost £40 more a year, and the cheapest single fare goes up to £3.20, the authority said in a statement.",
        "Operators said the rise was the first in three years and promised that no services would be cut before the summer timetable begins.",
        "Passenger groups called the increase unfair and said they would ask the regional assembly to review the authority's budget next month.",
    ];

    private static string Paragraphs => string.Concat(StoryParagraphs.Select(p => $"<p>{p}</p>"));

    [Fact]
    public void A_story_in_a_section_beside_teaser_articles_is_read_and_the_teasers_are_not()
    {
        var teasers = string.Concat(Enumerable.Range(1, 6).Select(i =>
            $"<article class=\"card\"><h3><a href=\"/story-{i}\">Top story number {i} about something else entirely</a></h3><p>A short summary of story {i}.</p></article>"));
        var html = $"""
            <html><head><title>Ferry fares rise</title></head><body>
            <section class="story-body"><h1>Ferry fares rise</h1>{Paragraphs}</section>
            <section class="top-stories"><h2>Top stories</h2>{teasers}</section>
            </body></html>
            """;

        var article = ArticleReader.ReadHtml(html, "page.html");

        Assert.Equal(["Ferry fares rise", .. StoryParagraphs], article.Paragraphs.Select(p => p.Text));
    }

    [Fact]
    public void A_story_in_a_container_named_as_furniture_is_still_read()
    {
        var html = $"""
            <html><head><title>Ferry fares rise</title></head><body>
            <div class="sidebar-widget"><h1>Ferry fares rise</h1>{Paragraphs}</div>
            <div class="related"><a href="/a">Another story</a></div>
            </body></html>
            """;

        var article = ArticleReader.ReadHtml(html, "page.html");

        Assert.Equal(StoryParagraphs, article.Paragraphs.Where(p => p.Kind == ParagraphKind.Body).Select(p => p.Text));
    }

    [Fact]
    public void The_last_proposal_is_the_whole_page_text_with_furniture_elements_included()
    {
        var html = $"""
            <html><head><title>Ferry fares rise</title></head><body>
            <nav><a href="/">Home</a></nav>
            <article><h1>Ferry fares rise</h1><p>Subscribe to our newsletter for the latest news.</p></article>
            <aside class="related">{Paragraphs}</aside>
            </body></html>
            """;

        var last = HtmlArticleExtractor.Extract(html).Proposals[^1].Value;

        Assert.Equal(HtmlArticleExtractor.WholePageExtractor, last.Extractor);
        Assert.Equal(StoryParagraphs, last.Paragraphs.Where(p => p.Kind == ParagraphKind.Body && p.Text.Length > 100).Select(p => p.Text));
    }

    [Fact]
    public void A_publisher_writing_about_itself_is_still_read_rather_than_lost()
    {
        const string text = """
            Our September open thread
            Our goal with hosting quarterly open threads is to give our readers an opportunity to publicly raise comments or questions about our work.
            As always, you are also welcome to email us or to request a call with our staff if you have feedback you would prefer to discuss privately.
            """;

        var article = ArticleReader.ReadText(text, "blog.txt");

        Assert.Contains(article.Paragraphs, p => p.Kind == ParagraphKind.Body && p.Text.StartsWith("Our goal with hosting", StringComparison.Ordinal));
        Assert.Contains("set aside", article.Ingestion.Extractor, StringComparison.Ordinal);
    }

    [Fact]
    public void Byline_date_publisher_and_address_come_from_the_page_metadata_and_are_not_paragraphs()
    {
        var html = $$$"""
            <html><head><title>Ferry fares rise | Harbour Herald</title>
            <link rel="canonical" href="https://herald.example/2019/11/ferry-fares">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Herald site"},
              {"@type":"NewsArticle","headline":"Ferry fares rise","datePublished":"2019-11-18T09:30:00+00:00",
               "author":[{"@type":"Person","name":"Jane Doe"},{"@type":"Person","name":"John Roe"}],
               "publisher":{"@type":"Organization","name":"Harbour Herald"}}]}</script>
            </head><body><article><h1>Ferry fares rise</h1><p class="byline">By Jane Doe and John Roe</p>
            <p><time datetime="2019-11-18">18 November 2019</time></p>{{{Paragraphs}}}</article></body></html>
            """;

        var article = ArticleReader.ReadHtml(html, "page.html");

        Assert.Equal("Jane Doe and John Roe", article.Metadata.Byline);
        Assert.Equal(new DateTimeOffset(2019, 11, 18, 9, 30, 0, TimeSpan.Zero), article.Metadata.Published);
        Assert.Equal("Harbour Herald", article.Metadata.Publisher);
        Assert.Equal("https://herald.example/2019/11/ferry-fares", article.Metadata.CanonicalUrl);
        Assert.Equal(["Ferry fares rise", .. StoryParagraphs], article.Paragraphs.Select(p => p.Text));
    }
}
