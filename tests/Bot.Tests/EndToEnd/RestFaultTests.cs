using CaravanBot.Bot.Discord.Gateway;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.FakeDiscord;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Tests.EndToEnd;

/// <summary>
/// Scenario 5: Discord's REST API pushes back on the reply. A 429 is waited out (at least <c>retry_after</c>,
/// for the route or for everything when global) and the reply still arrives; 5xx is retried with back-off; a
/// channel whose replies always fail is logged (no apology follows into it) and does not stop the bot answering elsewhere.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RestFaultTests
{
    private const string Replies = "/channels/{channel_id}/messages";
    private const double RetryAfterSeconds = 0.6;

    private readonly SharedModel _model;

    public RestFaultTests(SharedModel model)
    {
        _model = model;
    }

    [Fact]
    public async Task The_bot_talks_through_the_production_clients_tuned_from_the_Discord_Rest_and_Gateway_sections()
    {
        await using var e2e = await EndToEndBot.StartAsync(_model, configuration: new Dictionary<string, string?> { ["Discord:Rest:MaxServerErrorRetries"] = "2" });

        Assert.IsType<DiscordRestClient>(e2e.Host.Services.GetRequiredService<IDiscordRestClient>());
        Assert.IsType<ShardedGatewayClient>(e2e.Host.Services.GetRequiredService<IGatewayClient>());
        var rest = e2e.Host.Services.GetRequiredService<IOptions<DiscordRestOptions>>().Value;
        Assert.Equal(2, rest.MaxServerErrorRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(10), rest.RetryBaseDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(20), e2e.Host.Services.GetRequiredService<IOptions<GatewayClientOptions>>().Value.ReconnectBackoffBase);

        // And the client obeys: 1 + 2 attempts. No apology follows into a channel Discord is failing.
        e2e.Rest.On("POST", Replies).RespondAlways(FakeResponse.ServerError(503));
        var question = await e2e.MentionAsync("what does Mexico want?");
        await e2e.Logs.WaitForAsync(e => e.Message.Contains("was not delivered, and no apology is sent", StringComparison.Ordinal), EndToEndBot.ReplyTimeout);
        await e2e.WaitUntilIdleAsync();
        Assert.Equal(3, e2e.RepliesTo(question).Count);
        e2e.AssertEveryRequestValid();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_429_on_the_reply_is_waited_out_for_at_least_retry_after_and_the_reply_still_arrives(bool global)
    {
        await using var e2e = await EndToEndBot.StartAsync(_model);
        e2e.Rest.On("POST", Replies).Respond(FakeResponse.RateLimited(RetryAfterSeconds, global));

        var question = await e2e.MentionAsync("what does Mexico want?");

        var attempts = await e2e.WaitForReplyAttemptsAsync(question, 2);
        Assert.Equal(429, await e2e.ResponseStatusAsync(attempts[0]));
        Assert.Equal(200, await e2e.ResponseStatusAsync(attempts[1]));
        var waited = attempts[1].ReceivedAt - attempts[0].ReceivedAt;
        Assert.True(waited >= TimeSpan.FromSeconds(RetryAfterSeconds), $"retried after {waited.TotalMilliseconds:0} ms");
        Assert.Contains("sanctions on Cuba and Venezuela", attempts[1].Body, StringComparison.Ordinal);

        // The same message both times: its nonce lets Discord recognise a repeat.
        Assert.Equal(attempts[0].Json.GetProperty("nonce").GetString(), attempts[1].Json.GetProperty("nonce").GetString());
        await e2e.WaitUntilIdleAsync();
        Assert.Equal(2, e2e.RepliesTo(question).Count);
        Assert.Contains(e2e.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(global ? "global rate limit" : "rate-limited", StringComparison.Ordinal));
        e2e.AssertEveryRequestValid();
    }

    [Fact]
    public async Task Two_5xx_then_success_delivers_the_reply_in_exactly_3_attempts()
    {
        await using var e2e = await EndToEndBot.StartAsync(_model);
        e2e.Rest.On("POST", Replies).Respond(FakeResponse.ServerError(502), FakeResponse.ServerError(503));

        var question = await e2e.MentionAsync("what does Mexico want?");

        var attempts = await e2e.WaitForReplyAttemptsAsync(question, 3);
        await e2e.SettleAsync();
        var statuses = await Task.WhenAll(e2e.RepliesTo(question).Select(e2e.ResponseStatusAsync));
        Assert.Equal(new[] { 502, 503, 200 }, statuses);
        Assert.Single(attempts.Select(a => a.Json.GetProperty("nonce").GetString()).Distinct());
        Assert.Contains("sanctions on Cuba and Venezuela", attempts[2].Body, StringComparison.Ordinal);
        e2e.AssertEveryRequestValid();
    }

    [Fact]
    public async Task Replies_that_always_fail_with_5xx_are_logged_and_the_bot_keeps_answering_the_next_question()
    {
        const ulong broken = 1310000000000000999;
        await using var e2e = await EndToEndBot.StartAsync(_model);
        e2e.Rest.On("POST", $"/channels/{EndToEndBot.Number(broken)}/messages").RespondAlways(FakeResponse.ServerError(500));

        var lost = await e2e.MentionAsync("what does Mexico want?", channel: broken);

        // The answer gets 1 + 3 attempts before the bot gives up; an apology would only meet the same 500s.
        await e2e.WaitForReplyAttemptsAsync(lost, 4);
        await e2e.Logs.WaitForAsync(
            e => e.Level == LogLevel.Warning && e.Message.Contains($"The reply to message {EndToEndBot.Id(lost)}", StringComparison.Ordinal) && e.Message.Contains("500", StringComparison.Ordinal),
            EndToEndBot.ReplyTimeout);

        var next = await e2e.MentionAsync("Who is Blinken meeting?");
        var reply = await e2e.WaitForReplyAsync(next);
        Assert.Equal(200, await e2e.ResponseStatusAsync(reply));
        await e2e.WaitUntilIdleAsync();
        Assert.All(e2e.RepliesTo(lost), r => Assert.Equal(500, r.ResponseStatus));
        Assert.Equal(4, e2e.RepliesTo(lost).Count);
        Assert.False(e2e.Host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        e2e.AssertEveryRequestValid();
    }
}
