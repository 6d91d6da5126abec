using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.FakeDiscord;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Tests.Discord.Rest;

/// <summary>
/// Discord's rate limits as the fake server plays them. Timings are asserted as lower bounds (a wait
/// must not be shorter than Discord asked) and as orderings, never as tight upper bounds, so a loaded
/// machine cannot make them flaky.
/// </summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private const string ChannelMessages = "/channels/{channel_id}/messages";
    private static readonly Snowflake Channel = 1_200_000_000_000_000_001;
    private static readonly Snowflake OtherChannel = 1_200_000_000_000_000_002;
    private static readonly Snowflake InteractionId = 1_200_000_000_000_000_333;

    private readonly LogCapture _logs = new();
    private FakeRestServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeRestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_429_is_waited_out_for_retry_after_seconds_and_then_retried()
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.RateLimited(0.3));
        var client = _server.CreateClient(logger: _logs.CreateLogger<DiscordRestClient>());

        var message = await client.CreateMessageAsync(Channel, Text("hello"));

        var requests = _server.Requests;
        Assert.Equal([429, 200], requests.Select(r => r.ResponseStatus));
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.3), $"Retried after {(requests[1].ReceivedAt - requests[0].ReceivedAt).TotalMilliseconds} ms");
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.Equal(Channel, message.ChannelId);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("rate-limited", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_429_without_a_body_is_waited_out_by_its_Retry_After_header()
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.RateLimited(1, retryAfterInBody: false));
        var client = _server.CreateClient();

        await client.CreateMessageAsync(Channel, Text("hello"));

        var requests = _server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_global_429_makes_requests_on_other_routes_wait_too()
    {
        _server.On("POST", $"/channels/{Channel}/messages").Respond(FakeResponse.RateLimited(0.6, global: true));
        var client = _server.CreateClient(logger: _logs.CreateLogger<DiscordRestClient>());

        var first = client.CreateMessageAsync(Channel, Text("first"));
        await _logs.WaitForAsync(e => e.Message.Contains("global rate limit", StringComparison.Ordinal));
        await client.DeleteMessageAsync(OtherChannel, 1_200_000_000_000_000_777);
        await first;

        var limited = _server.Requests.Single(r => r.ResponseStatus == 429);
        var other = _server.Requests.Single(r => r.Method == "DELETE");
        Assert.True(other.ReceivedAt - limited.ReceivedAt >= TimeSpan.FromSeconds(0.6), $"The other route went after {(other.ReceivedAt - limited.ReceivedAt).TotalMilliseconds} ms");
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task When_remaining_is_zero_the_next_request_in_the_bucket_waits_for_the_reset()
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.Default.WithRateLimit(limit: 1, remaining: 0, resetAfter: 0.4));
        var client = _server.CreateClient();

        await client.CreateMessageAsync(Channel, Text("one"));
        await client.CreateMessageAsync(Channel, Text("two"));

        var requests = _server.Requests;
        Assert.Equal([200, 200], requests.Select(r => r.ResponseStatus));
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.4), $"Second request after {(requests[1].ReceivedAt - requests[0].ReceivedAt).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_used_up_bucket_in_one_channel_does_not_hold_up_another_channel()
    {
        _server.On("POST", $"/channels/{Channel}/messages").Respond(FakeResponse.Default.WithRateLimit(limit: 1, remaining: 0, resetAfter: 1.5));
        var client = _server.CreateClient();
        await client.CreateMessageAsync(Channel, Text("one"));

        var blocked = client.CreateMessageAsync(Channel, Text("two"));
        await client.CreateMessageAsync(OtherChannel, Text("elsewhere"));
        await blocked;

        var requests = _server.Requests;
        Assert.Equal($"/api/v10/channels/{OtherChannel}/messages", requests[1].Path);
        Assert.Equal($"/api/v10/channels/{Channel}/messages", requests[2].Path);
        Assert.True(requests[2].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task Before_the_bucket_is_known_requests_to_one_route_and_channel_go_one_at_a_time()
    {
        _server.On("POST", $"/channels/{Channel}/messages").Respond(FakeResponse.Default.After(TimeSpan.FromSeconds(0.4)));
        var client = _server.CreateClient();

        var first = client.CreateMessageAsync(Channel, Text("one"));
        await _server.WaitForRequestAsync(r => r.Is("POST", ChannelMessages));
        var second = client.CreateMessageAsync(Channel, Text("two"));
        var elsewhere = client.CreateMessageAsync(OtherChannel, Text("elsewhere"));
        await Task.WhenAll(first, second, elsewhere);

        var requests = _server.Requests;
        var inChannel = requests.Where(r => r.Path.Contains(Channel.ToString(), StringComparison.Ordinal)).ToList();
        var inOther = requests.Single(r => r.Path.Contains(OtherChannel.ToString(), StringComparison.Ordinal));
        Assert.Equal(2, inChannel.Count);
        Assert.True(inChannel[1].ReceivedAt >= inChannel[0].RespondedAt, "The second request did not wait for the first response.");
        Assert.True(inOther.ReceivedAt < inChannel[1].ReceivedAt, "Another channel waited for this channel's bucket.");
    }

    [Fact]
    public async Task A_well_behaved_client_never_draws_a_429_from_a_tight_bucket()
    {
        _server.BucketLimit = 3;
        _server.BucketWindow = TimeSpan.FromSeconds(0.5);
        var client = _server.CreateClient();

        var sends = Enumerable.Range(0, 7).Select(i => client.CreateMessageAsync(Channel, Text($"message {i}")));
        await Task.WhenAll(sends);

        var requests = _server.Requests;
        Assert.Equal(7, requests.Count);
        Assert.All(requests, r => Assert.Equal(200, r.ResponseStatus));
        Assert.True(requests[^1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.9), "Seven requests at three per half second cannot finish within two windows.");
        Assert.Equal(7, _server.MessageCount(Channel.Value));
    }

    [Fact]
    public async Task The_global_limiter_keeps_any_one_second_window_within_the_budget()
    {
        var tuning = FakeRestServer.FastTuning();
        tuning.GlobalRequestsPerSecond = 5;
        var client = _server.CreateClient(tuning);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.CreateMessageAsync(1_200_000_000_000_001_000UL + (ulong)i, Text("hi"))));

        var arrivals = _server.Requests.Select(r => r.ReceivedAt).Order().ToList();
        Assert.Equal(8, arrivals.Count);
        for (var i = 5; i < arrivals.Count; i++)
        {
            Assert.True(arrivals[i] - arrivals[i - 5] >= TimeSpan.FromSeconds(0.9), $"Requests {i - 5} and {i} were {(arrivals[i] - arrivals[i - 5]).TotalMilliseconds} ms apart.");
        }
    }

    [Fact]
    public async Task Interaction_callbacks_are_not_held_back_by_the_global_limit()
    {
        var tuning = FakeRestServer.FastTuning();
        tuning.GlobalRequestsPerSecond = 2;
        var client = _server.CreateClient(tuning);
        await client.CreateMessageAsync(Channel, Text("one"));
        await client.CreateMessageAsync(OtherChannel, Text("two"));

        var throttled = client.CreateMessageAsync(1_200_000_000_000_000_003, Text("three"));
        var callbacks = Enumerable.Range(0, 4).Select(i => client.CreateInteractionResponseAsync(
            InteractionId.Value + (ulong)i,
            $"token-{i}",
            new InteractionResponse { Type = InteractionCallbackType.DeferredChannelMessageWithSource })).ToList();
        await Task.WhenAll(callbacks);
        await throttled;

        var third = _server.Requests.Single(r => r.Path.EndsWith("00003/messages", StringComparison.Ordinal));
        Assert.All(_server.Requests.Where(r => r.Path.EndsWith("/callback", StringComparison.Ordinal)), callback => Assert.True(callback.ReceivedAt < third.ReceivedAt));
        Assert.True(third.ReceivedAt - _server.Requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.9));
    }

    [Fact]
    public async Task A_shared_limit_is_logged_as_the_resources_and_retried()
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.RateLimited(0.1, scope: "shared"));
        var client = _server.CreateClient(logger: _logs.CreateLogger<DiscordRestClient>());

        await client.CreateMessageAsync(Channel, Text("hello"));

        Assert.Equal(2, _server.Requests.Count);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("shared rate limit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_429_longer_than_the_client_will_wait_fails_at_once()
    {
        _server.On("POST", ChannelMessages).RespondAlways(FakeResponse.RateLimited(3600));
        var tuning = FakeRestServer.FastTuning();
        tuning.MaxRateLimitWait = TimeSpan.FromSeconds(30);
        var client = _server.CreateClient(tuning);

        var failure = await Assert.ThrowsAsync<DiscordRestException>(() => client.CreateMessageAsync(Channel, Text("hello")));

        Assert.Equal(429, failure.StatusCode);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Repeated_429s_give_up_after_the_configured_number()
    {
        _server.On("POST", ChannelMessages).RespondAlways(FakeResponse.RateLimited(0.01));
        var tuning = FakeRestServer.FastTuning();
        tuning.MaxRateLimitRetries = 2;
        tuning.RateLimitOffset = TimeSpan.Zero;
        var client = _server.CreateClient(tuning);

        var failure = await Assert.ThrowsAsync<DiscordRestException>(() => client.CreateMessageAsync(Channel, Text("hello")));

        Assert.Equal(429, failure.StatusCode);
        Assert.Equal(3, _server.Requests.Count);
    }

    private static MessageCreateRequest Text(string content) => new() { Content = content };
}
