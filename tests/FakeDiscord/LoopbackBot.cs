using CaravanBot.Bot.AnswerLog;
using System.Globalization;
using System.Text.Json.Nodes;
using CaravanBot.Bot.Discord;
using CaravanBot.Bot.Discord.Gateway;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.Bot.Features;
using CaravanBot.Bot.Hosting;
using CaravanBot.Retrieval;
using CaravanBot.Retrieval.Embeddings;
using CaravanBot.Retrieval.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaravanBot.FakeDiscord;

/// <summary>
/// The real bot, composed as <c>caravanbot run</c> composes it (<c>AddCaravanRetrieval</c> + <c>AddCaravanBot</c>
/// with the real <see cref="GatewayClient"/> and <see cref="DiscordRestClient"/>), talking to a
/// <see cref="FakeRestServer"/> and a <see cref="FakeGatewayServer"/> on 127.0.0.1. The gateway address comes
/// from <c>GET /gateway/bot</c>, as in production; only timings are shrunk, through configuration
/// (<c>Discord:Gateway</c>, <c>Discord:Rest</c>). Create it, script the fakes, then <see cref="StartAsync"/>.
/// </summary>
public sealed class LoopbackBot : IAsyncDisposable
{
    /// <summary>How long start-up may take: the article is indexed first, and the machine may be busy.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private LoopbackBot(FakeRestServer rest, FakeGatewayServer gateway, IHost host, LogCapture logs)
    {
        Rest = rest;
        Gateway = gateway;
        Host = host;
        Logs = logs;
    }

    /// <summary>Discord's REST API.</summary>
    public FakeRestServer Rest { get; }

    /// <summary>Discord's gateway.</summary>
    public FakeGatewayServer Gateway { get; }

    /// <summary>The bot's host (not started until <see cref="StartAsync"/>).</summary>
    public IHost Host { get; }

    /// <summary>Every log entry the bot writes (Debug and up).</summary>
    public LogCapture Logs { get; }

    /// <summary>The bot user's id, as READY announces it.</summary>
    public ulong BotUserId => Gateway.BotUserId;

    /// <summary>Whether <see cref="StartAsync"/> ran and <see cref="StopAsync"/> has not.</summary>
    public bool Started { get; private set; }

    /// <summary>
    /// Configuration for fast tests: reconnect back-off 20–200 ms, invalid-session wait 100–200 ms, no IDENTIFY
    /// spacing, 1 s close time-out, heartbeats down to 50 ms in a 2 s send window (so a fake's short heartbeat
    /// interval is not clamped); REST retries after 10–100 ms. Everything else keeps Discord's numbers.
    /// </summary>
    public static Dictionary<string, string?> FastTimings() => new(StringComparer.OrdinalIgnoreCase)
    {
        [$"{GatewayClientOptions.SectionName}:{nameof(GatewayClientOptions.ReconnectBackoffBase)}"] = "00:00:00.020",
        [$"{GatewayClientOptions.SectionName}:{nameof(GatewayClientOptions.ReconnectBackoffMax)}"] = "00:00:00.200",
        [$"{GatewayClientOptions.SectionName}:{nameof(GatewayClientOptions.InvalidSessionDelayMin)}"] = "00:00:00.100",
        [$"{GatewayClientOptions.SectionName}:{nameof(GatewayClientOptions.InvalidSessionDelayMax)}"] = "00:00:00.200",
        [$"{GatewayClientOptions.SectionName}:{nameof(GatewayClientOptions.IdentifyInterval)}"] = "00:00:00",
        [$"{GatewayClientOptions.SectionName}:{nameof(GatewayClientOptions.CloseTimeout)}"] = "00:00:01",
        [$"{GatewayClientOptions.SectionName}:{nameof(GatewayClientOptions.ConnectTimeout)}"] = "00:00:10",
        [$"{GatewayClientOptions.SectionName}:{nameof(GatewayClientOptions.HelloTimeout)}"] = "00:00:10",
        [$"{GatewayClientOptions.SectionName}:{nameof(GatewayClientOptions.MinHeartbeatInterval)}"] = "00:00:00.050",
        [$"{GatewayClientOptions.SectionName}:{nameof(GatewayClientOptions.SendWindow)}"] = "00:00:02",
        [$"{GatewayClientOptions.SectionName}:{nameof(GatewayClientOptions.ReservedHeartbeatSends)}"] = "50",
        [$"{DiscordRestOptions.SectionName}:{nameof(DiscordRestOptions.RetryBaseDelay)}"] = "00:00:00.010",
        [$"{DiscordRestOptions.SectionName}:{nameof(DiscordRestOptions.RetryMaxDelay)}"] = "00:00:00.100",
        [$"{DiscordRestOptions.SectionName}:{nameof(DiscordRestOptions.RequestTimeout)}"] = "00:00:10",
        // A free port for health and metrics: several bots run side by side in one test process.
        ["Operations:Urls"] = "http://127.0.0.1:0",
    };

