using System.Text.Json;
using CaravanBot.Bot.Discord.Gateway;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.FakeDiscord;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Tests.Discord.Gateway;

/// <summary>
/// The gateway client against a gateway that storms, floods, goes silent or lies: each fault a hostile peer used,
/// scripted on the fake. The client must back off, stay within Discord's budgets, end every state in which it
/// cannot answer within a bounded time (logged at warning), and keep its own identity.
/// </summary>
public sealed class HostileGatewayTests
{
    [Fact]
    public async Task A_gateway_that_drops_every_resumed_connection_at_once_gets_a_growing_back_off_not_a_storm()
    {
        await using var h = await GatewayHarness.CreateAsync();
        h.Options.NextJitter = () => 1.0;
        h.Options.ReconnectBackoffBase = TimeSpan.FromMilliseconds(50);
        h.Options.ReconnectBackoffMax = TimeSpan.FromSeconds(5);
        await h.StartAndWaitForReadyAsync();
        h.Server.DropEveryResumedConnectionAfter(TimeSpan.FromMilliseconds(50));

        var from = h.Server.Elapsed;
        h.Server.Connections[0].Abort();
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        var attempts = h.Server.UpgradeAttempts.Where(a => a > from).ToList();
        Assert.True(attempts.Count <= 8, $"{attempts.Count} connections in 2.5 s: {string.Join(", ", attempts.Select(a => (a - from).TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))} ms");
        Assert.True(attempts.Count >= 3, $"only {attempts.Count} connections");
        var gaps = attempts.Zip(attempts.Skip(1), (a, b) => b - a).ToList();
        Assert.True(gaps[^1] >= TimeSpan.FromMilliseconds(200), $"the last gap was {gaps[^1].TotalMilliseconds:0} ms: the back-off did not grow");
        Assert.Contains(h.Server.Received, p => p.Op == 6 && p.ConnectionIndex > 1);
    }

    [Fact]
    public async Task A_heartbeat_interval_of_one_millisecond_is_raised_to_the_minimum()
    {
        await using var h = await GatewayHarness.CreateAsync(s => s.HeartbeatIntervalMs = 1);
        h.Options.MinHeartbeatInterval = TimeSpan.FromMilliseconds(200);
        await h.StartAndWaitForReadyAsync();
        var helloAt = h.Server.Connections[0].HelloAt!.Value;

        await Task.Delay(TimeSpan.FromSeconds(1.2));

        var beats = h.Server.Received.Count(p => p.Op == 1 && p.At - helloAt <= TimeSpan.FromSeconds(1.2));
        Assert.InRange(beats, 3, 8);
        Assert.Contains(h.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("asked for a heartbeat every 1 ms", StringComparison.Ordinal));
        Assert.Single(h.Server.Connections);
    }

    [Fact]
    public async Task A_flood_of_heartbeat_requests_is_answered_within_the_reserve_and_the_scheduled_beats_go_on()
    {
        await using var h = await GatewayHarness.CreateAsync(s => s.HeartbeatIntervalMs = 400);
        h.Options.NextJitter = () => 0.99;
        await h.StartAndWaitForReadyAsync();
        var connection = h.Server.Connections[0];
        var from = h.Server.Elapsed;

        await connection.FloodHeartbeatRequestsAsync(300);
        await Task.Delay(TimeSpan.FromSeconds(1));

        var beats = h.Server.Received.Where(p => p.Op == 1 && p.At >= from).Select(p => p.At).ToList();
        var window = h.Options.SendWindow + (h.Options.SendWindow / 10);
        var inAnyWindow = beats.Select(start => beats.Count(b => b >= start && b - start < window)).Max();
        Assert.True(inAnyWindow <= h.Options.ReservedHeartbeatSends, $"{inAnyWindow} heartbeats within one send window, reserve {h.Options.ReservedHeartbeatSends}");
        Assert.True(beats.Count >= 5, $"only {beats.Count} heartbeats: op 1 was not answered at all");
        Assert.Contains(beats, b => b > from + TimeSpan.FromMilliseconds(400));
        Assert.Single(h.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("faster than the", StringComparison.Ordinal));
        Assert.True(connection.IsOpen);
    }

