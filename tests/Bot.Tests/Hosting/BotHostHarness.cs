using CaravanBot.Bot.Cli;
using CaravanBot.Bot.Discord.Gateway;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.Bot.Features;
using CaravanBot.Bot.Hosting;
using CaravanBot.Bot.Tests.Features;
using Microsoft.Extensions.DependencyInjection;
using CaravanBotCli = CaravanBot.Bot.Cli.Cli;

namespace CaravanBot.Bot.Tests.Hosting;

/// <summary>
/// Runs <c>caravanbot run</c> in-process through <c>Cli.RunAsync</c>, with a test environment (its own
/// variables and folders), the fake gateway, the recording REST client and a fixed article.
/// </summary>
internal sealed class BotHostHarness : IDisposable
{
    public const string Token = "test-token.SECRET.value";

    private readonly StringWriter _stderr = new() { NewLine = "\n" };
    private readonly CancellationTokenSource _stop = new();
    private Task<int>? _run;

    public BotHostHarness()
    {
        Variables["DISCORD_TOKEN"] = Token;
    }

    public string BaseDirectory { get; } = Directory.CreateTempSubdirectory("caravanbot-run-").FullName;

    public Dictionary<string, string> Variables { get; } = [];

    public FakeGatewayClient Gateway { get; } = new();

    public RecordingDiscordRestClient Rest { get; } = new();

    public FixedAnswerService Answers { get; } = new();

    /// <summary>More services for the host (an answer log, options), added after the fakes.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>When set, loading the article throws it.</summary>
    public Exception? ArticleFailure { get; set; }

    public string Stderr => _stderr.ToString();

    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Starts the bot and waits until the gateway runs.</summary>
    public async Task StartAsync(params string[] extraArgs)
    {
        _run = RunAsync(extraArgs);
        var started = await Task.WhenAny(Gateway.Running.Task, _run).WaitAsync(TimeSpan.FromSeconds(30));
        if (started == _run)
        {
            Assert.Fail($"the bot stopped at start with {_run.Result}: {Stderr}");
        }
    }

    /// <summary>Runs the command to its end (for runs that stop by themselves).</summary>
    public Task<int> RunAsync(params string[] extraArgs)
    {
        var environment = new CliEnvironment
        {
            In = new StringReader(string.Empty),
            Out = new StringWriter(),
            Error = _stderr,
            BaseDirectory = BaseDirectory,
            GetEnvironmentVariable = name => Variables.GetValueOrDefault(name),
        };
        return CaravanBotCli.RunAsync(["run", .. extraArgs], environment, services =>
        {
            services.AddSingleton<IGatewayClient>(Gateway);
            services.AddSingleton<IDiscordRestClient>(Rest);
            services.AddSingleton<IBotArticleSource>(new FixedArticleSource(this));
            // The answer log lives in memory here; the SQLite log has its own tests on real files.
            services.AddSingleton<CaravanBot.Bot.AnswerLog.IAnswerLog>(new Moderation.InMemoryAnswerLog());
            // Several runs at once in one test process: each takes a free port for health and metrics.
            services.Configure<OperationsOptions>(options => options.Urls = "http://127.0.0.1:0");
            ConfigureServices?.Invoke(services);
        }, _stop.Token);
    }

    /// <summary>Ctrl+C: cancels the run and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await _run!.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits for a run that ends by itself.</summary>
    public Task<int> ExitCodeAsync() => _run!.WaitAsync(TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        if (_run is { IsCompleted: false })
        {
            _stop.Cancel();
            _run.Wait(TimeSpan.FromSeconds(30));
        }

        _stop.Dispose();
        Directory.Delete(BaseDirectory, recursive: true);
    }

    private sealed class FixedArticleSource : IBotArticleSource
    {
        private readonly BotHostHarness _harness;

        public FixedArticleSource(BotHostHarness harness)
        {
            _harness = harness;
        }

        public Task<BotArticle> LoadAsync(CancellationToken cancellationToken) =>
            _harness.ArticleFailure is { } failure
                ? Task.FromException<BotArticle>(failure)
                : Task.FromResult(new BotArticle(TestArticle.Article, _harness.Answers));
    }
}
