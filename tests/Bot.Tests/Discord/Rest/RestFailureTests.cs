using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.FakeDiscord;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Tests.Discord.Rest;

/// <summary>What the client does when Discord fails or refuses: bounded retries for 5xx and network errors, none for 4xx.</summary>
public sealed class RestFailureTests : IAsyncLifetime
{
    private const string ChannelMessages = "/channels/{channel_id}/messages";
    private static readonly Snowflake Channel = 1_200_000_000_000_000_001;
    private static readonly Snowflake Application = 1_100_000_000_000_000_001;

    private readonly LogCapture _logs = new();
    private FakeRestServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeRestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Two_server_errors_then_success_take_three_requests(int status)
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.ServerError(status), FakeResponse.ServerError(status));
        var client = _server.CreateClient(logger: _logs.CreateLogger<DiscordRestClient>());

        var message = await client.CreateMessageAsync(Channel, Text("hello"));

        Assert.Equal([status, status, 200], _server.Requests.Select(r => r.ResponseStatus));
        Assert.Equal("hello", message.Content);
        Assert.Equal(2, _logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("retry", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Server_errors_every_time_give_up_after_one_plus_the_retries(int retries)
    {
        _server.On("POST", ChannelMessages).RespondAlways(FakeResponse.ServerError(503));
        var tuning = FakeRestServer.FastTuning();
        tuning.MaxServerErrorRetries = retries;
        var client = _server.CreateClient(tuning, _logs.CreateLogger<DiscordRestClient>());

        var failure = await Assert.ThrowsAsync<DiscordRestException>(() => client.CreateMessageAsync(Channel, Text("hello")));

        Assert.Equal(503, failure.StatusCode);
        Assert.Equal(1 + retries, _server.Requests.Count);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task Retries_back_off_exponentially()
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.ServerError(), FakeResponse.ServerError(), FakeResponse.ServerError());
        var tuning = FakeRestServer.FastTuning();
        tuning.RetryBaseDelay = TimeSpan.FromMilliseconds(100);
        tuning.RetryMaxDelay = TimeSpan.FromSeconds(5);
        var client = _server.CreateClient(tuning);

        await client.CreateMessageAsync(Channel, Text("hello"));

        var arrivals = _server.Requests.Select(r => r.ReceivedAt).ToList();
        Assert.Equal(4, arrivals.Count);
        // 10 % below each back-off for timer granularity; a constant back-off would still fail the last two.
        Assert.True(arrivals[1] - arrivals[0] >= TimeSpan.FromMilliseconds(90));
        Assert.True(arrivals[2] - arrivals[1] >= TimeSpan.FromMilliseconds(180));
        Assert.True(arrivals[3] - arrivals[2] >= TimeSpan.FromMilliseconds(360));
    }

    [Fact]
    public async Task A_dropped_connection_is_retried()
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.Abort(), FakeResponse.Abort());
        var client = _server.CreateClient();

        var message = await client.CreateMessageAsync(Channel, Text("hello"));

        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal("hello", message.Content);
    }

    [Fact]
    public async Task Connections_dropped_every_time_fail_with_status_zero_and_the_network_error()
    {
        _server.On("POST", ChannelMessages).RespondAlways(FakeResponse.Abort());
        var tuning = FakeRestServer.FastTuning();
        tuning.MaxServerErrorRetries = 2;
        var client = _server.CreateClient(tuning);

        var failure = await Assert.ThrowsAsync<DiscordRestException>(() => client.CreateMessageAsync(Channel, Text("hello")));

        Assert.Equal(0, failure.StatusCode);
        Assert.IsType<HttpRequestException>(failure.InnerException);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task An_attempt_that_times_out_is_retried()
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.Default.After(TimeSpan.FromSeconds(30)));
        var tuning = FakeRestServer.FastTuning();

        // Long enough that the prompt second answer never times out on a loaded machine, far below the first's 30 s.
        tuning.RequestTimeout = TimeSpan.FromSeconds(2);
        var client = _server.CreateClient(tuning);

        var message = await client.CreateMessageAsync(Channel, Text("hello"));

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal("hello", message.Content);
    }

    [Fact]
    public async Task Retrying_a_create_whose_response_was_lost_does_not_post_the_message_twice()
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.Default with { Status = 502 });
        var client = _server.CreateClient();

        var message = await client.CreateMessageAsync(Channel, Text("only once"));

        var requests = _server.Requests;
        Assert.Equal([502, 200], requests.Select(r => r.ResponseStatus));
        Assert.Equal(requests[0].Json.GetProperty("nonce").GetString(), requests[1].Json.GetProperty("nonce").GetString());
        Assert.Equal(1, _server.MessageCount(Channel.Value));
        Assert.NotNull(_server.FindMessage(Channel.Value, message.Id.Value));
    }

    [Fact]
    public async Task A_wrong_token_is_refused_once_with_a_clear_error_and_never_retried()
    {
        var client = _server.CreateClient(logger: _logs.CreateLogger<DiscordRestClient>(), token: "not-the-right-token");

        var failure = await Assert.ThrowsAsync<DiscordRestException>(() => client.GetGatewayBotAsync());

        Assert.Equal(401, failure.StatusCode);
        Assert.Contains("token", failure.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
        var error = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Contains("DISCORD_TOKEN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forbidden_is_refused_once_with_discords_code_and_never_retried()
    {
        _server.On("POST", ChannelMessages).RespondAlways(FakeResponse.Forbidden(50013, "Missing Permissions"));
        var client = _server.CreateClient(logger: _logs.CreateLogger<DiscordRestClient>());

        var failure = await Assert.ThrowsAsync<DiscordRestException>(() => client.CreateMessageAsync(Channel, Text("hello")));

        Assert.Equal(403, failure.StatusCode);
        Assert.Equal(50013, failure.ErrorCode);
        Assert.Contains("Missing Permissions", failure.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("403", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invalid_form_body_carries_discords_code_and_names_the_field()
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.InvalidFormBody("embeds.0.title", "BASE_TYPE_MAX_LENGTH", "Must be 256 or fewer in length."));
        var client = _server.CreateClient();

        var failure = await Assert.ThrowsAsync<DiscordRestException>(() => client.CreateMessageAsync(Channel, Text("hello")));

        Assert.Equal(400, failure.StatusCode);
        Assert.Equal(50035, failure.ErrorCode);
        Assert.Contains("Invalid Form Body", failure.Message, StringComparison.Ordinal);
        Assert.Contains("embeds.0.title: Must be 256 or fewer in length. (BASE_TYPE_MAX_LENGTH)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("POST /channels/{channel_id}/messages", failure.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task A_second_callback_for_one_interaction_surfaces_discords_40060()
    {
        var client = _server.CreateClient();
        var deferral = new InteractionResponse { Type = InteractionCallbackType.DeferredChannelMessageWithSource };
        await client.CreateInteractionResponseAsync(1_200_000_000_000_000_333, "interaction-token", deferral);

        var failure = await Assert.ThrowsAsync<DiscordRestException>(() => client.CreateInteractionResponseAsync(1_200_000_000_000_000_333, "interaction-token", deferral));

        Assert.Equal(40060, failure.ErrorCode);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Editing_original_before_any_callback_is_discords_unknown_message()
    {
        var client = _server.CreateClient();

        var failure = await Assert.ThrowsAsync<DiscordRestException>(() => client.EditOriginalResponseAsync(Application, "interaction-token", new MessageEditRequest { Content = "late" }));

        Assert.Equal(404, failure.StatusCode);
        Assert.Equal(10008, failure.ErrorCode);
        Assert.Single(_server.Requests);
    }

    private static MessageCreateRequest Text(string content) => new() { Content = content };
}