    /// <summary>
    /// Starts both fakes (the REST fake's <c>/gateway/bot</c> pointing at the gateway fake) and builds the bot's host.
    /// </summary>
    /// <param name="configuration">Settings on top of <see cref="FastTimings"/> and the fakes' addresses (null values remove a key).</param>
    /// <param name="sharedEmbedder">An already loaded model to use instead of loading one (the host does not dispose it).</param>
    /// <param name="articlePath">The article; the seed article next to the program by default.</param>
    /// <param name="minimumLogLevel">What <see cref="Logs"/> captures: Debug for tests, Information (as <c>caravanbot run</c>) for timing.</param>
    public static async Task<LoopbackBot> CreateAsync(
        IReadOnlyDictionary<string, string?>? configuration = null,
        ISentenceEmbedder? sharedEmbedder = null,
        string? articlePath = null,
        LogLevel minimumLogLevel = LogLevel.Debug)
    {
        var rest = await FakeRestServer.StartAsync().ConfigureAwait(false);
        FakeGatewayServer? gateway = null;
        try
        {
            gateway = await FakeGatewayServer.StartAsync().ConfigureAwait(false);
            rest.GatewayUrl = gateway.GatewayUrl;
            rest.BotUserId = gateway.BotUserId;

            var settings = FastTimings();
            settings[$"{DiscordOptions.SectionName}:{nameof(DiscordOptions.Token)}"] = rest.BotToken;
            settings[$"{DiscordOptions.SectionName}:{nameof(DiscordOptions.ApiBaseUrl)}"] = rest.ApiBaseUrl;
            foreach (var (key, value) in configuration ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            var logs = new LogCapture();
            var host = BuildHost(settings, logs, sharedEmbedder, articlePath ?? Path.Combine(AppContext.BaseDirectory, "articles", "caravan.txt"), minimumLogLevel);
            return new LoopbackBot(rest, gateway, host, logs);
        }
        catch
        {
            if (gateway is not null)
            {
                await gateway.DisposeAsync().ConfigureAwait(false);
            }

            await rest.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The host as <c>caravanbot run</c> builds it, with <paramref name="settings"/> as the configuration and logs captured.</summary>
    public static IHost BuildHost(
        IReadOnlyDictionary<string, string?> settings, ILoggerProvider logs, ISentenceEmbedder? sharedEmbedder, string articlePath, LogLevel minimumLogLevel = LogLevel.Debug)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ApplicationName = "caravanbot" });
        builder.Configuration.AddInMemoryCollection(settings);
        if (!settings.ContainsKey("AnswerLog:Path"))
        {
            // Each loopback bot keeps its own answer log, as a real deployment keeps one file.
            builder.Configuration.AddInMemoryCollection([new("AnswerLog:Path", Path.Combine(Path.GetTempPath(), "caravanbot-e2e", Guid.NewGuid().ToString("N") + ".db"))]);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(minimumLogLevel);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);

        builder.Services.AddCaravanRetrieval();
        builder.Services.AddOptions<RetrievalOptions>().BindConfiguration(RetrievalOptions.SectionName);
        builder.Services.AddCaravanBot(options => options.ArticlePath = Path.GetFullPath(articlePath));
        builder.Services.AddAnswerLog(builder.Configuration);
        if (sharedEmbedder is not null)
        {
            // Registered as an instance, so the host never disposes it.
            builder.Services.AddSingleton(sharedEmbedder);
        }

        return builder.Build();
    }

    /// <summary>Starts the host and waits until the bot is ready: READY handled and the commands written (the first bulk overwrite).</summary>
    public async Task StartAsync()
    {
        await Host.StartAsync().ConfigureAwait(false);
        Started = true;
        var outcome = Host.Services.GetRequiredService<BotRunOutcome>();
        var ready = Rest.WaitForRequestAsync(r => r.Method == "PUT", StartTimeout);
        var stopped = Task.Delay(Timeout.Infinite, Host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        if (await Task.WhenAny(ready, stopped).ConfigureAwait(false) != ready)
        {
            throw new InvalidOperationException(
                $"The bot stopped while starting ({outcome.Reason}). Log:{Environment.NewLine}{string.Join(Environment.NewLine, Logs.Entries.Select(e => e.FullText))}");
        }

        await ready.ConfigureAwait(false);
    }

    /// <summary>Stops the host (a clean shutdown: the gateway closes with 1000).</summary>
    public async Task StopAsync()
    {
        if (!Started)
        {
            return;
        }

        Started = false;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Host.StopAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// A MESSAGE_CREATE <c>d</c> that mentions the bot (<c>&lt;@id&gt; question</c>, the bot in <c>mentions</c>),
    /// from <paramref name="authorId"/> in a guild channel.
    /// </summary>
    public JsonObject Mention(string question, ulong authorId, ulong channelId = 1310000000000000004) =>
        Gateway.BotMention(question, channelId, authorId: authorId);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            Host.Dispose();
            await Gateway.DisposeAsync().ConfigureAwait(false);
            await Rest.DisposeAsync().ConfigureAwait(false);
        }
    }
}