    [Fact]
    public async Task A_bogus_sequence_number_silences_nothing_and_heartbeats_and_resume_carry_the_last_received()
    {
        await using var h = await GatewayHarness.CreateAsync(s => s.HeartbeatIntervalMs = 200);
        await h.StartAndWaitForReadyAsync();
        var connection = h.Server.Connections[0];

        await connection.SendAsync(0, h.Server.MessageCreate("bogus"), sequence: 1_000_000, type: "MESSAGE_CREATE");
        await h.Server.SendMessageCreateAsync("after one");
        var last = await h.Server.SendMessageCreateAsync("after two");
        await h.WaitUntilAsync(() => h.Messages.Count() == 3, "the messages after the bogus number");

        var sentAt = h.Server.Elapsed;
        var beat = await h.Server.WaitForPayloadAsync(p => p.Op == 1 && p.At > sentAt, "a heartbeat after the messages");
        Assert.Equal(last, beat.Data.GetInt64());
        Assert.Contains(h.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("jumped from 1 to 1000000", StringComparison.Ordinal));

        connection.Abort();
        var resume = await h.Server.WaitForPayloadAsync(p => p.Op == 6, "RESUME");
        Assert.Equal(last, resume.Data.GetProperty("seq").GetInt64());
        await h.WaitForConnectedAsync(sessionCount: 1);
        Assert.Equal(["bogus", "after one", "after two"], h.Messages.Select(m => m.Data.GetProperty("content").GetString()));
    }

