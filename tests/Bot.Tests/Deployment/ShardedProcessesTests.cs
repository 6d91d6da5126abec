using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Tests.EndToEnd;
using CaravanBot.FakeDiscord;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Tests.Deployment;

/// <summary>
/// Two <c>caravanbot run</c> processes sharing one bot across two shards and one answer log (one SQLite file, or the
/// PostgreSQL named by <c>CARAVANBOT_TEST_POSTGRES</c>), against the loopback gateway serving both shards: each
/// question is answered once, by the process owning its guild's shard; their IDENTIFYs take turns through the shared
/// lock folder; a process killed with SIGKILL leaves the other serving, and started again it serves its shard again.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ShardedProcessesTests : IAsyncLifetime
{
    private const ulong GuildOfShard0 = 1300000000000000003; // (id >> 22) % 2 == 0
    private const ulong GuildOfShard1 = 1300000000004194307; // (id >> 22) % 2 == 1
    private const ulong ChannelOfShard0 = 1310000000000000010;
    private const ulong ChannelOfShard1 = 1310000000000000011;
    private static readonly TimeSpan IdentifyInterval = TimeSpan.FromSeconds(1);

    private readonly string _folder = Directory.CreateTempSubdirectory("caravanbot-shards-").FullName;
    private readonly List<BotProcess> _processes = [];
    private FakeRestServer _rest = null!;
    private FakeGatewayServer _gateway = null!;
    private readonly List<string> _askers = [];

    // Readers of this run alone: a shared PostgreSQL log may hold earlier runs' answers.
    private long _nextAuthor = 1320000000000000000 + (Random.Shared.NextInt64(1, 1_000_000) * 1000);

    public async Task InitializeAsync()
    {
        _rest = await FakeRestServer.StartAsync();
        _gateway = await FakeGatewayServer.StartAsync();
        _gateway.ShardCount = 2;
        _gateway.HeartbeatIntervalMs = 30_000;
        _rest.GatewayUrl = _gateway.GatewayUrl;
        _rest.BotUserId = _gateway.BotUserId;
        _rest.Shards = 2;
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        await _gateway.DisposeAsync();
        await _rest.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Each_process_answers_its_shards_questions_once_and_the_other_serves_on_when_one_is_killed()
    {
        if (SharedLog.PostgresConnectionString is null)
        {
            // The file exists before the processes start, as an operator's does: two processes creating a new SQLite
            // log at the same instant can trip over each other's migration (the store's start-up, not sharding).
            await using var log = new SqliteAnswerLog(Options.Create(new AnswerLogOptions { Path = Path.Combine(_folder, "answers.db") }), NullLogger<SqliteAnswerLog>.Instance);
            await log.InitializeAsync();
        }

        var first = Start(shard: 0);
        var second = Start(shard: 1);
        await Task.WhenAll(first.WaitUntilReadyAsync(), second.WaitUntilReadyAsync());

        // One IDENTIFY per shard, with its id and the count, and the two processes took turns: one bucket, one interval.
        var identifies = _gateway.Received.Where(p => p.Op == 2).ToList();
        Assert.Equal([0, 1], identifies.Select(p => p.Data.GetProperty("shard")[0].GetInt32()).Order());
        Assert.All(identifies, p => Assert.Equal(2, p.Data.GetProperty("shard")[1].GetInt32()));
        var gap = identifies[1].At - identifies[0].At;
        Assert.True(gap >= IdentifyInterval - TimeSpan.FromMilliseconds(50), $"the processes identified {gap.TotalMilliseconds} ms apart");

        // A question in each shard's guild: answered once, by the process that owns the shard.
        var onShard0 = await AskAsync("What does Mexico want?", GuildOfShard0, ChannelOfShard0, expectedShard: 0);
        var onShard1 = await AskAsync("How many migrants are in the caravan?", GuildOfShard1, ChannelOfShard1, expectedShard: 1);
        await WaitForReplyAsync(onShard0);
        await WaitForReplyAsync(onShard1);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(RepliesTo(onShard0));
        Assert.Single(RepliesTo(onShard1));
        Assert.Equal(1, await QuestionsAnsweredAsync(first));
        Assert.Equal(1, await QuestionsAnsweredAsync(second));

        // The first process dies at once; the second goes on answering its shard and stays ready.
        await first.KillAsync();
        var whileDown = await AskAsync("Who leads the caravan?", GuildOfShard1, ChannelOfShard1, expectedShard: 1);
        await WaitForReplyAsync(whileDown);
        Assert.Equal(200, (await second.GetAsync("/readyz")).Status);

        // Started again, the first process identifies its shard anew and answers there once more.
        var restarted = Start(shard: 0);
        await restarted.WaitUntilReadyAsync();
        Assert.Equal(2, _gateway.Received.Count(p => p.Op == 2 && p.Data.GetProperty("shard")[0].GetInt32() == 0));
        var afterRestart = await AskAsync("What does Mexico want?", GuildOfShard0, ChannelOfShard0, expectedShard: 0);
        await WaitForReplyAsync(afterRestart);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(RepliesTo(afterRestart));
        Assert.Single(RepliesTo(whileDown));
        Assert.Equal(1, await QuestionsAnsweredAsync(restarted));
        Assert.Equal(2, await QuestionsAnsweredAsync(second));

        // Every answer of both processes is in the one shared log, once.
        var logged = (await ReviewListAsync())
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("asker").GetProperty("id").GetString()!)
            .Where(_askers.Contains)
            .Order(StringComparer.Ordinal);
        Assert.Equal(_askers.Order(StringComparer.Ordinal), logged);
    }

    private BotProcess Start(int shard)
    {
        var environment = BotProcess.Environment(_rest, Path.Combine(_folder, "answers.db"));
        environment["Discord__ShardCount"] = "2";
        environment["Discord__ShardIds"] = shard.ToString(CultureInfo.InvariantCulture);
        environment["Discord__IdentifyLockDirectory"] = Path.Combine(_folder, "identify");
        environment["Discord__Gateway__IdentifyInterval"] = IdentifyInterval.ToString("c", CultureInfo.InvariantCulture);
        var process = BotProcess.Start(environment, "run");
        _processes.Add(process);
        return process;
    }

    private async Task<JsonObject> AskAsync(string question, ulong guild, ulong channel, int expectedShard)
    {
        var bot = _gateway.BotUserId.ToString(CultureInfo.InvariantCulture);
        var asker = (ulong)Interlocked.Increment(ref _nextAuthor);
        _askers.Add(asker.ToString(CultureInfo.InvariantCulture));
        var message = _gateway.MessageCreate($"<@{bot}> {question}", channel, guild, asker);
        message["mentions"] = new JsonArray(new JsonObject
        {
            ["id"] = bot,
            ["username"] = "caravanbot",
            ["global_name"] = null,
            ["discriminator"] = "0",
            ["avatar"] = null,
            ["bot"] = true,
            ["public_flags"] = 0,
        });
        var (shard, _) = await _gateway.DispatchToShardAsync("MESSAGE_CREATE", message);
        Assert.Equal(expectedShard, shard);
        return message;
    }

    private Task<RecordedRequest> WaitForReplyAsync(JsonObject message) =>
        _rest.WaitForRequestAsync(r => EndToEndBot.IsReplyTo(r, message), BotProcess.StartTimeout);

    private List<RecordedRequest> RepliesTo(JsonObject message) => [.. _rest.Requests.Where(r => EndToEndBot.IsReplyTo(r, message))];

    private static async Task<double> QuestionsAnsweredAsync(BotProcess process) =>
        BotProcess.Metric((await process.GetAsync("/metrics")).Body, "caravanbot_questions_total");

    private async Task<string[]> ReviewListAsync()
    {
        var environment = BotProcess.Environment(_rest, Path.Combine(_folder, "answers.db"));
        string[] args = SharedLog.PostgresConnectionString is null
            ? ["review", "list", "--json", "--limit", "1000", "--db", Path.Combine(_folder, "answers.db")]
            : ["review", "list", "--json", "--limit", "1000"];
        await using var review = BotProcess.Start(environment, args);
        return await review.StandardOutputLinesAsync();
    }
}
