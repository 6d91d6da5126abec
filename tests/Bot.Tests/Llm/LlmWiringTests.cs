using System.Text.Json;
using CaravanBot.Bot.Features;
using CaravanBot.Bot.Hosting;
using CaravanBot.Bot.Moderation;
using CaravanBot.Bot.Tests.Moderation;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Llm;
using CaravanBot.Retrieval.Prompts;
using CaravanBot.Retrieval.Search;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Tests.Llm;

public sealed class LlmWiringTests : IClassFixture<MiniLmFixture>
{
    private readonly MiniLmFixture _model;

    public LlmWiringTests(MiniLmFixture model)
    {
        _model = model;
    }

    [Fact]
    public async Task Without_a_provider_the_bot_serves_the_extractive_answerer_unchanged()
    {
        var bot = await Source(new LlmOptions()).LoadAsync(CancellationToken.None);

        Assert.Equal(AnswerMode.Extractive, bot.Mode);
        var extractive = Assert.IsType<ArticleAnswerer>(bot.Answers);
        Assert.False(Deferral().DeferUpFront(bot.Answers));
        var answer = await bot.Answers.AskAsync("How many migrants are in the caravan?");
        Assert.Equal(AnswerMode.Extractive, answer.Mode);
        Assert.Equal(extractive.Ask("How many migrants are in the caravan?").Citations, answer.Citations);
    }

    [Fact]
    public async Task With_a_provider_the_bot_answers_through_the_model_and_defers_interactions()
    {
        var options = new LlmOptions { Provider = LlmProvider.OpenAICompatible, Model = "llama3.1", Endpoint = new Uri("http://127.0.0.1:9/v1") };

        var bot = await Source(options).LoadAsync(CancellationToken.None);

        Assert.Equal(AnswerMode.Llm, bot.Mode);
        Assert.IsAssignableFrom<IAnswerLatencyHint>(bot.Answers);
        Assert.True(Deferral().DeferUpFront(bot.Answers));
    }

    [Fact]
    public void A_fallback_reason_reaches_the_answer_logs_scores()
    {
        var answer = new Answer
        {
            Question = "q",
            Answered = true,
            Text = "t",
            Citations = [],
            Scores = new AnswerScores(0.5, 0.4, [0.5]),
            FallbackReason = LlmFallbackReason.Timeout,
        };

        using var withFallback = JsonDocument.Parse(AnswerRecorder.Scores(answer));
        using var without = JsonDocument.Parse(AnswerRecorder.Scores(answer with { FallbackReason = null }));

        Assert.Equal("timeout", withFallback.RootElement.GetProperty("llmFallback").GetString());
        Assert.Equal(0.5, withFallback.RootElement.GetProperty("top").GetDouble());
        Assert.False(without.RootElement.TryGetProperty("llmFallback", out _));
    }

    private FileBotArticleSource Source(LlmOptions llm)
    {
        var prompts = new PromptProvider();
        return new FileBotArticleSource(
            Options.Create(new BotArticleOptions()),
            new ArticleAnswererFactory(_model.Embedder, new RetrievalOptions(), prompts),
            NullLogger<FileBotArticleSource>.Instance,
            new LlmAnswererFactory(Options.Create(llm), prompts));
    }

    private static AnswerDeferral Deferral() => new(Options.Create(new DiscordFeatureOptions()), TimeProvider.System);
}
