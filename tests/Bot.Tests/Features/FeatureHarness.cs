using System.Text.Json;
using CaravanBot.Bot.Discord;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.Bot.Features;
using CaravanBot.Bot.Hosting;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Prompts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Tests.Features;

/// <summary>
/// The feature layer as the bot composes it (<c>AddCaravanBotFeatures</c>), with the recording REST
/// client, a fixed answer service (or any other) and the test article. Dispatch data goes through the
/// same JSON models as in the bot.
/// </summary>
internal sealed class FeatureHarness : IDisposable
{
    private readonly ServiceProvider _services;

    public FeatureHarness(
        Action<DiscordFeatureOptions>? configure = null,
        IAnswerService? answers = null,
        Article? article = null,
        TimeProvider? time = null,
        ulong? guildId = null)
    {
        Bot = new BotArticle(article ?? TestArticle.Article, answers ?? Answers);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        services.AddSingleton<PromptProvider>();
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSingleton<IDiscordRestClient>(Rest);
        services.AddOptions<DiscordOptions>().Configure(o =>
        {
            o.Token = "test-token";
            o.GuildId = guildId;
        });
        services.AddOptions<DiscordFeatureOptions>().Configure(o => configure?.Invoke(o));
        services.AddCaravanBotFeatures();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public RecordingDiscordRestClient Rest { get; } = new();

    public FixedAnswerService Answers { get; } = new();

    public CaravanBot.FakeDiscord.LogCapture Logs { get; } = new();

    public BotArticle Bot { get; }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public Task MessageAsync(JsonElement data) =>
        Get<MentionHandler>().HandleAsync(data.Deserialize<DiscordMessage>(DiscordJson.Options)!, Bot, new Snowflake(DiscordPayloads.BotUserId), CancellationToken.None);

    public Task InteractionAsync(JsonElement data) =>
        Get<InteractionRouter>().HandleAsync(data.Deserialize<Interaction>(DiscordJson.Options)!, Bot, CancellationToken.None);

    /// <summary>The only REST call so far.</summary>
    public RestCall Single() => Assert.Single(Rest.Calls);

    public void Dispose() => _services.Dispose();
}
