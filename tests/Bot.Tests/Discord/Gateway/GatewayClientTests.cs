using System.Text.Json;
using CaravanBot.Bot.Discord.Gateway;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.FakeDiscord;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Tests.Discord.Gateway;

/// <summary>
/// The gateway client against a real WebSocket server on 127.0.0.1 playing Discord. Timings are shrunk
/// through <see cref="GatewayClientOptions"/> and the fake's heartbeat interval; waits are bounded polls.
/// </summary>
public sealed class GatewayClientTests
{
    private static readonly object Presence = new { since = (object?)null, activities = Array.Empty<object>(), status = "online", afk = false };

    [Fact]
    public async Task Identify_carries_token_intents_and_properties_on_an_upgrade_with_user_agent_and_version()
    {
        await using var h = await GatewayHarness.CreateAsync();
        await h.StartAndWaitForReadyAsync();

        var identify = Assert.Single(h.Server.Received, p => p.Op == 2);
        Assert.Equal(GatewayHarness.Token, identify.Data.GetProperty("token").GetString());
        // GUILDS 1 | GUILD_MESSAGES 512 | DIRECT_MESSAGES 4096 | MESSAGE_CONTENT 32768.
        Assert.Equal(37377, identify.Data.GetProperty("intents").GetInt32());
        var properties = identify.Data.GetProperty("properties");
        Assert.Equal("linux", properties.GetProperty("os").GetString());
        Assert.Equal("caravanbot", properties.GetProperty("browser").GetString());
        Assert.Equal("caravanbot", properties.GetProperty("device").GetString());

        var connection = h.Server.Connections[0];
        Assert.Equal(FakeGatewayServer.GatewayPath, connection.Path);
        Assert.Equal("?v=10&encoding=json", connection.Query);
        Assert.Equal(h.Discord.UserAgent, connection.UserAgent);
    }

    [Fact]
    public async Task Ready_gives_the_session_and_is_passed_on_before_the_events_that_follow()
    {
        await using var h = await GatewayHarness.CreateAsync();
        await h.StartAndWaitForReadyAsync();
        await h.Server.SendMessageCreateAsync("Who leads the caravan?");
        await h.WaitUntilAsync(() => h.Messages.Any(), "MESSAGE_CREATE");

        var session = h.Client.Session!;
        Assert.Equal(h.Server.CurrentSession!.Id, session.SessionId);
        Assert.Equal(h.Server.ResumeUrl, session.ResumeGatewayUrl);
        Assert.Equal(h.Server.BotUserId, session.UserId);
        Assert.Equal(h.Server.ApplicationId, session.ApplicationId);
        Assert.Equal([GatewayState.Connecting, GatewayState.Identifying, GatewayState.Connected], h.States);

        Assert.Equal(["READY", "MESSAGE_CREATE"], h.Dispatches.Select(d => d.Type));
        Assert.Equal([1L, 2L], h.Dispatches.Select(d => d.Sequence));
        var message = h.Dispatches[1].Data.Deserialize<DiscordMessage>(DiscordJson.Options)!;
        Assert.Equal("Who leads the caravan?", message.Content);
        Assert.Equal(1320000000000000005UL, message.Author!.Id.Value);
    }

    [Fact]
    public async Task Interaction_from_the_fake_reads_as_the_bots_interaction_model()
    {
        await using var h = await GatewayHarness.CreateAsync();
        await h.StartAndWaitForReadyAsync();

        await h.Server.DispatchAsync("INTERACTION_CREATE", h.Server.SlashCommandInteraction("ask", new Dictionary<string, string> { ["question"] = "Who met Blinken?" }));
        await h.WaitUntilAsync(() => h.Dispatches.Any(d => d.Type == "INTERACTION_CREATE"), "INTERACTION_CREATE");

        var interaction = h.Dispatches.Single(d => d.Type == "INTERACTION_CREATE").Data.Deserialize<Interaction>(DiscordJson.Options)!;
        Assert.Equal(InteractionType.ApplicationCommand, interaction.Type);
        Assert.Equal("ask", interaction.Data!.Name);
        Assert.Equal("Who met Blinken?", interaction.Data.Options![0].Value!.Value.GetString());
        Assert.Equal(h.Server.ApplicationId, interaction.ApplicationId.Value);
        Assert.Equal(1320000000000000005UL, interaction.Invoker!.Id.Value);
        Assert.Equal("fake-interaction-token", interaction.Token);
    }

