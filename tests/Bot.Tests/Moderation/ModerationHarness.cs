using System.Text.Json;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Discord;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.Bot.Features;
using CaravanBot.Bot.Hosting;
using CaravanBot.Bot.Moderation;
using CaravanBot.Bot.Tests.Features;
using CaravanBot.FakeDiscord;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Embeddings;
using CaravanBot.Retrieval.Prompts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Tests.Moderation;

/// <summary>
/// The bot's features and moderation as the host composes them (<c>AddCaravanBotFeatures</c>), talking
/// to Discord played by <see cref="FakeRestServer"/> over HTTP through the real <see cref="DiscordRestClient"/>,
/// with the in-memory answer log. Dispatches go through the same JSON models and the same handlers as
/// in the bot. <see cref="AssertEveryBodyValid"/> checks each recorded body against Discord's schema.
/// </summary>
internal sealed class ModerationHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private ModerationHarness(
        FakeRestServer server, Action<ModerationOptions>? configure, ISentenceEmbedder? embedder, IAnswerService? answers, Article? article, bool withLog, Action<DiscordFeatureOptions>? features)
    {
        Server = server;
        server.AddDirectMessageChannel(DiscordPayloads.DmChannelId);
        Bot = new BotArticle(article ?? TestArticle.Article, answers ?? Answers);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        services.AddSingleton<PromptProvider>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IDiscordRestClient>(server.CreateClient());
        services.AddOptions<DiscordOptions>().Configure(o => o.Token = server.BotToken);
        services.AddOptions<DiscordFeatureOptions>().Configure(o => features?.Invoke(o));
        services.AddOptions<ModerationOptions>().Configure(o =>
        {
            o.ReviewChannelId = ModerationPayloads.ReviewChannelId;
            o.RoleIds = [ModerationPayloads.ModeratorRoleId];
            configure?.Invoke(o);
        });
        if (withLog)
        {
            services.AddSingleton<IAnswerLog>(Log);
        }

        if (embedder is not null)
        {
            services.AddSingleton(embedder);
        }

        services.AddCaravanBotFeatures();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public FakeRestServer Server { get; }

    public InMemoryAnswerLog Log { get; } = new();

    public FixedAnswerService Answers { get; } = new();

    public CaravanBot.FakeDiscord.LogCapture Logs { get; } = new();

    public BotArticle Bot { get; }

    public static async Task<ModerationHarness> StartAsync(
        Action<ModerationOptions>? configure = null,
        ISentenceEmbedder? embedder = null,
        IAnswerService? answers = null,
        Article? article = null,
        bool withLog = true,
        Action<DiscordFeatureOptions>? features = null) =>
        new(await FakeRestServer.StartAsync(), configure, embedder, answers, article, withLog, features);

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public Task MessageAsync(JsonElement data) =>
        Get<MentionHandler>().HandleAsync(data.Deserialize<DiscordMessage>(DiscordJson.Options)!, Bot, new Snowflake(DiscordPayloads.BotUserId), CancellationToken.None);

    public Task InteractionAsync(JsonElement data) =>
        Get<InteractionRouter>().HandleAsync(data.Deserialize<Interaction>(DiscordJson.Options)!, Bot, CancellationToken.None);

    /// <summary>Requests so far matching <paramref name="method"/> and the API path template.</summary>
    public RecordedRequest[] Requests(string method, string template) => Server.Requests.Where(r => r.Is(method, template)).ToArray();

    /// <summary>The single request matching, asserting there is exactly one.</summary>
    public RecordedRequest Single(string method, string template) => Assert.Single(Requests(method, template));

    /// <summary>Callback bodies in order.</summary>
    public JsonElement[] Callbacks() => Requests("POST", "/interactions/{id}/{token}/callback").Select(r => r.Json).ToArray();

    /// <summary>The last callback's body.</summary>
    public JsonElement LastCallback() => Callbacks()[^1];

    /// <summary>The card message as the fake server holds it now.</summary>
    public JsonElement Card(AnswerRecord record) =>
        JsonSerializer.SerializeToElement(Server.FindMessage(ModerationPayloads.ReviewChannelId, ulong.Parse(record.ReviewMessageId!, System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A message the fake server holds.</summary>
    public JsonElement? Message(string channelId, string messageId) =>
        Server.FindMessage(ulong.Parse(channelId, System.Globalization.CultureInfo.InvariantCulture), ulong.Parse(messageId, System.Globalization.CultureInfo.InvariantCulture)) is { } message
            ? JsonSerializer.SerializeToElement(message)
            : null;

    /// <summary>Every request so far carried a body Discord and CaravanBot's rules accept, and was answered 2xx.</summary>
    public void AssertEveryBodyValid()
    {
        var requests = Server.Requests;
        Assert.NotEmpty(requests);
        foreach (var request in requests)
        {
            DiscordSchema.AssertValid(request);
            Assert.True(request.ResponseStatus is >= 200 and < 300, $"{request} was not accepted");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Server.DisposeAsync();
    }
}
