using System.Diagnostics;
using System.Text;
using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Ingestion;

namespace CaravanBot.Retrieval.Tests.Ingestion;

/// <summary>The seed article as shipped with the bot: a copy-paste of an Independent story with its appeals and comment footer.</summary>
public class SeedArticleTests
{
    private static readonly Lazy<Article> Seed = new(() => ArticleReader.ReadFile(TestFiles.SeedArticle));

    [Fact]
    public void The_default_article_is_an_unchanged_copy_of_the_newsroom_file()
    {
        var original = TestFiles.SharedSeedArticle();

        Assert.NotNull(original);
        Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(TestFiles.SeedArticle));
    }

    [Fact]
    public void Headline_is_paragraph_one()
    {
        var p1 = Seed.Value.GetParagraph(1)!;
        Assert.Equal("8,000-strong migrant caravan heads for US border", p1.Text);
        Assert.Equal(ParagraphKind.Headline, p1.Kind);
        Assert.Equal(p1.Text, Seed.Value.Headline);
    }

    [Fact]
    public void Standfirst_is_paragraph_two()
    {
        var p2 = Seed.Value.GetParagraph(2)!;
        Assert.Equal(ParagraphKind.Standfirst, p2.Kind);
        Assert.StartsWith("Blinken heading to Mexico to discuss border crisis", p2.Text, StringComparison.Ordinal);
        Assert.EndsWith("in southern Mexico", p2.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Glued_appeal_is_cut_from_the_lede()
    {
        var p3 = Seed.Value.GetParagraph(3)!;
        Assert.Equal(ParagraphKind.Body, p3.Kind);
        Assert.StartsWith("A vast caravan of thousands of migrants", p3.Text, StringComparison.Ordinal);
        Assert.EndsWith("critical talks on the immigration crisis.", p3.Text, StringComparison.Ordinal);
    }

    /// <summary>
    /// 24 lines: headline, standfirst, four appeal lines, the glued appeal+lede line, 14 more story
    /// lines and three comment-forum lines. Kept: headline, standfirst and 15 body paragraphs.
    /// </summary>
    [Fact]
    public void Keeps_headline_standfirst_and_fifteen_body_paragraphs()
    {
        var paragraphs = Seed.Value.Paragraphs;
        Assert.Equal(17, paragraphs.Count);
        Assert.Equal(15, paragraphs.Count(p => p.Kind == ParagraphKind.Body));
        Assert.Equal("Immigration reform has been deadlocked in Washington DC as Republicans in Congress have sought to tie aid to Ukraine and Israel to tougher border security.", paragraphs[^1].Text);
    }

    [Theory]
    [InlineData("Your support")]
    [InlineData("donation")]
    [InlineData("paywalls")]
    [InlineData("commenting forum")]
    [InlineData("thought-provoking")]
    [InlineData("The Independent")]
    [InlineData("reproductive rights")]
    [InlineData("quality journalism")]
    [InlineData("makes all the difference")]
    public void Drops_every_boilerplate_line(string fragment)
    {
        Assert.DoesNotContain(Seed.Value.Paragraphs, p => p.Text.Contains(fragment, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Drops_the_bare_comments_label()
    {
        Assert.DoesNotContain(Seed.Value.Paragraphs, p => p.Text.Trim() == "Comments");
    }

    [Fact]
    public void Every_kept_paragraph_is_verbatim_from_the_file()
    {
        var original = File.ReadAllText(TestFiles.SeedArticle);
        Assert.All(Seed.Value.Paragraphs, p => Assert.Contains(p.Text, original, StringComparison.Ordinal));
    }

    [Fact]
    public void Story_lines_with_quotes_and_accents_are_kept_exactly()
    {
        var texts = Seed.Value.Paragraphs.Select(p => p.Text).ToList();
        Assert.Contains("“We are not trading pieces for any politician.”", texts);
        Assert.Contains("“We are going to help, as we always do,” the Mexican president said this week.", texts);
        Assert.Contains(texts, t => t.StartsWith("Mr López Obrador has said", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("Luis García Villagrán", StringComparison.Ordinal));
    }

    [Fact]
    public void Paragraphs_are_numbered_in_reading_order()
    {
        var paragraphs = Seed.Value.Paragraphs;
        Assert.Equal(Enumerable.Range(1, paragraphs.Count), paragraphs.Select(p => p.Number));
        var original = File.ReadAllText(TestFiles.SeedArticle);
        var positions = paragraphs.Select(p => original.IndexOf(p.Text, StringComparison.Ordinal)).ToList();
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void Numbering_is_stable_across_reads()
    {
        var first = ArticleReader.ReadFile(TestFiles.SeedArticle);
        var second = ArticleReader.ReadFile(TestFiles.SeedArticle);
        Assert.Equal(first.Paragraphs.Count, second.Paragraphs.Count);
        for (var i = 0; i < first.Paragraphs.Count; i++)
        {
            Assert.Equal(first.Paragraphs[i].Number, second.Paragraphs[i].Number);
            Assert.Equal(first.Paragraphs[i].Text, second.Paragraphs[i].Text);
            Assert.Equal(first.Paragraphs[i].Kind, second.Paragraphs[i].Kind);
            Assert.Equal(first.Paragraphs[i].Sentences, second.Paragraphs[i].Sentences);
        }
    }

    [Fact]
    public void Windows_line_endings_and_a_byte_order_mark_change_nothing()
    {
        var text = File.ReadAllText(TestFiles.SeedArticle);
        var windows = "\uFEFF" + text.Replace("\n", "\r\n", StringComparison.Ordinal);
        var fromWindows = ArticleReader.ReadText(windows, "windows.txt");
        Assert.Equal(Seed.Value.Paragraphs.Select(p => p.Text), fromWindows.Paragraphs.Select(p => p.Text));
    }

    [Fact]
    public void Quotes_are_single_sentences_with_their_quotation_marks()
    {
        var quote = Seed.Value.Paragraphs.Single(p => p.Text.StartsWith("“We are not trading", StringComparison.Ordinal));
        Assert.Equal(new TextSpan(0, quote.Text.Length), Assert.Single(quote.Sentences));

        var attributed = Seed.Value.Paragraphs.Single(p => p.Text.StartsWith("“We are going to help", StringComparison.Ordinal));
        Assert.Single(attributed.Sentences);
    }

    [Fact]
    public void Source_is_the_path_read()
    {
        Assert.Equal(TestFiles.SeedArticle, Seed.Value.Source);
    }

    [Fact]
    public void Reading_the_seed_article_takes_well_under_ten_milliseconds_when_warm()
    {
        ArticleReader.ReadFile(TestFiles.SeedArticle);
        var timings = new List<double>();
        for (var i = 0; i < 21; i++)
        {
            var watch = Stopwatch.StartNew();
            ArticleReader.ReadFile(TestFiles.SeedArticle);
            timings.Add(watch.Elapsed.TotalMilliseconds);
        }

        var median = timings.Order().ElementAt(timings.Count / 2);
        Assert.True(median < 10, $"median {median:F2} ms");
    }

    [Fact]
    public void Standard_input_is_read_as_text()
    {
        var text = File.ReadAllText(TestFiles.SeedArticle, Encoding.UTF8);
        var article = ArticleReader.ReadFrom(new StringReader(text), ArticleReader.StandardInputSource);
        Assert.Equal("stdin", article.Source);
        Assert.Equal(Seed.Value.Paragraphs.Select(p => p.Text), article.Paragraphs.Select(p => p.Text));
    }
}