    [Fact]
    public async Task Gateway_address_comes_from_gateway_bot_and_identify_waits_for_the_session_start_budget()
    {
        await using var h = await GatewayHarness.CreateAsync();
        h.Discord.GatewayUrl = null;
        var rest = new GatewayBotRestStub(() => new GatewayBotInfo
        {
            Url = h.Server.GatewayUrl,
            SessionStartLimit = new SessionStartLimit { Total = 1000, Remaining = 0, ResetAfter = 400, MaxConcurrency = 1 },
        });
        var startedAt = h.Server.Elapsed;
        h.Start(rest);

        var identify = await h.Server.WaitForPayloadAsync(p => p.Op == 2, "IDENTIFY");
        Assert.True(identify.At - startedAt >= TimeSpan.FromMilliseconds(380), $"identified after {(identify.At - startedAt).TotalMilliseconds} ms");
        Assert.Equal(1, rest.GatewayBotCalls);
        Assert.Contains(h.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("No session starts remain", StringComparison.Ordinal));
    }

    [Fact]
    public async Task First_heartbeat_is_jittered_into_the_interval_and_every_beat_carries_the_last_sequence()
    {
        await using var h = await GatewayHarness.CreateAsync(s =>
        {
            s.HeartbeatIntervalMs = 400;
            s.AutoReady = false;
        });
        h.Options.NextJitter = () => 0.25;
        h.Start();

        var connection = await h.Server.WaitForConnectionAsync(0);
        var first = await h.Server.WaitForPayloadAsync(p => p.Op == 1, "first heartbeat");
        var firstDelay = first.At - connection.HelloAt!.Value;
        Assert.InRange(firstDelay.TotalMilliseconds, 90, 100 + 300);
        Assert.Equal(JsonValueKind.Null, first.Data.ValueKind);

        await connection.SendReadyAsync();
        await h.WaitForConnectedAsync(1);
        var sentAt = h.Server.Elapsed;
        await h.Server.SendMessageCreateAsync("What did Blinken say?");
        var carrying = await h.Server.WaitForPayloadAsync(p => p.Op == 1 && p.At > sentAt, "heartbeat after the message");
        Assert.Equal(2, carrying.Data.GetInt64());

        var beats = h.Server.Received.Where(p => p.Op == 1).Select(p => p.At).ToList();
        Assert.InRange((beats[1] - beats[0]).TotalMilliseconds, 350, 400 + 300);
    }

    [Fact]
    public async Task First_heartbeat_with_real_randomness_falls_within_one_interval()
    {
        await using var h = await GatewayHarness.CreateAsync(s => s.HeartbeatIntervalMs = 500);
        h.Start();

        var connection = await h.Server.WaitForConnectionAsync(0);
        var first = await h.Server.WaitForPayloadAsync(p => p.Op == 1, "first heartbeat");
        Assert.InRange((first.At - connection.HelloAt!.Value).TotalMilliseconds, 0, 500 + 300);
    }

