using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.FakeDiscord;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Tests.Discord.Rest;

/// <summary>Neither the bot token nor an interaction token may reach a log sink or an exception message.</summary>
public sealed class TokenSecrecyTests
{
    private const string InteractionToken = "aW50ZXJhY3Rpb246c2VjcmV0LWludGVyYWN0aW9uLXRva2Vu";

    [Fact]
    public async Task Tokens_appear_in_no_log_entry_at_any_level_and_in_no_exception()
    {
        await using var server = await FakeRestServer.StartAsync();
        server.BotToken = "MTIz.secret-bot-token.with_dots-and-dashes";
        var logs = new LogCapture();
        var client = server.CreateClient(logger: logs.CreateLogger<DiscordRestClient>());
        var exceptions = new List<Exception>();
        server.On("POST", "/channels/{channel_id}/messages").Respond(
            FakeResponse.RateLimited(0.05),
            FakeResponse.RateLimited(0.05, global: true),
            FakeResponse.ServerError(502),
            FakeResponse.Default,
            FakeResponse.InvalidFormBody("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length."),
            FakeResponse.Forbidden(),
            FakeResponse.Unauthorized());
        server.On("PATCH", "/webhooks/{application_id}/{interaction_token}/messages/@original").Respond(FakeResponse.ServerError(500), FakeResponse.DiscordError(400, 50006, "Cannot send an empty message"));

        await client.CreateMessageAsync(1, new MessageCreateRequest { Content = "ok after retries" });
        for (var i = 0; i < 3; i++)
        {
            exceptions.Add(await Assert.ThrowsAsync<DiscordRestException>(() => client.CreateMessageAsync(1, new MessageCreateRequest { Content = "refused" })));
        }

        await client.CreateInteractionResponseAsync(2, InteractionToken, new InteractionResponse { Type = InteractionCallbackType.DeferredChannelMessageWithSource });
        exceptions.Add(await Assert.ThrowsAsync<DiscordRestException>(() => client.EditOriginalResponseAsync(3, InteractionToken, new MessageEditRequest { Content = "x" })));
        exceptions.Add(await Assert.ThrowsAsync<DiscordRestException>(() => server.CreateClient(logger: logs.CreateLogger<DiscordRestClient>(), token: "wrong-" + server.BotToken).GetGatewayBotAsync()));
        exceptions.Add(await Assert.ThrowsAsync<ArgumentException>(() => client.CreateFollowupMessageAsync(3, InteractionToken, new MessageCreateRequest { Content = new string('a', 2001) })));

        // The scenario must really have produced entries at each level, or the assertion below proves nothing.
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Debug);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal(6, exceptions.Count);
        foreach (var secret in new[] { server.BotToken, InteractionToken })
        {
            Assert.All(logs.Entries, entry => Assert.DoesNotContain(secret, entry.FullText, StringComparison.Ordinal));
            Assert.All(exceptions, exception => Assert.DoesNotContain(secret, exception.ToString(), StringComparison.Ordinal));
        }
    }
}
