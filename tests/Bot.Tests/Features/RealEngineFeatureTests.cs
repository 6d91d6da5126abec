using System.Text.Json.Nodes;
using CaravanBot.Retrieval;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace CaravanBot.Bot.Tests.Features;

/// <summary>The seed article, as the bot's output folder holds it, indexed once by the real engine.</summary>
public sealed class SeedArticleFixture : IDisposable
{
    private readonly ServiceProvider _services;

    public SeedArticleFixture()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "articles", "caravan.txt");
        Assert.True(File.Exists(path), $"the bot should copy the seed article to {path}");
        _services = new ServiceCollection().AddCaravanRetrieval().BuildServiceProvider();
        Article = ArticleReader.ReadFile(path);
        Answerer = _services.GetRequiredService<ArticleAnswererFactory>().Create(Article);
    }

    internal Article Article { get; }

    internal ArticleAnswerer Answerer { get; }

    public void Dispose() => _services.Dispose();
}

public sealed class RealEngineFeatureTests : IClassFixture<SeedArticleFixture>
{
    private readonly SeedArticleFixture _seed;

    public RealEngineFeatureTests(SeedArticleFixture seed)
    {
        _seed = seed;
    }

    [Fact]
    public async Task A_mention_about_mexico_is_answered_with_verbatim_quotes_their_paragraphs_and_buttons()
    {
        using var bot = new FeatureHarness(answers: _seed.Answerer, article: _seed.Article);

        await bot.MessageAsync(DiscordPayloads.Message("<@1000> what does Mexico want?", mentionsBot: true));

        var reply = bot.Single().Body;
        reply.AssertPingsNobody();
        var description = reply.Embed().Description();
        var quotes = MessageJson.Quotes(description).Select(MessageJson.Unescape).ToArray();
        var paragraphs = MessageJson.Attributions(description);
        Assert.InRange(quotes.Length, 1, 3);
        Assert.Equal(quotes.Length, paragraphs.Length);
        Assert.Contains(quotes, q => q.Contains("sanctions on Cuba and Venezuela", StringComparison.Ordinal));
        for (var i = 0; i < quotes.Length; i++)
        {
            Assert.Contains(quotes[i], _seed.Article.GetParagraph(paragraphs[i])!.Text, StringComparison.Ordinal);
        }

        Assert.Equal(paragraphs.Distinct().Select(p => $"src:{p}"), reply.CustomIds());
        Assert.Equal($"From “{_seed.Article.Headline}”", reply.Embed().Footer());
    }

    [Fact]
    public async Task An_off_topic_slash_question_is_a_polite_abstention_without_buttons()
    {
        using var bot = new FeatureHarness(answers: _seed.Answerer, article: _seed.Article);

        await bot.InteractionAsync(DiscordPayloads.SlashCommand("ask", ("question", 3, JsonValue.Create("What is the capital of France?"))));

        var call = bot.Single();
        Assert.Equal(4, call.CallbackType);
        Assert.Empty(call.Message.Buttons());
        Assert.DoesNotContain("¶", call.Message.Embed().Description(), StringComparison.Ordinal);
        Assert.StartsWith("Sorry", call.Message.Embed().Description(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task About_and_source_use_the_real_article()
    {
        using var bot = new FeatureHarness(answers: _seed.Answerer, article: _seed.Article);
        var count = _seed.Article.Paragraphs.Count;

        await bot.InteractionAsync(DiscordPayloads.SlashCommand("about"));
        await bot.InteractionAsync(DiscordPayloads.SlashCommand("source", ("paragraph", 4, JsonValue.Create(count + 1))));
        await bot.InteractionAsync(DiscordPayloads.SlashCommand("source", ("paragraph", 4, JsonValue.Create(count))));

        var calls = bot.Rest.Calls;
        var about = calls[0].Message.Embed().Description();
        Assert.Contains("8,000-strong migrant caravan heads for US border", about, StringComparison.Ordinal);
        Assert.Contains($"It has {count} paragraphs", about, StringComparison.Ordinal);
        Assert.Equal($"There is no ¶{count + 1} in this article: its paragraphs run from ¶1 to ¶{count}.", calls[1].Message.Content());
        Assert.Equal(_seed.Article.Paragraphs[^1].Text, MessageJson.Unescape(calls[2].Message.Embed().Description()));
    }
}