    [Fact]
    public async Task Heartbeat_request_from_discord_is_answered_at_once_with_the_last_sequence()
    {
        await using var h = await GatewayHarness.CreateAsync(s => s.HeartbeatIntervalMs = 20_000);
        h.Options.NextJitter = () => 0.99;
        await h.StartAndWaitForReadyAsync();
        await h.Server.SendMessageCreateAsync("Where is Tapachula?");
        await h.WaitUntilAsync(() => h.Messages.Any(), "MESSAGE_CREATE");

        var askedAt = h.Server.Elapsed;
        await h.Server.Connections[0].RequestHeartbeatAsync();
        var beat = await h.Server.WaitForPayloadAsync(p => p.Op == 1, "heartbeat answering op 1", TimeSpan.FromSeconds(3));

        Assert.True(beat.At - askedAt < TimeSpan.FromSeconds(1), $"answered after {(beat.At - askedAt).TotalMilliseconds} ms");
        Assert.Equal(2, beat.Data.GetInt64());
    }

    [Fact]
    public async Task Dropped_connection_resumes_on_the_resume_url_and_missed_events_arrive_once_in_order()
    {
        await using var h = await GatewayHarness.CreateAsync(s => s.ReplayOverlap = 1);
        await h.StartAndWaitForReadyAsync();
        var sessionId = h.Client.Session!.SessionId;
        await h.Server.SendMessageCreateAsync("one");
        await h.Server.SendMessageCreateAsync("two");
        await h.WaitUntilAsync(() => h.Messages.Count() == 2, "two messages");

        h.Server.AddMissedDispatch("MESSAGE_CREATE", h.Server.MessageCreate("three"));
        h.Server.AddMissedDispatch("MESSAGE_CREATE", h.Server.MessageCreate("four"));
        h.Server.Connections[0].Abort();

        var resume = await h.Server.WaitForPayloadAsync(p => p.Op == 6, "RESUME");
        Assert.Equal(1, resume.ConnectionIndex);
        Assert.Equal(FakeGatewayServer.ResumePath, h.Server.Connections[1].Path);
        Assert.Equal("?v=10&encoding=json", h.Server.Connections[1].Query);
        Assert.Equal(GatewayHarness.Token, resume.Data.GetProperty("token").GetString());
        Assert.Equal(sessionId, resume.Data.GetProperty("session_id").GetString());
        Assert.Equal(3, resume.Data.GetProperty("seq").GetInt64());

        await h.WaitUntilAsync(() => h.Client.State == GatewayState.Connected && h.Dispatches.Any(d => d.Type == "RESUMED"), "RESUMED");
        await h.Server.SendMessageCreateAsync("five");
        await h.WaitUntilAsync(() => h.Messages.Count() >= 5, "five messages");

        Assert.Equal(["one", "two", "three", "four", "five"], h.Messages.Select(d => d.Data.GetProperty("content").GetString()));
        Assert.Equal([2L, 3L, 4L, 5L, 7L], h.Messages.Select(d => d.Sequence));
        Assert.Single(h.Server.Received, p => p.Op == 2);
        Assert.Contains(GatewayState.Resuming, h.States);
        Assert.Equal(sessionId, h.Client.Session!.SessionId);
    }

    [Fact]
    public async Task Reconnect_request_closes_without_invalidating_the_session_and_resumes()
    {
        await using var h = await GatewayHarness.CreateAsync();
        await h.StartAndWaitForReadyAsync();
        await h.Server.SendMessageCreateAsync("before op 7");
        await h.WaitUntilAsync(() => h.Messages.Any(), "MESSAGE_CREATE");

        await h.Server.Connections[0].SendReconnectAsync();

        var resume = await h.Server.WaitForPayloadAsync(p => p.Op == 6, "RESUME");
        Assert.Equal(2, resume.Data.GetProperty("seq").GetInt64());
        var close = await h.Server.Connections[0].Closed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(close.ServerClosedFirst);
        Assert.NotNull(close.ClientCloseCode);
        Assert.NotEqual(1000, close.ClientCloseCode);
        Assert.NotEqual(1001, close.ClientCloseCode);
        await h.WaitUntilAsync(() => h.Client.State == GatewayState.Connected && h.Dispatches.Any(d => d.Type == "RESUMED"), "RESUMED");
        Assert.Single(h.Server.Received, p => p.Op == 2);
    }

