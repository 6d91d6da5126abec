using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Moderation;
using CaravanBot.Bot.Tests.AnswerLog;
using CaravanBot.Bot.Tests.EndToEnd;
using CaravanBot.FakeDiscord;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Tests.Deployment;

/// <summary>
/// Two <c>caravanbot run</c> processes sharing one bot across two shards and one answer log, against the loopback
/// gateway serving both shards: each question is answered once, by the process owning its guild's shard; their
/// IDENTIFYs take turns through the shared lock folder; a moderator whose review channel is on shard 1 retracts an
/// answer given on shard 0; a process killed with SIGKILL leaves the other serving, and started again it serves its
/// shard again. Runs on both stores: one SQLite file (processes on one machine) and one PostgreSQL database.
/// </summary>
public abstract class ShardedProcessesTests : IAsyncLifetime
{
    private const ulong GuildOfShard0 = 1300000000000000003; // (id >> 22) % 2 == 0
    private const ulong GuildOfShard1 = 1300000000004194307; // (id >> 22) % 2 == 1
    private const ulong ChannelOfShard0 = 1310000000000000010;
    private const ulong ChannelOfShard1 = 1310000000000000011;
    private const ulong ReviewChannel = 1310000000000000077; // in the guild of shard 1
    private const string Withdrawn = "A moderator withdrew this answer";
    private static readonly TimeSpan IdentifyInterval = TimeSpan.FromSeconds(1);

    private readonly List<BotProcess> _processes = [];
    private readonly List<string> _askers = [];
    private FakeRestServer _rest = null!;
    private FakeGatewayServer _gateway = null!;
    private IReadOnlyDictionary<string, string> _answerLog = null!;
    private IAnswerLog _log = null!;
    private long _nextAuthor = 1320000000000000100;

