using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using CaravanBot.Bot.Hosting;
using CaravanBot.FakeDiscord;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Benchmarks;

/// <summary>
/// A burst on the loopback Discord: 100 <c>/ask</c> and 200 mentions dispatched within about a second (one every
/// 3.3 ms, an <c>/ask</c> every third), through the real bot host (model, seed article, SQLite answer log, review
/// cards in a review channel, the 50 requests/s global limiter on). What is timed per <c>/ask</c> is its time to
/// first response: from the dispatch on the fake gateway to its interaction callback at the fake REST API, which
/// Discord wants within 3 s. Each iteration is one burst, run until every answer, reply and review card is out.
/// </summary>
/// <remarks>
/// The columns P50/P95/Max first response and Late (&gt; 3 s) pool every <c>/ask</c> of every burst after a first,
/// unrecorded one (targets: p95 ≤ 1 s, none late); Deferred is the share acknowledged with type 5 before the answer
/// was edited in. The run is in-process so the columns can read what the bursts recorded; the Mean is the whole
/// burst's duration, until the last reply and review card are out.
/// </remarks>
[Config(typeof(BurstConfig))]
public class InteractionBurstBenchmarks
{
    private const int Asks = 100;
    private const int Mentions = 200;
    private const int Channels = 20;
    private const ulong FirstChannel = 1310000000000010000;
    private const ulong ReviewChannel = 1310000000000009999;
    private static readonly TimeSpan BurstLength = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(3);

    private static readonly string[] Questions =
    [
        "what does Mexico want?",
        "Who is Blinken meeting in Mexico City?",
        "How many migrants are in the caravan?",
        "Where did the families sleep on Christmas Day?",
        "What did the caravan organiser call the summit?",
        "What is the capital of France?",
    ];

    private static readonly ConcurrentBag<double> FirstResponseMs = [];
    private static readonly ConcurrentBag<double> AnswerMs = [];
    private static readonly ConcurrentBag<bool> DeferredFlags = [];

    private readonly ConcurrentDictionary<string, long> _dispatchedAt = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _deferredAt = new(StringComparer.Ordinal);
    private LoopbackBot _bot = null!;
    private DiscordBotService _service = null!;
    private long _nextUser = 1320000000000500000;
    private int _burst;
    private bool _recording;

