using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.FakeDiscord;

namespace CaravanBot.Bot.Tests.Moderation;

/// <summary><c>GET /webhooks/{application}/{token}/messages/@original</c>, which the bot needs to learn a type 4 reply's id.</summary>
public sealed class OriginalResponseTests : IAsyncLifetime
{
    private FakeRestServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeRestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_original_of_a_type_4_callback_is_read_back_with_its_id()
    {
        var client = _server.CreateClient();
        await client.CreateInteractionResponseAsync(
            new Snowflake(1200000000000000333),
            "aW50ZXJhY3Rpb24.token",
            new InteractionResponse { Type = InteractionCallbackType.ChannelMessageWithSource, Data = new MessageCreateRequest { Content = "Hello" } });

        var original = await client.GetOriginalResponseAsync(new Snowflake(1100000000000000001), "aW50ZXJhY3Rpb24.token");

        Assert.Equal("Hello", original.Content);
        Assert.Equal(_server.InteractionChannelId, original.ChannelId.Value);
        Assert.NotNull(_server.FindMessage(original.ChannelId.Value, original.Id.Value));
        var request = Assert.Single(_server.Requests, r => r.Method == "GET");
        Assert.Equal("/api/v10/webhooks/1100000000000000001/aW50ZXJhY3Rpb24.token/messages/@original", request.Path);
        Assert.Empty(request.Body);
        DiscordSchema.AssertValid(request);
    }

    [Fact]
    public async Task Before_any_callback_there_is_no_original()
    {
        var client = _server.CreateClient();

        var failure = await Assert.ThrowsAsync<DiscordRestException>(() => client.GetOriginalResponseAsync(new Snowflake(1100000000000000001), "no-callback-yet"));

        Assert.Equal((404, 10008), (failure.StatusCode, failure.ErrorCode));
        Assert.DoesNotContain("no-callback-yet", failure.Message, StringComparison.Ordinal);
    }
}