    /// <summary>A folder of this test's own: the SQLite file, the IDENTIFY lock files.</summary>
    private protected string Folder { get; } = Directory.CreateTempSubdirectory("caravanbot-shards-").FullName;

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
        await DisposeLogAsync();
        Directory.Delete(Folder, recursive: true);
    }

    [SkippableFact]
    public async Task Each_process_answers_its_shards_questions_once_a_moderator_on_the_other_shard_retracts_and_the_other_serves_on_when_one_is_killed()
    {
        (_answerLog, _log) = await CreateLogAsync();

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
        var replyOnShard0 = await WaitForReplyAsync(onShard0);
        await WaitForReplyAsync(onShard1);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(RepliesTo(onShard0));
        Assert.Single(RepliesTo(onShard1));
        Assert.Equal(1, await QuestionsAnsweredAsync(first));
        Assert.Equal(1, await QuestionsAnsweredAsync(second));

        // The moderator's review channel is on shard 1: Retract on the card of shard 0's answer reaches the second
        // process alone, which withdraws the public reply the first process sent, once.
        await RetractFromShard1Async(replyOnShard0);

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

        // Every answer of both processes is in the one shared log, once, as a moderator's terminal lists it.
        var logged = (await ReviewListAsync())
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("asker").GetProperty("id").GetString()!)
            .Order(StringComparer.Ordinal);
        Assert.Equal(_askers.Order(StringComparer.Ordinal), logged);
    }

    /// <summary>
    /// Creates the empty shared log the processes start on; returns its settings (<c>AnswerLog__…</c>) and the log
    /// opened in the test, to read what the processes recorded.
    /// </summary>
    private protected abstract Task<(IReadOnlyDictionary<string, string> Settings, IAnswerLog Log)> CreateLogAsync();

    /// <summary>Closes the test's log and drops what <see cref="CreateLogAsync"/> made beyond <see cref="Folder"/>.</summary>
    private protected abstract Task DisposeLogAsync();

    private async Task RetractFromShard1Async(RecordedRequest reply)
    {
        var answerId = long.Parse(
            ModerationEndToEnd.CustomIds(reply.Json).Single(id => id.StartsWith("fb:up:", StringComparison.Ordinal))["fb:up:".Length..],
            CultureInfo.InvariantCulture);
        var record = await WaitForRecordAsync(answerId, r => r.ReviewMessageId is not null, "its review card");
        var card = _rest.FindMessage(ReviewChannel, ulong.Parse(record.ReviewMessageId!, CultureInfo.InvariantCulture))
            ?? throw new InvalidOperationException("the review card is not in the review channel");
        var before = _rest.Requests[^1].Sequence;

        var token = "itoken-" + Guid.NewGuid().ToString("N");
        var click = _gateway.ComponentInteraction(
            ModerationCustomIds.ReviewButton(ReviewAction.Retract, answerId), card, token, ModerationEndToEnd.Moderator, ModerationEndToEnd.ModeratorPermissions, GuildOfShard1);
        var (shard, _) = await _gateway.DispatchToShardAsync("INTERACTION_CREATE", click);
        Assert.Equal(1, shard);

        await _rest.WaitForRequestAsync(r => r.Method == "POST" && r.Path.Contains(token, StringComparison.Ordinal), BotProcess.StartTimeout);
        var replyPath = ModerationEndToEnd.MessagePath(record.ReplyChannelId, record.ReplyMessageId);
        var edit = await _rest.WaitForRequestAsync(r => r.Sequence > before && r.Method == "PATCH" && r.ApiPath == replyPath, BotProcess.StartTimeout);
        Assert.StartsWith(Withdrawn, ModerationEndToEnd.Description(edit.Json), StringComparison.Ordinal);

        var retracted = await WaitForRecordAsync(answerId, r => r.Status == AnswerStatus.Retracted, "retracted");
        Assert.Equal(ModerationEndToEnd.Moderator.ToString(CultureInfo.InvariantCulture), Assert.Single(retracted.History).By.Id);

        // Neither process shows the change a second time (the first follows the log, but the change was shown).
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(_rest.Requests, r => r.Sequence > before && r.Method == "PATCH" && r.ApiPath == replyPath);
    }

    private async Task<AnswerRecord> WaitForRecordAsync(long id, Func<AnswerRecord, bool> condition, string description)
    {
        var deadline = DateTime.UtcNow + BotProcess.StartTimeout;
        while (true)
        {
            if (await _log.GetAsync(id) is { } record && condition(record))
            {
                return record;
            }

            Assert.True(DateTime.UtcNow < deadline, $"answer {id} was not {description} in time");
            await Task.Delay(50);
        }
    }

    private BotProcess Start(int shard)
    {
        var environment = BotProcess.Environment(_rest, _answerLog);
        environment["Discord__ShardCount"] = "2";
        environment["Discord__ShardIds"] = shard.ToString(CultureInfo.InvariantCulture);
        environment["Discord__IdentifyLockDirectory"] = Path.Combine(Folder, "identify");
        environment["Discord__Gateway__IdentifyInterval"] = IdentifyInterval.ToString("c", CultureInfo.InvariantCulture);
        environment["Moderation__ReviewChannelId"] = ReviewChannel.ToString(CultureInfo.InvariantCulture);
        var process = BotProcess.Start(environment, "run");
        _processes.Add(process);
        return process;
    }

    private async Task<JsonObject> AskAsync(string question, ulong guild, ulong channel, int expectedShard)
    {
        var asker = (ulong)Interlocked.Increment(ref _nextAuthor);
        _askers.Add(asker.ToString(CultureInfo.InvariantCulture));
        var message = _gateway.BotMention(question, channel, guild, asker);
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
        await using var review = BotProcess.Start(BotProcess.Environment(_rest, _answerLog), "review", "list", "--json", "--limit", "1000");
        return await review.StandardOutputLinesAsync();
    }
}

/// <summary>The shard processes on one machine, sharing one SQLite file.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class SqliteShardedProcessesTests : ShardedProcessesTests
{
    private SqliteAnswerLog? _log;

    private protected override async Task<(IReadOnlyDictionary<string, string>, IAnswerLog)> CreateLogAsync()
    {
        // The file exists before the processes start, as an operator's does: two processes creating a new SQLite log
        // at the same instant can trip over each other's migration (the store's start-up, not sharding).
        var path = Path.Combine(Folder, "answers.db");
        _log = new SqliteAnswerLog(Options.Create(new AnswerLogOptions { Path = path }), NullLogger<SqliteAnswerLog>.Instance);
        await _log.InitializeAsync();
        return (BotProcess.SqliteLog(path), _log);
    }

    private protected override async Task DisposeLogAsync()
    {
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }
    }
}

/// <summary>The shard processes as on several machines, sharing one PostgreSQL database.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class PostgresShardedProcessesTests : ShardedProcessesTests
{
    private PostgresDatabase? _database;

    private protected override async Task<(IReadOnlyDictionary<string, string>, IAnswerLog)> CreateLogAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync();
        return (BotProcess.PostgresLog(_database.ConnectionString), _database.Open());
    }

    private protected override async Task DisposeLogAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
