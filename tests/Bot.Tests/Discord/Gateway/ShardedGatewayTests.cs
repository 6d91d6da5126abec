using System.Collections.Concurrent;
using System.Text.Json;
using CaravanBot.Bot.Discord;
using CaravanBot.Bot.Discord.Gateway;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.FakeDiscord;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Tests.Discord.Gateway;

/// <summary>
/// <see cref="ShardedGatewayClient"/> against the loopback gateway serving several shards: one connection per owned
/// shard, <c>shard: [id, count]</c> in IDENTIFY, events on the shard Discord routes them to, IDENTIFYs spaced per
/// <c>max_concurrency</c> bucket, within a process and across processes sharing a lock folder.
/// </summary>
public sealed class ShardedGatewayTests : IAsyncDisposable
{
    private const ulong GuildOfShard0 = 4UL << 22;
    private const ulong GuildOfShard1 = 5UL << 22;

    private readonly List<(ShardedGatewayClient Client, Task Run, CancellationTokenSource Stop, ILoggerFactory Logs)> _running = [];
    private readonly ConcurrentQueue<GatewayDispatch> _dispatches = new();
    private FakeGatewayServer _server = null!;

    static ShardedGatewayTests()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), Math.Max(completionPorts, 16));
    }

    public LogCapture Logs { get; } = new();

    [Fact]
    public async Task Each_owned_shard_identifies_with_its_id_and_count_and_receives_its_guilds_events()
    {
        _server = await FakeGatewayServer.StartAsync();
        _server.ShardCount = 2;
        var client = Start(shardCount: "2");
        await WaitForShardsAsync(client, 2);

        var identified = _server.Received.Where(p => p.Op == 2).Select(p => p.Data.GetProperty("shard").EnumerateArray().Select(e => e.GetInt32()).ToArray()).ToList();
        Assert.Equal(2, identified.Count);
        Assert.Contains(identified, s => s.SequenceEqual([0, 2]));
        Assert.Contains(identified, s => s.SequenceEqual([1, 2]));

        var (toShard1, _) = await _server.DispatchToShardAsync("MESSAGE_CREATE", _server.MessageCreate("on shard 1", guildId: GuildOfShard1));
        var (toShard0, _) = await _server.DispatchToShardAsync("MESSAGE_CREATE", _server.MessageCreate("on shard 0", guildId: GuildOfShard0));
        var dm = _server.MessageCreate("a DM");
        dm.Remove("guild_id");
        var (dmShard, _) = await _server.DispatchToShardAsync("MESSAGE_CREATE", dm);
        Assert.Equal((1, 0, 0), (toShard1, toShard0, dmShard));

        await _server.WaitUntilAsync(() => Messages().Count == 3, "three messages");
        Assert.Equal(1, Messages().Single(m => Content(m) == "on shard 1").Shard);
        Assert.Equal(0, Messages().Single(m => Content(m) == "on shard 0").Shard);
        Assert.Equal(0, Messages().Single(m => Content(m) == "a DM").Shard);
        // The overall state follows the shards' own events on their threads: it settles on Connected, never stays
        // on a stale reading taken while one shard was still identifying.
        await _server.WaitUntilAsync(() => client.State == GatewayState.Connected, "the overall state Connected");
        Assert.Equal([0, 1], client.Shards.Select(s => s.Shard.Id).Order());
    }

    [Fact]
    public async Task A_process_runs_only_the_shards_it_owns()
    {
        _server = await FakeGatewayServer.StartAsync();
        _server.ShardCount = 4;
        var client = Start(shardCount: "4", shardIds: "1-2");
        await WaitForShardsAsync(client, 2);

        var identified = _server.Received.Where(p => p.Op == 2).Select(p => p.Data.GetProperty("shard")[0].GetInt32()).Order();
        Assert.Equal([1, 2], identified);
        Assert.All(_server.Received.Where(p => p.Op == 2), p => Assert.Equal(4, p.Data.GetProperty("shard")[1].GetInt32()));
    }

    [Fact]
    public async Task Auto_runs_as_many_shards_as_gateway_bot_recommends()
    {
        _server = await FakeGatewayServer.StartAsync();
        _server.ShardCount = 3;
        var client = Start(shardCount: "auto", recommendedShards: 3);
        await WaitForShardsAsync(client, 3);

        Assert.Equal([0, 1, 2], _server.Received.Where(p => p.Op == 2).Select(p => p.Data.GetProperty("shard")[0].GetInt32()).Order());
    }

    [Fact]
    public async Task Shards_of_one_max_concurrency_bucket_identify_one_interval_apart()
    {
        _server = await FakeGatewayServer.StartAsync();
        _server.ShardCount = 2;
        var client = Start(shardCount: "2", identifyInterval: TimeSpan.FromMilliseconds(600), maxConcurrency: 1);
        await WaitForShardsAsync(client, 2);

        var identifies = _server.Received.Where(p => p.Op == 2).ToList();
        var gap = identifies[1].At - identifies[0].At;
        Assert.True(gap >= TimeSpan.FromMilliseconds(570), $"the second shard identified {gap.TotalMilliseconds} ms after the first");
    }

    [Fact]
    public async Task Shards_of_different_buckets_identify_without_waiting_for_each_other()
    {
        _server = await FakeGatewayServer.StartAsync();
        _server.ShardCount = 2;
        var client = Start(shardCount: "2", identifyInterval: TimeSpan.FromSeconds(30), maxConcurrency: 2);

        // Shard 0 is bucket 0 and shard 1 bucket 1 of max_concurrency 2: a 30 s interval holds neither.
        await WaitForShardsAsync(client, 2);
        Assert.DoesNotContain(Logs.Entries, e => e.FullText.Contains("to space IDENTIFYs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Processes_sharing_a_lock_folder_space_their_identifies_across_processes()
    {
        _server = await FakeGatewayServer.StartAsync();
        _server.ShardCount = 2;
        var folder = Directory.CreateTempSubdirectory("caravanbot-identify-").FullName;
        try
        {
            // Two gates on one folder stand for two processes: each owns one shard of the same bucket.
            var first = Start(shardCount: "2", shardIds: "0", identifyInterval: TimeSpan.FromMilliseconds(800), lockDirectory: folder);
            await WaitForShardsAsync(first, 1);
            var second = Start(shardCount: "2", shardIds: "1", identifyInterval: TimeSpan.FromMilliseconds(800), lockDirectory: folder);
            await WaitForShardsAsync(second, 1);

            var identifies = _server.Received.Where(p => p.Op == 2).ToList();
            var gap = identifies[1].At - identifies[0].At;
            Assert.True(gap >= TimeSpan.FromMilliseconds(750), $"the second process identified {gap.TotalMilliseconds} ms after the first");
            Assert.True(File.Exists(Path.Combine(folder, "identify-bucket-0-of-1.lock")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_fatal_close_on_one_shard_stops_every_shard()
    {
        _server = await FakeGatewayServer.StartAsync();
        _server.ShardCount = 2;
        var client = Start(shardCount: "2");
        await WaitForShardsAsync(client, 2);

        var shard1 = _server.Connections.Single(c => c.IdentifiedShard == 1);
        await shard1.CloseAsync(4004, "Authentication failed.");

        var fatal = await Assert.ThrowsAsync<GatewayFatalException>(() => _running[0].Run.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(4004, fatal.CloseCode);
        Assert.All(client.Shards, s => Assert.Equal(GatewayState.Stopped, s.State));
        Assert.Equal(1000, (await _server.Connections.Single(c => c.IdentifiedShard == 0).Closed).ClientCloseCode);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, run, stop, logs) in _running)
        {
            await stop.CancelAsync();
            try
            {
                await run.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception ex) when (ex is GatewayFatalException or TimeoutException)
            {
                // Asserted by the test that caused it.
            }

            stop.Dispose();
            logs.Dispose();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static string Content(GatewayDispatch dispatch) => dispatch.Data.GetProperty("content").GetString()!;

    private List<GatewayDispatch> Messages() => [.. _dispatches.Where(d => d.Type == "MESSAGE_CREATE")];

    private ShardedGatewayClient Start(
        string shardCount,
        string? shardIds = null,
        TimeSpan? identifyInterval = null,
        int maxConcurrency = 1,
        int recommendedShards = 1,
        string? lockDirectory = null)
    {
        var discord = new DiscordOptions { Token = GatewayHarness.Token, GatewayUrl = _server.GatewayUrl, ShardCount = shardCount, ShardIds = shardIds, IdentifyLockDirectory = lockDirectory };
        var options = new GatewayClientOptions
        {
            ReconnectBackoffBase = TimeSpan.FromMilliseconds(20),
            ReconnectBackoffMax = TimeSpan.FromMilliseconds(200),
            IdentifyInterval = identifyInterval ?? TimeSpan.Zero,
            CloseTimeout = TimeSpan.FromSeconds(1),
            MinHeartbeatInterval = TimeSpan.FromMilliseconds(50),
            SendWindow = TimeSpan.FromSeconds(2),
            ReservedHeartbeatSends = 50,
        };
        var rest = new GatewayBotRestStub(() => new GatewayBotInfo
        {
            Url = _server.GatewayUrl,
            Shards = recommendedShards,
            SessionStartLimit = new SessionStartLimit { Total = 1000, Remaining = 999, ResetAfter = 14_400_000, MaxConcurrency = maxConcurrency },
        });
        var loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Debug).AddProvider(Logs));
        var client = new ShardedGatewayClient(
            Options.Create(discord),
            rest,
            loggerFactory,
            TimeProvider.System,
            Options.Create(options),
            new IdentifyGate(lockDirectory, TimeProvider.System));
        var stop = new CancellationTokenSource();
        var run = Task.Run(() => client.RunAsync(
            (dispatch, _) =>
            {
                _dispatches.Enqueue(dispatch);
                return ValueTask.CompletedTask;
            },
            stop.Token));
        _running.Add((client, run, stop, loggerFactory));
        return client;
    }

    private async Task WaitForShardsAsync(ShardedGatewayClient client, int count)
    {
        var run = _running.Single(r => r.Client == client).Run;
        await _server.WaitUntilAsync(
            () => run.IsCompleted || (client.Shards.Count == count && client.Shards.All(s => s.State == GatewayState.Connected)),
            $"{count} connected shard(s)",
            TimeSpan.FromSeconds(20));
        if (run.IsCompleted)
        {
            await run;
        }
    }
}