    /// <summary>Starts both fakes and the bot and runs one burst unrecorded, so the first measured one is warm.</summary>
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    /// <summary>Stops the bot and the fakes, and prints the pooled figures.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _bot.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Console.WriteLine(FirstResponseColumn.Describe());
    }

    /// <summary>One burst of 100 <c>/ask</c> and 200 mentions in about a second, until everything has gone out.</summary>
    [Benchmark]
    public async Task Burst()
    {
        var burst = Interlocked.Increment(ref _burst);
        var tokens = new List<string>(Asks);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < Asks + Mentions; i++)
        {
            // Paced to spread the burst over about a second, as readers' clicks and messages arrive.
            var due = started + (long)(BurstLength.TotalSeconds * Stopwatch.Frequency * i / (Asks + Mentions));
            var early = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (early > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(early).ConfigureAwait(false);
            }

            var question = Questions[i % Questions.Length];
            var user = (ulong)Interlocked.Increment(ref _nextUser);
            var channel = FirstChannel + (ulong)(i % Channels);
            if (i % 3 == 0)
            {
                var token = string.Create(CultureInfo.InvariantCulture, $"burst-{burst}-{i}");
                tokens.Add(token);
                var ask = _bot.Gateway.SlashCommandInteraction("ask", new Dictionary<string, string> { ["question"] = question }, token, channel, userId: user);
                _dispatchedAt[token] = Stopwatch.GetTimestamp();
                await _bot.Gateway.DispatchAsync("INTERACTION_CREATE", ask).ConfigureAwait(false);
            }
            else
            {
                await _bot.Gateway.DispatchAsync("MESSAGE_CREATE", _bot.Mention(question, user, channel)).ConfigureAwait(false);
            }
        }

        await WaitUntilDrainedAsync(tokens).ConfigureAwait(false);
    }

    private async Task SetupAsync()
    {
        _bot = await LoopbackBot.CreateAsync(
            new Dictionary<string, string?>
            {
                ["Moderation:ReviewChannelId"] = ReviewChannel.ToString(CultureInfo.InvariantCulture),
            },
            minimumLogLevel: LogLevel.Information).ConfigureAwait(false);
        _bot.Gateway.HeartbeatIntervalMs = 41_250;

        // The fake's schema check of every body is the end-to-end tests' job; here it would only load the machine.
        _bot.Rest.RejectInvalidBodies = false;
        _bot.Rest.RequestReceived += OnRequest;
        await _bot.StartAsync().ConfigureAwait(false);
        _service = _bot.Host.Services.GetServices<IHostedService>().OfType<DiscordBotService>().Single();

        // A first burst warms every path (JIT, connections, the answer log) and is not recorded.
        _recording = false;
        await Burst().ConfigureAwait(false);
        _recording = true;
    }

    /// <summary>
    /// On the REST fake's request thread: an interaction's first callback stops its first-response clock; the answer
    /// (a type 4 callback, or the edit of a deferred one's <c>@original</c>) stops its answer clock.
    /// </summary>
    private void OnRequest(RecordedRequest request)
    {
        if (request.Method == "PATCH" && request.Path.EndsWith("/messages/@original", StringComparison.Ordinal))
        {
            if (_deferredAt.TryRemove(request.Path.Split('/')[^3], out var askedAt) && _recording)
            {
                AnswerMs.Add(Stopwatch.GetElapsedTime(askedAt).TotalMilliseconds);
            }

            return;
        }

        if (request.Method != "POST" || !request.Path.EndsWith("/callback", StringComparison.Ordinal))
        {
            return;
        }

        var token = request.Path.Split('/')[^2];
        if (!_dispatchedAt.TryRemove(token, out var dispatchedAt))
        {
            return;
        }

        var deferred = request.Body.Contains("\"type\":5", StringComparison.Ordinal);
        if (deferred)
        {
            _deferredAt[token] = dispatchedAt;
        }

        if (_recording)
        {
            var elapsed = Stopwatch.GetElapsedTime(dispatchedAt).TotalMilliseconds;
            FirstResponseMs.Add(elapsed);
            DeferredFlags.Add(deferred);
            if (!deferred)
            {
                AnswerMs.Add(elapsed);
            }
        }
    }

    private async Task WaitUntilDrainedAsync(List<string> tokens)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        while (tokens.Any(_dispatchedAt.ContainsKey) || tokens.Any(_deferredAt.ContainsKey) || _service.HandlersInFlight > 0)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"The burst did not drain in {DrainTimeout}: {tokens.Count(_dispatchedAt.ContainsKey)} interactions unanswered, {_service.HandlersInFlight} handlers in flight.");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    private sealed class BurstConfig : ManualConfig
    {
        public BurstConfig()
        {
            AddJob(Job.Default
                .WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance)
                .WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1)
                .WithWarmupCount(0)
                .WithIterationCount(10)
                .WithInvocationCount(1)
                .WithUnrollFactor(1));
            AddColumn(
                new FirstResponseColumn("P50 first response", values => Percentile(values, 0.50)),
                new FirstResponseColumn("P95 first response", values => Percentile(values, 0.95)),
                new FirstResponseColumn("Max first response", values => values.Max()),
                new FirstResponseColumn("Late (> 3 s)", values => values.Count(v => v > 3000), unit: string.Empty),
                new DeferredColumn(),
                new FirstResponseColumn("P95 answer", values => Percentile(values, 0.95), source: AnswerMs));
        }
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static double Percentile(IReadOnlyList<double> sorted, double share) =>
        sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Count) - 1, 0, sorted.Count - 1)];

    private sealed class FirstResponseColumn : IColumn
    {
        private readonly Func<IReadOnlyList<double>, double> _statistic;
        private readonly string _unit;
        private readonly ConcurrentBag<double> _source;

        public FirstResponseColumn(string name, Func<IReadOnlyList<double>, double> statistic, string unit = " ms", ConcurrentBag<double>? source = null)
        {
            ColumnName = name;
            _statistic = statistic;
            _unit = unit;
            _source = source ?? FirstResponseMs;
        }

        public string Id => nameof(FirstResponseColumn) + ColumnName;

        public string ColumnName { get; }

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => ReferenceEquals(_source, AnswerMs)
            ? "95th percentile of the time from dispatch to each /ask's answer (type 4, or the edit of a deferred @original)"
            : $"{ColumnName} of each /ask, pooled over the measured bursts";

        public static string Describe()
        {
            var values = FirstResponseMs.Order().ToList();
            return values.Count == 0
                ? "No first responses recorded."
                : string.Create(CultureInfo.InvariantCulture, $"First responses of {values.Count} /ask: p50 {Percentile(values, 0.5):0} ms, p95 {Percentile(values, 0.95):0} ms, max {values.Max():0} ms, over 3 s: {values.Count(v => v > 3000)}; deferred {DeferredFlags.Count(d => d)} of {DeferredFlags.Count}; answers p50 {Answers(0.5)} ms, p95 {Answers(0.95)} ms.");

            static string Answers(double share) =>
                AnswerMs.IsEmpty ? "-" : Percentile([.. AnswerMs.Order()], share).ToString("0", CultureInfo.InvariantCulture);
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var values = _source.Order().ToList();
            return values.Count == 0 ? "-" : _statistic(values).ToString("0", CultureInfo.InvariantCulture) + _unit;
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }

    private sealed class DeferredColumn : IColumn
    {
        public string Id => nameof(DeferredColumn);

        public string ColumnName => "Deferred";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 1;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Share of /ask acknowledged with type 5 (\"thinking…\") before the answer was edited in";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            DeferredFlags.IsEmpty ? "-" : ((double)DeferredFlags.Count(d => d) / DeferredFlags.Count).ToString("0%", CultureInfo.InvariantCulture);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