    [Fact]
    public async Task An_identify_never_answered_is_given_up_within_the_ready_timeout_with_a_warning_and_tried_again()
    {
        await using var h = await GatewayHarness.CreateAsync(s => s.AutoReady = false);
        h.Options.ReadyTimeout = TimeSpan.FromMilliseconds(500);
        h.Start();
        var silent = await h.Server.WaitForConnectionAsync(0);
        await h.Server.WaitForPayloadAsync(p => p.Op == 2, "IDENTIFY");
        h.Server.AutoReady = true;

        await h.WaitForConnectedAsync(sessionCount: 1);

        var closed = await silent.Closed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(closed.At - silent.OpenedAt >= TimeSpan.FromMilliseconds(480));
        Assert.Equal(2, h.Server.Received.Count(p => p.Op == 2));
        Assert.Contains(h.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("No READY after IDENTIFY within 500 ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_resume_never_answered_is_given_up_and_a_new_session_identified()
    {
        await using var h = await GatewayHarness.CreateAsync();
        h.Options.ReadyTimeout = TimeSpan.FromMilliseconds(500);
        await h.StartAndWaitForReadyAsync();
        h.Server.IgnoreResumes = true;

        h.Server.Connections[0].Abort();

        await h.Server.WaitForPayloadAsync(p => p.Op == 6, "RESUME");
        await h.WaitForConnectedAsync(sessionCount: 2);
        Assert.Contains(h.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("No RESUMED after RESUME", StringComparison.Ordinal));
        Assert.Equal("fake-session-2", h.Client.Session!.SessionId);
    }

    [Fact]
    public async Task After_an_invalid_session_the_identify_follows_within_the_invalid_session_wait_whatever_the_back_off()
    {
        await using var h = await GatewayHarness.CreateAsync();
        h.Options.NextJitter = () => 1.0;
        h.Options.ReconnectBackoffBase = TimeSpan.FromMilliseconds(200);
        h.Options.ReconnectBackoffMax = TimeSpan.FromSeconds(10);
        await h.StartAndWaitForReadyAsync();

        // Three failed attempts build up the back-off; then the resume is refused with op 9 d=false.
        h.Server.CurrentSession!.Invalidated = true;
        h.Server.RejectNextUpgrades(3);
        h.Server.Connections[0].Abort();

        var resume = await h.Server.WaitForPayloadAsync(p => p.Op == 6, "RESUME", TimeSpan.FromSeconds(15));
        var identify = await h.Server.WaitForPayloadAsync(p => p.Op == 2 && p.ConnectionIndex > resume.ConnectionIndex, "IDENTIFY after op 9");
        var wait = identify.At - resume.At;
        Assert.True(wait < TimeSpan.FromSeconds(1.2), $"identified {wait.TotalMilliseconds:0} ms after the invalid session (Discord asks for 1–5 s, here 100–200 ms)");
        Assert.True(wait >= TimeSpan.FromMilliseconds(150), $"identified after {wait.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task With_a_configured_gateway_address_the_session_start_budget_is_still_read_and_waited_for()
    {
        await using var h = await GatewayHarness.CreateAsync();
        var rest = new GatewayBotRestStub(() => new GatewayBotInfo
        {
            Url = "wss://gateway-bot-address.invalid",
            SessionStartLimit = new SessionStartLimit { Total = 1000, Remaining = 0, ResetAfter = 600, MaxConcurrency = 1 },
        });
        var startedAt = h.Server.Elapsed;
        h.Start(rest);

        var identify = await h.Server.WaitForPayloadAsync(p => p.Op == 2, "IDENTIFY");

        Assert.True(identify.At - startedAt >= TimeSpan.FromMilliseconds(580), $"identified after {(identify.At - startedAt).TotalMilliseconds:0} ms");
        Assert.Equal(FakeGatewayServer.GatewayPath, h.Server.Connections[identify.ConnectionIndex].Path);
        Assert.Equal(1, rest.GatewayBotCalls);
        Assert.Contains(h.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("No session starts remain", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_new_identify_reads_the_budget_again_so_a_gateway_that_ends_each_session_cannot_spend_it_unseen()
    {
        await using var h = await GatewayHarness.CreateAsync();
        await h.StartAndWaitForReadyAsync();

        await h.Server.Connections[0].CloseAsync(4009, "Session timed out");
        await h.WaitForConnectedAsync(sessionCount: 2);

        Assert.Equal(2, h.GatewayBot.GatewayBotCalls);
        Assert.Equal(2, h.Server.Received.Count(p => p.Op == 2));
    }

    [Fact]
    public async Task A_second_ready_naming_another_user_does_not_change_who_the_bot_is()
    {
        await using var h = await GatewayHarness.CreateAsync();
        await h.StartAndWaitForReadyAsync();
        var bot = h.Client.Session!.UserId;
        var connection = h.Server.Connections[0];

        // A READY nobody asked for, on the live connection.
        var impostor = h.Server.Ready(h.Server.CurrentSession!);
        impostor["user"]!["id"] = "1100000000000000999";
        await connection.SendAsync(0, impostor, sequence: h.Server.CurrentSession!.LastSequence + 1, type: "READY");
        await h.Server.SendMessageCreateAsync("still me?");
        await h.WaitUntilAsync(() => h.Messages.Any(), "the message after it");
        Assert.Equal(bot, h.Client.Session!.UserId);
        Assert.Single(h.Dispatches, d => d.Type == "READY");

        // A new session whose READY names another user: the session changes, the bot's identity does not.
        h.Server.BotUserId = 1100000000000000999;
        await connection.SendInvalidSessionAsync(resumable: false);
        await h.WaitForConnectedAsync(sessionCount: 2);
        Assert.Equal("fake-session-2", h.Client.Session!.SessionId);
        Assert.Equal(bot, h.Client.Session.UserId);
        Assert.Contains(h.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("keeping the first", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispatches_carry_when_they_came_off_the_socket()
    {
        await using var h = await GatewayHarness.CreateAsync();
        await h.StartAndWaitForReadyAsync();
        var before = TimeProvider.System.GetTimestamp();

        await h.Server.SendMessageCreateAsync("timed");
        await h.WaitUntilAsync(() => h.Messages.Any(), "MESSAGE_CREATE");

        var received = h.Messages.Single().ReceivedAt;
        Assert.True(received >= before, "received before it was sent");
        Assert.True(received <= TimeProvider.System.GetTimestamp());
        Assert.Equal(JsonValueKind.Object, h.Messages.Single().Data.ValueKind);
    }
}
