using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using CaravanBot.FakeDiscord;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Benchmarks;

/// <summary>
/// What a reader waits for: a mention goes out on the (loopback) gateway, and the bot's reply arrives at the
/// (loopback) REST API. The real bot host runs as <c>caravanbot run</c> composes it, with the real model and
/// the seed article. Each iteration is one round trip, so the Median column is the per-message p50
/// (target ≤ 30 ms). The answer is committed to the answer log before the reply is sent, in the store
/// <see cref="Store"/> names: a SQLite file, or PostgreSQL (the database in <c>CARAVANBOT_BENCHMARK_POSTGRES</c>,
/// an Npgsql connection string; the case fails without it).
/// </summary>
/// <remarks>
/// Kept out of the measurement: the per-reader question limit (raised to 1000 a minute, and authors rotate), the
/// client's 50 requests/s global limiter (off: back-to-back round trips would otherwise measure the limiter),
/// the fake's schema check of each body (the end-to-end tests do that) and heartbeats (Discord's 41.25 s).
/// </remarks>
[Config(typeof(PercentileConfig))]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 30, iterationCount: 300, invocationCount: 1)]
[MinColumn, MaxColumn, MedianColumn]
public class MentionRoundTripBenchmarks
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] Questions =
    [
        "what does Mexico want?",
        "Who is Blinken meeting in Mexico City?",
        "How many migrants are in the caravan?",
        "Where did the families sleep on Christmas Day?",
        "What did the caravan organiser call the summit?",
        "What is the capital of France?",
    ];

    /// <summary>The environment variable with the PostgreSQL connection string for the <c>Postgres</c> case.</summary>
    public const string PostgresVariable = "CARAVANBOT_BENCHMARK_POSTGRES";

    private LoopbackBot _bot = null!;

    /// <summary>Which answer-log store commits each answer before its reply.</summary>
    [Params("Sqlite", "Postgres")]
    public string Store { get; set; } = "Sqlite";
    private TaskCompletionSource _reply = new();
    private string? _awaitedId;
    private int _next;

    /// <summary>Starts both fakes and the bot, waits for READY (the commands written), and warms the path once per question.</summary>
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    /// <summary>Stops the bot and the fakes.</summary>
    [GlobalCleanup]
    public void Cleanup() => _bot.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>One mention dispatched on the gateway until its reply's POST reaches the REST fake.</summary>
    [Benchmark]
    public async Task MentionRoundTrip()
    {
        var index = _next++;
        var message = _bot.Mention(Questions[index % Questions.Length], authorId: 1320000000000000000 + (ulong)(index % 64));
        var reply = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _reply = reply;
        Volatile.Write(ref _awaitedId, message["id"]!.GetValue<string>());
        await _bot.Gateway.DispatchAsync("MESSAGE_CREATE", message).ConfigureAwait(false);
        await reply.Task.WaitAsync(ReplyTimeout).ConfigureAwait(false);
    }

    private async Task SetupAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Discord:QuestionsPerMinute"] = "1000",
            ["Discord:Rest:GlobalRequestsPerSecond"] = "0",
        };
        if (Store == "Postgres")
        {
            settings["AnswerLog:Provider"] = "Postgres";
            settings["AnswerLog:ConnectionString"] = Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } connectionString
                ? connectionString
                : throw new InvalidOperationException($"Set {PostgresVariable} to an Npgsql connection string for the Postgres case.");
        }

        _bot = await LoopbackBot.CreateAsync(settings, minimumLogLevel: LogLevel.Information).ConfigureAwait(false);
        _bot.Gateway.HeartbeatIntervalMs = 41_250;
        _bot.Rest.RejectInvalidBodies = false;
        _bot.Rest.EnforceRateLimits = false;
        _bot.Rest.BucketLimit = int.MaxValue;
        _bot.Rest.RequestReceived += OnRequest;
        await _bot.StartAsync().ConfigureAwait(false);

        for (var i = 0; i < Questions.Length * 2; i++)
        {
            await MentionRoundTrip().ConfigureAwait(false);
        }
    }

    /// <summary>Runs on the REST fake's request thread as a request arrives: the reply to the awaited message stops the clock.</summary>
    private void OnRequest(RecordedRequest request)
    {
        if (Volatile.Read(ref _awaitedId) is { } id
            && request.Method == "POST"
            && request.Body.Contains(id, StringComparison.Ordinal))
        {
            _reply.TrySetResult();
        }
    }

    private sealed class PercentileConfig : ManualConfig
    {
        public PercentileConfig()
        {
            AddColumn(StatisticColumn.P90, StatisticColumn.P95);
        }
    }
}