    [Fact]
    public async Task Resumable_invalid_session_resumes()
    {
        await using var h = await GatewayHarness.CreateAsync();
        await h.StartAndWaitForReadyAsync();

        await h.Server.Connections[0].SendInvalidSessionAsync(resumable: true);

        var resume = await h.Server.WaitForPayloadAsync(p => p.Op == 6, "RESUME");
        Assert.Equal(h.Client.Session!.SessionId, resume.Data.GetProperty("session_id").GetString());
        var close = await h.Server.Connections[0].Closed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.NotEqual(1000, close.ClientCloseCode);
        await h.WaitUntilAsync(() => h.Dispatches.Any(d => d.Type == "RESUMED"), "RESUMED");
        Assert.Single(h.Server.Received, p => p.Op == 2);
    }

    [Fact]
    public async Task Invalid_session_waits_within_the_configured_range_then_identifies_a_new_session()
    {
        await using var h = await GatewayHarness.CreateAsync();
        await h.StartAndWaitForReadyAsync();
        await h.Server.SendMessageCreateAsync("old session");
        await h.WaitUntilAsync(() => h.Messages.Any(), "MESSAGE_CREATE");

        var invalidatedAt = h.Server.Elapsed;
        await h.Server.Connections[0].SendInvalidSessionAsync(resumable: false);

        var identify = await h.Server.WaitForPayloadAsync(p => p.Op == 2 && p.ConnectionIndex > 0, "second IDENTIFY");
        var wait = identify.At - invalidatedAt;
        Assert.True(wait >= TimeSpan.FromMilliseconds(95), $"identified after {wait.TotalMilliseconds} ms");
        Assert.True(wait <= TimeSpan.FromMilliseconds(200 + 1500), $"identified after {wait.TotalMilliseconds} ms");
        Assert.DoesNotContain(h.Server.Received, p => p.Op == 6);

        await h.WaitForConnectedAsync(sessionCount: 2);
        Assert.Equal("fake-session-2", h.Client.Session!.SessionId);

        // The new session numbers from 1 again: its sequence 2 is new, not a replay of the old session's 2.
        await h.Server.SendMessageCreateAsync("new session");
        await h.WaitUntilAsync(() => h.Messages.Count() == 2, "message of the new session");
        Assert.Equal(2, h.Messages.Last().Sequence);
    }

