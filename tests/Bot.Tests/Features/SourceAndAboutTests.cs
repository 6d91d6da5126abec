using System.Text.Json.Nodes;

namespace CaravanBot.Bot.Tests.Features;

public sealed class SourceAndAboutTests : IDisposable
{
    private readonly FeatureHarness _bot = new();

    public void Dispose() => _bot.Dispose();

    private static System.Text.Json.JsonElement Source(long paragraph) =>
        DiscordPayloads.SlashCommand("source", ("paragraph", 4, JsonValue.Create(paragraph)));

    [Theory]
    [InlineData(1, TestArticle.Headline)]
    [InlineData(3, TestArticle.Families)]
    [InlineData(4, TestArticle.Blinken)]
    public async Task Source_shows_the_paragraph_ephemerally(int paragraph, string text)
    {
        await _bot.InteractionAsync(Source(paragraph));

        var call = _bot.Single();
        Assert.Equal(4, call.CallbackType);
        var message = call.Message;
        Assert.Equal(64, message.Flags());
        message.AssertPingsNobody();
        var embed = message.Embed();
        Assert.Equal($"¶{paragraph} of 4", embed.Title());
        Assert.Equal(text, MessageJson.Unescape(embed.Description()));
        Assert.Empty(message.Buttons());
        Assert.Empty(_bot.Answers.Questions);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(-3)]
    [InlineData(99_999_999_999)]
    public async Task Source_out_of_range_is_a_polite_ephemeral_error_naming_the_range(long paragraph)
    {
        await _bot.InteractionAsync(Source(paragraph));

        var message = _bot.Single().Message;
        Assert.Equal(64, message.Flags());
        Assert.Equal($"There is no ¶{paragraph} in this article: its paragraphs run from ¶1 to ¶4.", message.Content());
        Assert.False(message.TryGetProperty("embeds", out _));
    }

    [Fact]
    public async Task The_show_paragraph_button_answers_with_that_paragraph_ephemerally()
    {
        await _bot.InteractionAsync(DiscordPayloads.Button("src:2"));

        var call = _bot.Single();
        Assert.Equal(("POST", "/interactions/7000/interaction-token-abc/callback"), (call.Method, call.Route));
        Assert.Equal(4, call.CallbackType);
        Assert.Equal(64, call.Message.Flags());
        var embed = call.Message.Embed();
        Assert.Equal("¶2 of 4", embed.Title());
        Assert.Equal(TestArticle.Mexico, embed.Description());
        Assert.Equal($"From “{TestArticle.Headline}”", embed.Footer());
    }

    [Fact]
    public async Task A_button_for_a_paragraph_the_article_no_longer_has_gets_the_range_error()
    {
        await _bot.InteractionAsync(DiscordPayloads.Button("src:12"));

        var message = _bot.Single().Message;
        Assert.Equal(64, message.Flags());
        Assert.Equal("There is no ¶12 in this article: its paragraphs run from ¶1 to ¶4.", message.Content());
    }

    [Fact]
    public async Task About_names_the_headline_paragraph_count_mode_and_how_answers_are_built()
    {
        await _bot.InteractionAsync(DiscordPayloads.SlashCommand("about"));

        var call = _bot.Single();
        Assert.Equal(4, call.CallbackType);
        Assert.Equal(64, call.Message.Flags());
        call.Message.AssertPingsNobody();
        var text = call.Message.Embed().Description();
        Assert.Contains($"**{TestArticle.Headline}**", text, StringComparison.Ordinal);
        Assert.Contains("It has 4 paragraphs, numbered ¶1 to ¶4", text, StringComparison.Ordinal);
        Assert.Contains("Answer mode: extractive quotes, offline.", text, StringComparison.Ordinal);
        Assert.Contains("quoted word for word", text, StringComparison.Ordinal);
        Assert.DoesNotContain("{", text, StringComparison.Ordinal);
        Assert.Empty(_bot.Answers.Questions);
    }

    [Fact]
    public async Task About_says_who_wrote_the_story_when_and_where_when_the_page_said_so()
    {
        var article = TestArticle.Article with
        {
            Metadata = new CaravanBot.Retrieval.Articles.ArticleMetadata
            {
                Byline = "Jane *Doe*",
                Published = new DateTimeOffset(2019, 11, 18, 9, 30, 0, TimeSpan.Zero),
                Publisher = "The Harbour Herald",
                CanonicalUrl = "https://herald.example/2019/11/caravan",
            },
        };
        using var bot = new FeatureHarness(article: article);

        await bot.InteractionAsync(DiscordPayloads.SlashCommand("about"));

        var text = bot.Single().Message.Embed().Description();
        Assert.Contains("By Jane \\*Doe\\* · published 18 November 2019 · in The Harbour Herald · https://herald.example/2019/11/caravan", text, StringComparison.Ordinal);
        Assert.DoesNotContain("{", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task About_leaves_out_the_source_line_when_the_page_said_nothing_about_the_story()
    {
        await _bot.InteractionAsync(DiscordPayloads.SlashCommand("about"));

        var lines = _bot.Single().Message.Embed().Description().Split('\n');
        Assert.StartsWith("I answer questions about one article:", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("It has 4 paragraphs", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Source_and_about_do_not_count_against_the_question_limit()
    {
        using var bot = new FeatureHarness(o => o.QuestionsPerMinute = 1);

        for (var i = 0; i < 5; i++)
        {
            await bot.InteractionAsync(Source(2));
            await bot.InteractionAsync(DiscordPayloads.SlashCommand("about"));
            await bot.InteractionAsync(DiscordPayloads.Button("src:3"));
        }

        await bot.InteractionAsync(DiscordPayloads.SlashCommand("ask", ("question", 3, JsonValue.Create("What does Mexico want?"))));

        Assert.Single(bot.Answers.Questions);
        Assert.DoesNotContain(bot.Rest.Calls, c => c.Message.Content()?.Contains("questions a minute", StringComparison.Ordinal) == true);
    }
}
