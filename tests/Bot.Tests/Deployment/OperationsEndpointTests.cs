using System.Globalization;
using System.Text.Json.Nodes;
using CaravanBot.Bot.Tests.EndToEnd;
using CaravanBot.FakeDiscord;

namespace CaravanBot.Bot.Tests.Deployment;

/// <summary>
/// The health and metrics port of a real <c>caravanbot run</c> process: <c>/readyz</c> follows the gateway, and after a
/// scripted session (questions answered and abstained on, an <c>/ask</c>, a vote, a reconnect) <c>/metrics</c> counts
/// exactly what happened.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class OperationsEndpointTests : IAsyncLifetime
{
    private const ulong Channel = 1310000000000000004;

    private readonly string _folder = Directory.CreateTempSubdirectory("caravanbot-operations-").FullName;
    private FakeRestServer _rest = null!;
    private FakeGatewayServer _gateway = null!;
    private BotProcess? _bot;
    private long _nextAuthor = 1320000000000800000;

    public async Task InitializeAsync()
    {
        _rest = await FakeRestServer.StartAsync();
        _gateway = await FakeGatewayServer.StartAsync();
        _gateway.HeartbeatIntervalMs = 30_000;
        _rest.GatewayUrl = _gateway.GatewayUrl;
        _rest.BotUserId = _gateway.BotUserId;
    }

    public async Task DisposeAsync()
    {
        if (_bot is not null)
        {
            await _bot.DisposeAsync();
        }

        await _gateway.DisposeAsync();
        await _rest.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Readiness_follows_the_gateway_and_the_metrics_count_a_scripted_session()
    {
        // READY is held back: the process is up (healthz) but cannot answer yet (readyz 503, naming the shard's state).
        _gateway.AutoReady = false;
        _bot = BotProcess.Start(BotProcess.Environment(_rest, BotProcess.SqliteLog(Path.Combine(_folder, "answers.db"))), "run");
        var identify = await _bot.WhileRunningAsync(_gateway.WaitForPayloadAsync(p => p.Op == 2, "IDENTIFY", BotProcess.StartTimeout));
        await _gateway.WaitUntilAsync(() => _bot.Stderr.Contains("Health and metrics on", StringComparison.Ordinal), "the health port", BotProcess.StartTimeout);
        Assert.Equal(200, (await _bot.GetAsync("/healthz")).Status);
        var notReady = await _bot.GetAsync("/readyz");
        Assert.Equal(503, notReady.Status);
        Assert.Contains("gateway shard 0/1: identifying", notReady.Body, StringComparison.Ordinal);

        await _gateway.Connections[identify.ConnectionIndex].SendReadyAsync();
        await _bot.WaitUntilReadyAsync();
        var ready = await _bot.GetAsync("/readyz");
        Assert.Contains("gateway shard 0/1: connected", ready.Body, StringComparison.Ordinal);
        Assert.Contains("answer log: reachable", ready.Body, StringComparison.Ordinal);
        Assert.Contains("article: indexed", ready.Body, StringComparison.Ordinal);

        // The session: two questions answered, one abstained on, one /ask, one 👍.
        var answered = await MentionAsync("What does Mexico want?");
        var reply = await WaitForReplyAsync(answered);
        await WaitForReplyAsync(await MentionAsync("How many migrants are in the caravan?"));
        await WaitForReplyAsync(await MentionAsync("What is the capital of France?"));
        var ask = _gateway.SlashCommandInteraction("ask", new Dictionary<string, string> { ["question"] = "What does Mexico want?" }, "itoken-" + Guid.NewGuid().ToString("N"), userId: NextAuthor());
        await _gateway.DispatchAsync("INTERACTION_CREATE", ask);
        await _rest.WaitForRequestAsync(r => r.Is("POST", "/interactions/{interaction_id}/{interaction_token}/callback") && r.Path.Contains(ask["token"]!.GetValue<string>(), StringComparison.Ordinal), BotProcess.StartTimeout);

        var upvote = ModerationEndToEnd.CustomIds(reply.Json).Single(id => id.StartsWith("fb:up:", StringComparison.Ordinal));
        var message = JsonNode.Parse(reply.Json.GetRawText())!.AsObject();
        message["id"] = "1400000000000009998";
        message["channel_id"] = Channel.ToString(CultureInfo.InvariantCulture);
        var click = _gateway.ComponentInteraction(upvote, message, "vote-" + Guid.NewGuid().ToString("N"), NextAuthor(), "0");
        await _gateway.DispatchAsync("INTERACTION_CREATE", click);
        await _rest.WaitForRequestAsync(r => r.Path.Contains(click["token"]!.GetValue<string>(), StringComparison.Ordinal), BotProcess.StartTimeout);

        // Discord drops the connection: the shard resumes, one reconnect.
        await _gateway.Connections[identify.ConnectionIndex].CloseAsync(4000, "Unknown error");
        await _gateway.WaitUntilAsync(() => _gateway.Received.Any(p => p.Op == 6), "RESUME", BotProcess.StartTimeout);
        await _bot.WaitUntilReadyAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));

        var metrics = (await _bot.GetAsync("/metrics")).Body;
        Assert.Equal(4, BotProcess.Metric(metrics, "caravanbot_questions_total"));
        Assert.Equal(3, BotProcess.Metric(metrics, "caravanbot_answers_total", ("mode", "extractive")));
        Assert.Equal(1, BotProcess.Metric(metrics, "caravanbot_abstentions_total", ("reason", "off_topic")));
        Assert.Equal(4, BotProcess.Metric(metrics, "caravanbot_answer_duration_seconds_count"));
        Assert.Equal(0, BotProcess.Metric(metrics, "caravanbot_corrections_served_total"));
        Assert.Equal(1, BotProcess.Metric(metrics, "caravanbot_votes_total", ("vote", "up"), ("outcome", "added")));
        Assert.Equal(4, BotProcess.Metric(metrics, "caravanbot_answer_log_write_duration_seconds_count", ("operation", "record")));
        Assert.Equal(1, BotProcess.Metric(metrics, "caravanbot_answer_log_write_duration_seconds_count", ("operation", "vote")));
        Assert.Equal(0, BotProcess.Metric(metrics, "caravanbot_answer_log_write_failures_total"));
        Assert.Equal(1, BotProcess.Metric(metrics, "caravanbot_gateway_state", ("shard", "0"), ("state", "connected")));
        Assert.Equal(0, BotProcess.Metric(metrics, "caravanbot_gateway_state", ("shard", "0"), ("state", "identifying")));
        Assert.Equal(1, BotProcess.Metric(metrics, "caravanbot_gateway_reconnects_total", ("shard", "0")));
        Assert.Equal(3, BotProcess.Metric(metrics, "caravanbot_discord_rest_responses_total", ("route", "POST channels/{channel_id}/messages"), ("status", "200")));
        Assert.Equal(2, BotProcess.Metric(metrics, "caravanbot_discord_rest_responses_total", ("route", "POST interactions/{interaction_id}/{interaction_token}/callback"), ("status", "204")));
        Assert.Contains("service_name=\"caravanbot\"", metrics, StringComparison.Ordinal);
    }

    private ulong NextAuthor() => (ulong)Interlocked.Increment(ref _nextAuthor);

    private async Task<JsonObject> MentionAsync(string question)
    {
        var message = _gateway.BotMention(question, Channel, authorId: NextAuthor());
        await _gateway.DispatchAsync("MESSAGE_CREATE", message);
        return message;
    }

    private Task<RecordedRequest> WaitForReplyAsync(JsonObject message) =>
        _rest.WaitForRequestAsync(r => EndToEndBot.IsReplyTo(r, message), BotProcess.StartTimeout);
}