    [Fact]
    public async Task Identifies_are_spaced_by_the_identify_interval()
    {
        await using var h = await GatewayHarness.CreateAsync();
        h.Options.IdentifyInterval = TimeSpan.FromMilliseconds(400);
        await h.StartAndWaitForReadyAsync();

        await h.Server.Connections[0].CloseAsync(4009, "Session timed out");

        var identifies = new List<FakeGatewayPayload>();
        await h.Server.WaitUntilAsync(() => (identifies = [.. h.Server.Received.Where(p => p.Op == 2)]).Count == 2, "second IDENTIFY");
        var gap = identifies[1].At - identifies[0].At;
        Assert.True(gap >= TimeSpan.FromMilliseconds(380), $"identified again after {gap.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Connection_without_hello_is_given_up_and_retried()
    {
        await using var h = await GatewayHarness.CreateAsync(s => s.SendHello = false);
        h.Options.HelloTimeout = TimeSpan.FromMilliseconds(300);
        h.Start();
        var silent = await h.Server.WaitForConnectionAsync(0);
        h.Server.SendHello = true;

        await h.WaitForConnectedAsync(sessionCount: 1);

        Assert.Empty(silent.Received);
        Assert.True((await silent.Closed.WaitAsync(TimeSpan.FromSeconds(5))).At - silent.OpenedAt >= TimeSpan.FromMilliseconds(280));
        Assert.Single(h.Server.Received, p => p.Op == 2);
    }

    [Fact]
    public async Task Rejected_resume_falls_back_to_a_new_identify()
    {
        await using var h = await GatewayHarness.CreateAsync();
        await h.StartAndWaitForReadyAsync();

        h.Server.CurrentSession!.Invalidated = true;
        h.Server.Connections[0].Abort();

        await h.Server.WaitForPayloadAsync(p => p.Op == 6, "RESUME");
        await h.Server.WaitForPayloadAsync(p => p.Op == 2 && p.ConnectionIndex == 2, "IDENTIFY after op 9");
        await h.WaitForConnectedAsync(sessionCount: 2);
        Assert.Equal("fake-session-2", h.Client.Session!.SessionId);
    }

    [Fact]
    public async Task Missing_heartbeat_acks_make_a_zombie_that_is_closed_without_1000_and_resumed()
    {
        await using var h = await GatewayHarness.CreateAsync(s => s.HeartbeatIntervalMs = 300);
        await h.StartAndWaitForReadyAsync();
        var first = h.Server.Connections[0];

        first.AckHeartbeats = false;

        var close = await first.Closed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(close.ServerClosedFirst);
        Assert.Equal(4000, close.ClientCloseCode);
        var resume = await h.Server.WaitForPayloadAsync(p => p.Op == 6, "RESUME");
        Assert.Equal(1, resume.ConnectionIndex);
        await h.WaitUntilAsync(() => h.Client.State == GatewayState.Connected && h.Dispatches.Any(d => d.Type == "RESUMED"), "RESUMED");
        Assert.Contains(h.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("zombie", StringComparison.Ordinal));
        // The client gave the last beat a whole interval to be acknowledged.
        var lastBeat = h.Server.Received.Where(p => p.Op == 1 && p.ConnectionIndex == 0).Max(p => p.At);
        Assert.True(close.At - lastBeat >= TimeSpan.FromMilliseconds(250), $"closed {(close.At - lastBeat).TotalMilliseconds} ms after the last beat");
    }

    [Theory]
    [InlineData(4000)]
    [InlineData(4001)]
    [InlineData(4002)]
    [InlineData(4003)]
    [InlineData(4005)]
    [InlineData(4008)]
    public async Task Resumable_close_codes_resume(int code)
    {
        await using var h = await GatewayHarness.CreateAsync();
        await h.StartAndWaitForReadyAsync();

        await h.Server.Connections[0].CloseAsync(code, "test");

        var resume = await h.Server.WaitForPayloadAsync(p => p.Op == 6, "RESUME");
        Assert.Equal(1, resume.ConnectionIndex);
        var close = await h.Server.Connections[0].Closed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(code, close.ClientCloseCode);
        await h.WaitUntilAsync(() => h.Dispatches.Any(d => d.Type == "RESUMED"), "RESUMED");
        Assert.Single(h.Server.Received, p => p.Op == 2);
    }

    [Theory]
    [InlineData(4007)]
    [InlineData(4009)]
    public async Task Session_ending_close_codes_identify_anew(int code)
    {
        await using var h = await GatewayHarness.CreateAsync();
        await h.StartAndWaitForReadyAsync();

        await h.Server.Connections[0].CloseAsync(code, "test");

        var identify = await h.Server.WaitForPayloadAsync(p => p.Op == 2 && p.ConnectionIndex == 1, "second IDENTIFY");
        Assert.Equal(FakeGatewayServer.GatewayPath, h.Server.Connections[identify.ConnectionIndex].Path);
        await h.WaitForConnectedAsync(sessionCount: 2);
        Assert.DoesNotContain(h.Server.Received, p => p.Op == 6);
        Assert.Equal("fake-session-2", h.Client.Session!.SessionId);
    }

    [Theory]
    [InlineData(4004, new[] { "authentication failed", "token", "DISCORD_TOKEN" })]
    [InlineData(4010, new[] { "invalid shard" })]
    [InlineData(4011, new[] { "sharding required" })]
    [InlineData(4012, new[] { "invalid API version" })]
    [InlineData(4013, new[] { "invalid intents" })]
    [InlineData(4014, new[] { "MESSAGE_CONTENT", "developer portal", "Privileged Gateway Intents" })]
    public async Task Fatal_close_codes_stop_with_an_explanation_and_never_reconnect(int code, string[] explanation)
    {
        await using var h = await GatewayHarness.CreateAsync(s => s.Intercept = async (connection, payload) =>
        {
            if (payload.Op != 2)
            {
                return false;
            }

            await connection.CloseAsync(code, "refused");
            return true;
        });
        h.Start();

        var error = await Assert.ThrowsAsync<GatewayFatalException>(() => h.Run!.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(code, error.CloseCode);
        foreach (var part in explanation)
        {
            Assert.Contains(part, error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(GatewayState.Stopped, h.Client.State);
        await Task.Delay(150);
        Assert.Single(h.Server.UpgradeAttempts);
        // Recorded for --verbose only: the exception carries the explanation and its catcher reports it once.
        Assert.Contains(h.Logs.Entries, e => e.Level == LogLevel.Debug && e.Message.Contains("stopped for good", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Unauthorized_gateway_bot_request_stops_with_the_token_explanation()
    {
        await using var h = await GatewayHarness.CreateAsync();
        h.Discord.GatewayUrl = null;
        var rest = new GatewayBotRestStub(() => throw new DiscordRestException(401, 0, "401: Unauthorized"));
        h.Start(rest);

        var error = await Assert.ThrowsAsync<GatewayFatalException>(() => h.Run!.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(4004, error.CloseCode);
        Assert.Contains("DISCORD_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, rest.GatewayBotCalls);
        Assert.Empty(h.Server.UpgradeAttempts);
    }

    [Fact]
    public async Task Back_off_doubles_between_consecutive_failures_and_restarts_after_a_stable_connection()
    {
        await using var h = await GatewayHarness.CreateAsync();
        h.Options.NextJitter = () => 1.0;
        h.Options.ConnectionStableAfter = TimeSpan.FromMilliseconds(300);
        h.Options.ReconnectBackoffBase = TimeSpan.FromMilliseconds(50);
        h.Options.ReconnectBackoffMax = TimeSpan.FromSeconds(2);
        h.Server.RejectNextUpgrades(5);
        h.Start();

        await h.WaitForConnectedAsync(sessionCount: 1);
        var attempts = h.Server.UpgradeAttempts;
        Assert.Equal(6, attempts.Count);
        var gaps = attempts.Zip(attempts.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToList();
        double[] expected = [50, 100, 200, 400, 800];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(gaps[i] >= expected[i] * 0.9 && gaps[i] < expected[i] + 400, $"gap {i} was {gaps[i]} ms, expected about {expected[i]} ms; gaps: {string.Join(", ", gaps)}");
        }

        // After READY and a while up the count starts over: a drop reconnects at once, and the next failure waits the base again.
        await Task.Delay(500);
        h.Server.RejectNextUpgrades(1);
        h.Server.Connections[0].Abort();
        await h.Server.WaitForPayloadAsync(p => p.Op == 6, "RESUME");
        var later = h.Server.UpgradeAttempts.Skip(6).ToList();
        Assert.Equal(2, later.Count);
        Assert.True((later[1] - later[0]).TotalMilliseconds < 400, $"retry after {(later[1] - later[0]).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Cancellation_closes_with_1000_and_stops()
    {
        await using var h = await GatewayHarness.CreateAsync();
        await h.StartAndWaitForReadyAsync();

        await h.StopAsync();

        var close = await h.Server.Connections[0].Closed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(close.ServerClosedFirst);
        Assert.Equal(1000, close.ClientCloseCode);
        Assert.Equal(GatewayState.Stopped, h.Client.State);
        Assert.Equal(GatewayState.Stopped, h.States[^1]);
        await Task.Delay(150);
        Assert.Single(h.Server.UpgradeAttempts);
    }

    [Fact]
    public async Task Send_limiter_lets_the_window_budget_through_then_waits_for_the_window_while_heartbeats_go_on()
    {
        await using var h = await GatewayHarness.CreateAsync(s => s.HeartbeatIntervalMs = 250);
        h.Options.SendWindow = TimeSpan.FromMilliseconds(1500);
        await h.StartAndWaitForReadyAsync();
        var identifiedAt = Assert.Single(h.Server.Received, p => p.Op == 2).At;

        var sends = Enumerable.Range(0, 130).Select(_ => h.Client.SendAsync(GatewayOpcode.PresenceUpdate, Presence)).ToList();
        var results = await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(results, Assert.True);
        await h.Server.WaitUntilAsync(() => h.Server.Received.Count(p => p.Op == 3) == 130, "130 presence updates");
        var presences = h.Server.Received.Where(p => p.Op == 3).Select(p => p.At).Order().ToList();

        // 120 per window, the heartbeat reserve kept, 1 spent on IDENTIFY.
        var budget = 120 - h.Options.ReservedHeartbeatSends - 1;
        Assert.True(presences[budget - 1] - identifiedAt < TimeSpan.FromMilliseconds(900), $"the budget took {(presences[budget - 1] - identifiedAt).TotalMilliseconds} ms");
        Assert.True(presences[budget] - identifiedAt >= TimeSpan.FromMilliseconds(1400), $"payload {budget + 1} went {(presences[budget] - identifiedAt).TotalMilliseconds} ms after IDENTIFY");
        var beatsWhileLimited = h.Server.Received.Count(p => p.Op == 1 && p.At > presences[budget - 1] && p.At < presences[budget]);
        Assert.True(beatsWhileLimited >= 2, $"{beatsWhileLimited} heartbeats while the limiter held payloads back");
        Assert.Single(h.Server.Connections);
    }

    [Fact]
    public async Task Payload_over_4096_bytes_is_refused_and_logged()
    {
        await using var h = await GatewayHarness.CreateAsync();
        await h.StartAndWaitForReadyAsync();

        var oversized = await h.Client.SendAsync(GatewayOpcode.PresenceUpdate, new { since = (object?)null, activities = new[] { new { name = new string('x', 5000), type = 4 } }, status = "online", afk = false });
        var normal = await h.Client.SendAsync(GatewayOpcode.PresenceUpdate, Presence);

        Assert.False(oversized);
        Assert.True(normal);
        await h.Server.WaitForPayloadAsync(p => p.Op == 3, "the normal presence update");
        var sent = Assert.Single(h.Server.Received, p => p.Op == 3);
        Assert.True(sent.Json.Length < 4096);
        Assert.Contains(h.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("4096", StringComparison.Ordinal));
        Assert.Equal(GatewayState.Connected, h.Client.State);
    }

    [Fact]
    public async Task Message_split_over_several_frames_is_reassembled()
    {
        await using var h = await GatewayHarness.CreateAsync();
        await h.StartAndWaitForReadyAsync();
        var content = string.Concat(Enumerable.Repeat("Families slept on scraps of plastic in Tapachula. ", 2000));

        await h.Server.DispatchAsync("MESSAGE_CREATE", h.Server.MessageCreate(content), frames: 7);
        await h.Server.SendMessageCreateAsync("after the long one");

        await h.WaitUntilAsync(() => h.Messages.Count() == 2, "both messages");
        Assert.Equal(content, h.Messages.First().Data.GetProperty("content").GetString());
        Assert.Equal("after the long one", h.Messages.Last().Data.GetProperty("content").GetString());
        Assert.Single(h.Server.Connections);
    }

    [Fact]
    public async Task Throwing_handler_is_logged_and_later_dispatches_still_arrive()
    {
        await using var h = await GatewayHarness.CreateAsync();
        h.Handler = (dispatch, _) => dispatch.Type == "MESSAGE_CREATE" && dispatch.Data.GetProperty("content").GetString() == "boom"
            ? throw new InvalidOperationException("handler failed")
            : ValueTask.CompletedTask;
        await h.StartAndWaitForReadyAsync();

        await h.Server.SendMessageCreateAsync("boom");
        await h.Server.SendMessageCreateAsync("after");

        await h.WaitUntilAsync(() => h.Messages.Count() == 2, "the message after the failure");
        Assert.Contains(h.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("MESSAGE_CREATE", StringComparison.Ordinal) && e.Exception!.ToString().Contains("handler failed", StringComparison.Ordinal));
        Assert.Single(h.Server.Connections);
        Assert.Equal(GatewayState.Connected, h.Client.State);
    }

    [Fact]
    public async Task Slow_handler_does_not_hold_up_heartbeats_or_acks()
    {
        await using var h = await GatewayHarness.CreateAsync(s => s.HeartbeatIntervalMs = 200);
        h.Handler = async (dispatch, ct) =>
        {
            if (dispatch.Type == "MESSAGE_CREATE" && dispatch.Data.GetProperty("content").GetString() == "slow")
            {
                await Task.Delay(1000, ct);
            }
        };
        await h.StartAndWaitForReadyAsync();

        var sentAt = h.Server.Elapsed;
        await h.Server.SendMessageCreateAsync("slow");
        await h.Server.SendMessageCreateAsync("next");
        await h.WaitUntilAsync(() => h.Messages.Count() == 2, "the message after the slow one");

        var beats = h.Server.Received.Count(p => p.Op == 1 && p.At > sentAt && p.At < sentAt + TimeSpan.FromMilliseconds(1000));
        Assert.True(beats >= 3, $"{beats} heartbeats while the handler was busy (from {sentAt.TotalMilliseconds} ms): {string.Join(", ", h.Server.Received.Select(p => $"#{p.ConnectionIndex} op{p.Op}@{p.At.TotalMilliseconds:0}"))}");
        Assert.Single(h.Server.Connections);
        Assert.Equal(["slow", "next"], h.Messages.Select(d => d.Data.GetProperty("content").GetString()));
    }

    [Fact]
    public async Task Token_never_appears_in_the_log_or_the_fatal_error()
    {
        var identifies = 0;
        await using var h = await GatewayHarness.CreateAsync(s => s.Intercept = async (connection, payload) =>
        {
            if (payload.Op == 2 && Interlocked.Increment(ref identifies) == 2)
            {
                await connection.CloseAsync(4004, "Authentication failed.");
                return true;
            }

            return false;
        });
        await h.StartAndWaitForReadyAsync();
        h.Server.Connections[0].Abort();
        await h.WaitUntilAsync(() => h.Dispatches.Any(d => d.Type == "RESUMED"), "RESUMED");
        await h.Server.Connections[1].SendInvalidSessionAsync(resumable: false);

        var error = await Assert.ThrowsAsync<GatewayFatalException>(() => h.Run!.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.DoesNotContain(GatewayHarness.Token, error.ToString(), StringComparison.Ordinal);
        var entries = h.Logs.Entries;
        Assert.True(entries.Count > 10, "the scenario logged");
        Assert.All(entries, e => Assert.DoesNotContain(GatewayHarness.Token, e.FullText, StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Level == LogLevel.Information && e.Properties.Any(p => p.Key == "State" && Equals(p.Value?.ToString(), "Resuming")));
    }

    [Theory]
    [InlineData(1, 1.0, 50)]
    [InlineData(2, 1.0, 100)]
    [InlineData(4, 1.0, 400)]
    [InlineData(4, 0.5, 200)]
    [InlineData(4, 0.0, 0)]
    [InlineData(7, 1.0, 1000)]
    [InlineData(200, 1.0, 1000)]
    [InlineData(0, 1.0, 0)]
    public void Back_off_is_exponential_capped_and_fully_jittered(int failures, double jitter, double expectedMs)
    {
        var delay = GatewayClient.BackoffDelay(failures, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(1000), jitter);

        Assert.Equal(expectedMs, delay.TotalMilliseconds, precision: 3);
    }
}
