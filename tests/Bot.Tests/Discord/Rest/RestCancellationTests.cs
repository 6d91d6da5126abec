using System.Diagnostics;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.FakeDiscord;

namespace CaravanBot.Bot.Tests.Discord.Rest;

/// <summary>Cancellation stops a request wherever it is: before sending, in flight, or while it waits out a limit or a back-off.</summary>
public sealed class RestCancellationTests : IAsyncLifetime
{
    private const string ChannelMessages = "/channels/{channel_id}/messages";
    private static readonly Snowflake Channel = 1_200_000_000_000_000_001;

    // Far below the scripted waits (10 s and more), far above any scheduling hiccup.
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    private readonly LogCapture _logs = new();
    private FakeRestServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeRestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_already_cancelled_token_sends_nothing()
    {
        var client = _server.CreateClient();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CreateMessageAsync(Channel, Text("hello"), new CancellationToken(canceled: true)));

        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Cancelling_a_request_in_flight_ends_it_promptly_without_a_retry()
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.Default.After(TimeSpan.FromSeconds(30)));
        var client = _server.CreateClient();
        using var cancellation = new CancellationTokenSource();

        var send = client.CreateMessageAsync(Channel, Text("hello"), cancellation.Token);
        await _server.WaitForRequestAsync(r => r.Is("POST", ChannelMessages));
        var clock = Stopwatch.StartNew();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        Assert.True(clock.Elapsed < Prompt);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Cancelling_while_a_429_is_waited_out_ends_it_promptly()
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.RateLimited(20));
        var tuning = FakeRestServer.FastTuning();
        tuning.MaxRateLimitWait = TimeSpan.FromSeconds(60);
        tuning.MessageSendDeadline = TimeSpan.FromSeconds(120);
        var client = _server.CreateClient(tuning, _logs.CreateLogger<DiscordRestClient>());
        using var cancellation = new CancellationTokenSource();

        var send = client.CreateMessageAsync(Channel, Text("hello"), cancellation.Token);
        await _logs.WaitForAsync(e => e.Message.Contains("rate-limited", StringComparison.Ordinal));
        var clock = Stopwatch.StartNew();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        Assert.True(clock.Elapsed < Prompt);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Cancelling_during_a_back_off_ends_it_promptly()
    {
        _server.On("POST", ChannelMessages).RespondAlways(FakeResponse.ServerError(503));
        var tuning = FakeRestServer.FastTuning();
        tuning.RetryBaseDelay = TimeSpan.FromSeconds(20);
        tuning.RetryMaxDelay = TimeSpan.FromSeconds(60);
        tuning.MessageSendDeadline = TimeSpan.FromSeconds(120);
        var client = _server.CreateClient(tuning, _logs.CreateLogger<DiscordRestClient>());
        using var cancellation = new CancellationTokenSource();

        var send = client.CreateMessageAsync(Channel, Text("hello"), cancellation.Token);
        await _logs.WaitForAsync(e => e.Message.Contains("retry 1 of", StringComparison.Ordinal));
        var clock = Stopwatch.StartNew();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        Assert.True(clock.Elapsed < Prompt);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Cancelling_a_request_queued_behind_another_in_its_bucket_leaves_the_bucket_usable()
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.Default.After(TimeSpan.FromSeconds(0.5)));
        var client = _server.CreateClient();
        using var cancellation = new CancellationTokenSource();

        var first = client.CreateMessageAsync(Channel, Text("first"));
        await _server.WaitForRequestAsync(r => r.Is("POST", ChannelMessages));
        var queued = client.CreateMessageAsync(Channel, Text("queued"), cancellation.Token);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        await first;
        await client.CreateMessageAsync(Channel, Text("after"));

        Assert.Equal(["first", "after"], _server.Requests.Select(r => r.Json.GetProperty("content").GetString()));
    }

    private static MessageCreateRequest Text(string content) => new() { Content = content };
}
