using System.Text.Json;
using CaravanBot.FakeDiscord;

namespace CaravanBot.Bot.Tests.EndToEnd;

/// <summary>
/// Scenario 3: the gateway misbehaves the ways Discord's does. Each time the bot resumes or identifies anew as the
/// rules say, no question the gateway dispatched goes unanswered, none is answered twice (replays overlap what was
/// already delivered), and the commands are written once per process.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class GatewayFaultTests
{
    private readonly SharedModel _model;

    public GatewayFaultTests(SharedModel model)
    {
        _model = model;
    }

    [Fact]
    public async Task A_connection_dropped_right_after_a_question_is_resumed_and_the_question_answered_once()
    {
        await using var e2e = await EndToEndBot.StartAsync(_model, bot => bot.Gateway.ReplayOverlap = 1);
        var session = e2e.Gateway.CurrentSession!;
        var first = e2e.Gateway.Connections[0];
        var readySequence = session.LastSequence;

        var question = await e2e.MentionAsync("what does Mexico want?");
        var questionSequence = session.LastSequence;
        first.Abort();

        var resume = await WaitForResumeAsync(e2e);
        var after = await e2e.SettleAsync();

        // The bot may or may not have read the question before the drop: it resumes from whichever it saw.
        AssertResume(e2e, resume, session.Id, readySequence, questionSequence);
        Assert.True((await first.Closed).Aborted);
        await e2e.AssertEachAnsweredOnceAsync([question, after]);
        Assert.Single(e2e.Payloads(2));
        e2e.AssertCommandsRegisteredOnce();
        e2e.AssertEveryRequestValid();
    }

    [Fact]
    public async Task A_connection_dropped_with_questions_queued_for_replay_resumes_and_answers_each_once()
    {
        await using var e2e = await EndToEndBot.StartAsync(_model, bot => bot.Gateway.ReplayOverlap = 1);
        var session = e2e.Gateway.CurrentSession!;
        var answered = await e2e.MentionAsync("what does Mexico want?");
        await e2e.WaitForReplyAsync(answered);
        var seen = session.LastSequence;

        // Lost on the wire: only the RESUME's replay delivers them, after the answered question again (overlap 1).
        var missed = new[] { e2e.AddMissedMention("Who is Blinken meeting?"), e2e.AddMissedMention("How many migrants are in the caravan?") };
        e2e.Gateway.Connections[0].Abort();

        var resume = await WaitForResumeAsync(e2e);
        var after = await e2e.SettleAsync("Where did the families sleep on Christmas Day?");

        AssertResume(e2e, resume, session.Id, seen, seen);
        await e2e.AssertEachAnsweredOnceAsync([answered, .. missed, after]);
        AssertReplayedDuplicateSkipped(e2e, seen);
        Assert.Single(e2e.Payloads(2));
        e2e.AssertCommandsRegisteredOnce();
        e2e.AssertEveryRequestValid();
    }

    [Fact]
    public async Task Reconnect_op_7_closes_without_1000_resumes_replays_and_answers_each_question_once()
    {
        await using var e2e = await EndToEndBot.StartAsync(_model, bot => bot.Gateway.ReplayOverlap = 1);
        var session = e2e.Gateway.CurrentSession!;
        var answered = await e2e.MentionAsync("what does Mexico want?");
        await e2e.WaitForReplyAsync(answered);
        var seen = session.LastSequence;
        var missed = e2e.AddMissedMention("Who is Blinken meeting?");
        var first = e2e.Gateway.Connections[0];

        await first.SendReconnectAsync();

        var resume = await WaitForResumeAsync(e2e);
        var after = await e2e.SettleAsync();
        AssertResume(e2e, resume, session.Id, seen, seen);
        AssertClosedForResume(await first.Closed);
        await e2e.AssertEachAnsweredOnceAsync([answered, missed, after]);
        AssertReplayedDuplicateSkipped(e2e, seen);
        Assert.Single(e2e.Payloads(2));
        e2e.AssertCommandsRegisteredOnce();
        e2e.AssertEveryRequestValid();
    }

    [Fact]
    public async Task Resumable_invalid_session_op_9_true_resumes_and_answers_each_question_once()
    {
        await using var e2e = await EndToEndBot.StartAsync(_model, bot => bot.Gateway.ReplayOverlap = 1);
        var session = e2e.Gateway.CurrentSession!;
        var answered = await e2e.MentionAsync("what does Mexico want?");
        await e2e.WaitForReplyAsync(answered);
        var seen = session.LastSequence;
        var missed = e2e.AddMissedMention("Who is Blinken meeting?");
        var first = e2e.Gateway.Connections[0];

        await first.SendInvalidSessionAsync(resumable: true);

        var resume = await WaitForResumeAsync(e2e);
        var after = await e2e.SettleAsync();
        AssertResume(e2e, resume, session.Id, seen, seen);
        AssertClosedForResume(await first.Closed);
        await e2e.AssertEachAnsweredOnceAsync([answered, missed, after]);
        AssertReplayedDuplicateSkipped(e2e, seen);
        Assert.Single(e2e.Payloads(2));
        e2e.AssertCommandsRegisteredOnce();
        e2e.AssertEveryRequestValid();
    }

    [Fact]
    public async Task Invalid_session_op_9_false_identifies_anew_after_the_wait_and_answers_questions_in_the_new_session()
    {
        await using var e2e = await EndToEndBot.StartAsync(_model);
        var firstSession = e2e.Gateway.CurrentSession!;
        var answered = await e2e.MentionAsync("what does Mexico want?");
        await e2e.WaitForReplyAsync(answered);
        var first = e2e.Gateway.Connections[0];

        var invalidatedAt = e2e.Gateway.Elapsed;
        await first.SendInvalidSessionAsync(resumable: false);

        var identify = await e2e.Gateway.WaitForPayloadAsync(p => p.Op == 2 && p.ConnectionIndex > 0, "a second IDENTIFY", EndToEndBot.ReplyTimeout);
        await e2e.Gateway.WaitUntilAsync(() => e2e.Gateway.CurrentSession != firstSession, "the new session's READY", EndToEndBot.ReplyTimeout);
        var inNewSession = await e2e.MentionAsync("Who is Blinken meeting?");
        var after = await e2e.SettleAsync("How many migrants are in the caravan?");

        // The rules ask for a 1-5 s pause (shrunk to 100-200 ms here) before identifying again, and a fresh IDENTIFY, not a RESUME.
        Assert.True(identify.At - invalidatedAt >= TimeSpan.FromMilliseconds(100), $"identified again after {(identify.At - invalidatedAt).TotalMilliseconds} ms");
        Assert.Empty(e2e.Payloads(6));
        Assert.Equal(2, e2e.Payloads(2).Count);
        Assert.Equal(e2e.Rest.BotToken, identify.Data.GetProperty("token").GetString());
        Assert.Equal(FakeGatewayServer.GatewayPath, e2e.Gateway.Connections[identify.ConnectionIndex].Path);
        Assert.Equal(2, e2e.Rest.Requests.Count(r => r.Is("GET", "/gateway/bot")));
        Assert.NotEqual(firstSession.Id, e2e.Gateway.CurrentSession!.Id);
        await e2e.AssertEachAnsweredOnceAsync([answered, inNewSession, after]);
        e2e.AssertCommandsRegisteredOnce();
        e2e.AssertEveryRequestValid();
    }

    [Fact]
    public async Task Unacknowledged_heartbeats_make_the_bot_drop_the_zombie_connection_and_resume_without_losing_questions()
    {
        await using var e2e = await EndToEndBot.StartAsync(_model, bot =>
        {
            bot.Gateway.HeartbeatIntervalMs = 400;
            bot.Gateway.ReplayOverlap = 1;
        });
        var session = e2e.Gateway.CurrentSession!;
        var answered = await e2e.MentionAsync("what does Mexico want?");
        await e2e.WaitForReplyAsync(answered);
        var seen = session.LastSequence;
        var first = e2e.Gateway.Connections[0];

        first.AckHeartbeats = false;
        var duringZombie = await e2e.MentionAsync("Who is Blinken meeting?");

        var resume = await WaitForResumeAsync(e2e);
        var after = await e2e.SettleAsync("How many migrants are in the caravan?");
        AssertResume(e2e, resume, session.Id, seen, session.LastSequence);
        AssertClosedForResume(await first.Closed);
        Assert.Contains(e2e.Logs.Entries, e => e.Message.Contains("zombie", StringComparison.Ordinal));
        await e2e.AssertEachAnsweredOnceAsync([answered, duringZombie, after]);
        Assert.Single(e2e.Payloads(2));
        e2e.AssertCommandsRegisteredOnce();
        e2e.AssertEveryRequestValid();
    }

    private static Task<FakeGatewayPayload> WaitForResumeAsync(EndToEndBot e2e) =>
        e2e.Gateway.WaitForPayloadAsync(p => p.Op == 6, "RESUME", EndToEndBot.ReplyTimeout);

    /// <summary>RESUME on a new connection to <c>resume_gateway_url</c> with the bot's token, the session and a sequence it saw.</summary>
    private static void AssertResume(EndToEndBot e2e, FakeGatewayPayload resume, string sessionId, long lowestSequence, long highestSequence)
    {
        Assert.Equal(1, resume.ConnectionIndex);
        Assert.Equal(FakeGatewayServer.ResumePath, e2e.Gateway.Connections[1].Path);
        Assert.Equal(sessionId, resume.Data.GetProperty("session_id").GetString());
        Assert.Equal(e2e.Rest.BotToken, resume.Data.GetProperty("token").GetString());
        Assert.Equal(JsonValueKind.Number, resume.Data.GetProperty("seq").ValueKind);
        Assert.InRange(resume.Data.GetProperty("seq").GetInt64(), lowestSequence, highestSequence);
        Assert.Single(e2e.Payloads(6));
    }

    /// <summary>The replay repeated the last event the bot had seen (overlap 1), and the bot skipped it rather than answer again.</summary>
    private static void AssertReplayedDuplicateSkipped(EndToEndBot e2e, long seen) =>
        Assert.Contains(e2e.Logs.Entries, e => e.Message.Contains("already delivered", StringComparison.Ordinal)
            && e.Properties.Any(p => p.Key == "Sequence" && Convert.ToInt64(p.Value, System.Globalization.CultureInfo.InvariantCulture) == seen));

    /// <summary>The bot left the old connection without 1000/1001, which would have thrown the session away.</summary>
    private static void AssertClosedForResume(FakeGatewayClose close)
    {
        if (close.ClientCloseCode is { } code)
        {
            Assert.NotEqual(1000, code);
            Assert.NotEqual(1001, code);
        }
    }
}
