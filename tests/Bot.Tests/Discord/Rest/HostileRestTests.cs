using System.Diagnostics;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.FakeDiscord;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Tests.Discord.Rest;

/// <summary>
/// The REST client against a Discord that is slow, stingy or broken in the ways an independent server and a hostile
/// peer found: long holds, hanging responses, answers the client cannot read, refusals. Each test names the fault.
/// </summary>
public sealed class HostileRestTests : IAsyncLifetime
{
    private const string ChannelMessages = "/channels/{channel_id}/messages";
    private static readonly Snowflake Channel = 1_200_000_000_000_000_001;
    private static readonly Snowflake OtherChannel = 1_200_000_000_000_000_002;

    /// <summary>How long "at once" may take on a loaded 2-core machine: far below any wait under test.</summary>
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(3);

    private readonly LogCapture _logs = new();
    private FakeRestServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeRestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(90)]
    [InlineData(3600)]
    public async Task A_long_429_fails_that_reply_and_the_channels_next_replies_at_once_without_sending_them(double retryAfter)
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.RateLimited(retryAfter));
        var client = _server.CreateClient(logger: _logs.CreateLogger<DiscordRestClient>());

        var first = await Assert.ThrowsAsync<DiscordRestException>(() => client.CreateMessageAsync(Channel, Text("first")));
        var clock = Stopwatch.StartNew();
        var next = await Assert.ThrowsAsync<DiscordRestException>(() => client.CreateMessageAsync(Channel, Text("next")).WaitAsync(AtOnce));
        var elsewhere = await client.CreateMessageAsync(OtherChannel, Text("elsewhere")).WaitAsync(AtOnce);

        Assert.True(clock.Elapsed < AtOnce);
        Assert.Equal((429, true), (first.StatusCode, first.WasSent));
        Assert.Equal(TimeSpan.FromSeconds(retryAfter), first.RetryAfter);
        Assert.Equal((429, false), (next.StatusCode, next.WasSent));
        Assert.InRange(next.RetryAfter!.Value.TotalSeconds, retryAfter - 10, retryAfter + 1);
        Assert.Equal(OtherChannel, elsewhere.ChannelId);
        Assert.Equal(2, _server.Requests.Count);

        // One warning per hold, not one per refused reply.
        Assert.Single(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("longer than the bot waits", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_success_announcing_an_hour_long_reset_holds_the_next_reply_no_longer_than_the_client_waits()
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.Default.WithRateLimit(limit: 5, remaining: 0, resetAfter: 3600));
        var client = _server.CreateClient(logger: _logs.CreateLogger<DiscordRestClient>());
        await client.CreateMessageAsync(Channel, Text("first"));

        var next = await Assert.ThrowsAsync<DiscordRestException>(() => client.CreateMessageAsync(Channel, Text("next")).WaitAsync(AtOnce));

        Assert.False(next.WasSent);
        Assert.Single(_server.Requests);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("held by Discord's rate limit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hold_within_the_clients_wait_is_waited_out()
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.Default.WithRateLimit(limit: 5, remaining: 0, resetAfter: 0.5));
        var client = _server.CreateClient();
        await client.CreateMessageAsync(Channel, Text("first"));

        await client.CreateMessageAsync(Channel, Text("next"));

        var requests = _server.Requests;
        Assert.Equal([200, 200], requests.Select(r => r.ResponseStatus));
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.5));
    }

    [Fact]
    public async Task A_request_that_hangs_lets_the_channels_next_reply_go_after_the_hold_limit_and_gives_up_at_the_deadline()
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.Default.After(TimeSpan.FromSeconds(30)));
        var tuning = FakeRestServer.FastTuning();
        tuning.BucketHoldLimit = TimeSpan.FromMilliseconds(300);
        tuning.MessageRequestTimeout = TimeSpan.FromSeconds(1);
        tuning.MessageSendDeadline = TimeSpan.FromSeconds(1);
        var client = _server.CreateClient(tuning);

        var stuck = client.CreateMessageAsync(Channel, Text("stuck"));
        await _server.WaitForRequestAsync(r => r.Is("POST", ChannelMessages));
        var next = client.CreateMessageAsync(Channel, Text("next"));
        var failure = await Assert.ThrowsAsync<DiscordRestException>(() => stuck.WaitAsync(TimeSpan.FromSeconds(10)));
        var sent = await next.WaitAsync(TimeSpan.FromSeconds(10));

        var requests = _server.Requests;
        var first = requests.First(r => r.Json.GetProperty("content").GetString() == "stuck");
        var second = requests.First(r => r.Json.GetProperty("content").GetString() == "next");
        Assert.True(second.ReceivedAt - first.ReceivedAt < TimeSpan.FromSeconds(1), $"the next reply waited {(second.ReceivedAt - first.ReceivedAt).TotalMilliseconds:0} ms behind the stuck one");
        Assert.Equal(0, failure.StatusCode);
        Assert.True(failure.OutcomeUnknown);

        // No retry past the deadline (the attempt's time-out reached it): tried once, not 1 + 3 times.
        Assert.Single(requests, r => r.Json.GetProperty("content").GetString() == "stuck");
        Assert.Equal(Channel, sent.ChannelId);
    }

    [Fact]
    public async Task Once_discord_says_a_bucket_has_room_its_requests_no_longer_wait_for_each_others_responses()
    {
        _server.On("POST", ChannelMessages).RespondAlways(FakeResponse.Default.After(TimeSpan.FromSeconds(0.6)));
        var client = _server.CreateClient();
        await client.CreateMessageAsync(Channel, Text("teaches the bucket"));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => client.CreateMessageAsync(Channel, Text($"reply {i}"))));

        var arrivals = _server.Requests.Skip(1).Select(r => r.ReceivedAt).Order().ToList();
        Assert.Equal(4, arrivals.Count);
        Assert.True(arrivals[^1] - arrivals[0] < TimeSpan.FromSeconds(0.5), $"four replies took {(arrivals[^1] - arrivals[0]).TotalMilliseconds:0} ms to go out: they waited for each other's 600 ms responses");
    }

    [Fact]
    public async Task A_created_message_whose_answer_is_cut_off_is_a_success_with_the_id_it_could_read()
    {
        // The author and the nonce at the end are lost; the id and channel before them arrived.
        _server.On("POST", ChannelMessages).Respond(FakeResponse.Default.CutShort(40));
        var client = _server.CreateClient(logger: _logs.CreateLogger<DiscordRestClient>());

        var created = await client.CreateMessageAsync(Channel, Text("hello"));

        Assert.True(created.IsKnown);
        Assert.NotNull(_server.FindMessage(Channel.Value, created.Id.Value));
        Assert.Equal(Channel, created.ChannelId);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Debug && e.Message.Contains("could not be read in full", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{\"unexpected\": true}")]
    [InlineData("<html>502 Bad Gateway</html>")]
    [InlineData("")]
    public async Task A_success_with_a_body_that_is_not_a_message_is_still_a_success_with_no_id(string body)
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.Raw(200, body));
        var client = _server.CreateClient();

        var created = await client.CreateMessageAsync(Channel, Text("hello"));

        Assert.False(created.IsKnown);
        Assert.Equal(Channel, created.ChannelId);
    }

    [Fact]
    public async Task An_edit_discord_made_but_answered_unreadably_is_a_success_for_the_message_edited()
    {
        var created = await _server.CreateClient().CreateMessageAsync(Channel, Text("Looking…"));
        _server.On("PATCH", "/channels/{channel_id}/messages/{message_id}").Respond(FakeResponse.Default.CutShort(400));
        var client = _server.CreateClient();

        var edited = await client.EditMessageAsync(Channel, created.Id, new MessageEditRequest { Content = "Withdrawn by a moderator." });

        Assert.Equal(created.Id, edited.Id);
        Assert.Equal("Withdrawn by a moderator.", _server.FindMessage(Channel.Value, created.Id.Value)!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_message_whose_member_roles_are_objects_is_read_for_its_id()
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.Default.WithBodyProperty("member", "{\"roles\": [{\"id\": \"1\"}, \"1300000000000000009\"]}"));
        var client = _server.CreateClient();

        var created = await client.CreateMessageAsync(Channel, Text("hello"));

        Assert.True(created.IsKnown);
        Assert.Equal([1300000000000000009UL], created.Member!.Roles.Select(r => r.Value));
    }

    [Theory]
    [InlineData("X-RateLimit-Reset-After", "1e300")]
    [InlineData("X-RateLimit-Reset-After", "NaN")]
    [InlineData("X-RateLimit-Reset", "1767225600000.5")]
    [InlineData("X-RateLimit-Remaining", "-4")]
    [InlineData("X-RateLimit-Limit", "99999999999999999999")]
    public async Task Headers_out_of_range_are_ignored_with_one_debug_line_and_the_request_succeeds(string header, string value)
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.Default.WithHeader("X-RateLimit-Remaining", "0").WithHeader(header, value));
        var client = _server.CreateClient(logger: _logs.CreateLogger<DiscordRestClient>());

        var created = await client.CreateMessageAsync(Channel, Text("hello"));
        await client.CreateMessageAsync(Channel, Text("next")).WaitAsync(AtOnce);

        Assert.True(created.IsKnown);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Debug && e.Message.Contains("cannot use", StringComparison.Ordinal) && e.Message.Contains(header, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_429_with_retry_after_as_a_string_is_waited_out_and_retried()
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.Raw(429, """{"message": "You are being rate limited.", "retry_after": "0.5", "global": false, "code": "0"}"""));
        var client = _server.CreateClient();

        var created = await client.CreateMessageAsync(Channel, Text("hello"));

        var requests = _server.Requests;
        Assert.Equal([429, 200], requests.Select(r => r.ResponseStatus));
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.5));
        Assert.True(created.IsKnown);
    }

    [Fact]
    public async Task A_body_larger_than_the_client_reads_is_left_unread_and_the_success_stands()
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.Default.PaddedTo(3 * 1024 * 1024));
        var tuning = FakeRestServer.FastTuning();
        tuning.MaxResponseBytes = 1024 * 1024;
        var client = _server.CreateClient(tuning, _logs.CreateLogger<DiscordRestClient>());

        var created = await client.CreateMessageAsync(Channel, Text("hello"));

        Assert.False(created.IsKnown);
        Assert.Equal(string.Empty, created.Content);
        Assert.Contains(_logs.Entries, e => e.Message.Contains("larger than 1048576 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Registering_commands_with_an_unreadable_answer_succeeds()
    {
        _server.On("PUT", "/applications/{application_id}/commands").Respond(FakeResponse.Default.CutShort(30));
        var client = _server.CreateClient();

        var registered = await client.BulkOverwriteCommandsAsync(1_200_000_000_000_000_002, null, [new ApplicationCommandRequest { Name = "about", Type = 1, Description = "About" }]);

        Assert.Empty(registered);
        Assert.Equal(200, Assert.Single(_server.Requests).ResponseStatus);
    }

    [Fact]
    public async Task A_403_stops_the_route_in_that_channel_without_sending_while_other_channels_go_on()
    {
        _server.On("POST", $"/channels/{Channel}/messages").RespondAlways(FakeResponse.Forbidden());
        var client = _server.CreateClient(logger: _logs.CreateLogger<DiscordRestClient>());

        var refused = await Assert.ThrowsAsync<DiscordRestException>(() => client.CreateMessageAsync(Channel, Text("first")));
        var again = await Assert.ThrowsAsync<DiscordRestException>(() => client.CreateMessageAsync(Channel, Text("apology")));
        await client.CreateMessageAsync(OtherChannel, Text("elsewhere"));

        Assert.Equal((403, true), (refused.StatusCode, refused.WasSent));
        Assert.Equal((403, false), (again.StatusCode, again.WasSent));
        Assert.Equal(2, _server.Requests.Count);
        Assert.Single(_server.Requests, r => r.ApiPath == $"/channels/{Channel}/messages");
    }

    [Fact]
    public async Task A_401_marks_the_token_rejected_and_nothing_more_is_sent()
    {
        _server.On("POST", ChannelMessages).Respond(FakeResponse.Unauthorized());
        var status = new DiscordTokenStatus();
        var client = new DiscordRestClient(new HttpClient(), Microsoft.Extensions.Options.Options.Create(new CaravanBot.Bot.Discord.DiscordOptions { Token = _server.BotToken, ApiBaseUrl = _server.ApiBaseUrl }), _logs.CreateLogger<DiscordRestClient>(), TimeProvider.System, FakeRestServer.FastTuning(), status);

        var rejected = await Assert.ThrowsAsync<DiscordRestException>(() => client.CreateMessageAsync(Channel, Text("hello")));
        var after = await Assert.ThrowsAsync<DiscordRestException>(() => client.CreateMessageAsync(OtherChannel, Text("elsewhere")));

        Assert.Equal(401, rejected.StatusCode);
        Assert.Equal((401, false), (after.StatusCode, after.WasSent));
        Assert.Equal("POST /channels/{channel_id}/messages", await status.Rejected.WaitAsync(AtOnce));
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Invalid_responses_are_counted_and_past_the_limit_nothing_more_is_sent()
    {
        _server.On("POST", ChannelMessages).RespondAlways(FakeResponse.Forbidden());
        var tuning = FakeRestServer.FastTuning();
        tuning.InvalidRequestLimit = 3;
        var client = _server.CreateClient(tuning);

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<DiscordRestException>(() => client.CreateMessageAsync(1_200_000_000_000_000_100UL + (ulong)i, Text("refused")));
        }

        var stopped = await Assert.ThrowsAsync<DiscordRestException>(() => client.DeleteMessageAsync(OtherChannel, 1_200_000_000_000_000_777));

        Assert.False(stopped.WasSent);
        Assert.Contains("Discord bans the IP", stopped.Message, StringComparison.Ordinal);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task A_response_without_rate_limit_headers_is_logged_as_such()
    {
        _server.On("DELETE", "/channels/{channel_id}/messages/{message_id}").Respond(FakeResponse.Raw(204, string.Empty));
        var client = _server.CreateClient(logger: _logs.CreateLogger<DiscordRestClient>());

        await client.DeleteMessageAsync(Channel, 1_200_000_000_000_000_777);

        var line = Assert.Single(_logs.Entries, e => e.Message.Contains("answered 204", StringComparison.Ordinal));
        Assert.Contains("without rate-limit headers", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("bucket ,", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" of ", line.Message, StringComparison.Ordinal);
    }

    private static MessageCreateRequest Text(string content) => new() { Content = content };
}
