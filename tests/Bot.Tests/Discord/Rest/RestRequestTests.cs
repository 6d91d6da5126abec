using System.Text.Json;
using CaravanBot.Bot.Discord;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.FakeDiscord;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Tests.Discord.Rest;

/// <summary>Each typed call hits Discord's method and path with a body that Discord's own schema accepts.</summary>
public sealed class RestRequestTests : IAsyncLifetime
{
    private static readonly Snowflake Channel = 1_200_000_000_000_000_001;
    private static readonly Snowflake ReaderMessage = 1_200_000_000_000_000_777;
    private static readonly Snowflake Guild = 1_200_000_000_000_000_900;
    private static readonly Snowflake Application = 1_100_000_000_000_000_001;
    private static readonly Snowflake InteractionId = 1_200_000_000_000_000_333;
    private const string InteractionToken = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5OmFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6";

    private FakeRestServer _server = null!;
    private DiscordRestClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeRestServer.StartAsync();
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Every_request_carries_the_bot_token_and_the_configured_user_agent()
    {
        await _client.GetGatewayBotAsync();
        await _client.DeleteMessageAsync(Channel, ReaderMessage);

        Assert.Equal(2, _server.Requests.Count);
        Assert.All(_server.Requests, request =>
        {
            Assert.Equal("Bot " + _server.BotToken, request.Header("Authorization"));
            Assert.Equal(new DiscordOptions().UserAgent, request.Header("User-Agent"));
        });
    }

    [Fact]
    public async Task Gateway_bot_returns_the_address_the_fake_gateway_is_set_to()
    {
        _server.GatewayUrl = "ws://127.0.0.1:45678";

        var info = await _client.GetGatewayBotAsync();

        var request = Assert.Single(_server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/api/v10/gateway/bot", request.Path);
        Assert.Equal("ws://127.0.0.1:45678", info.Url);
        Assert.Equal(1, info.Shards);
        Assert.Equal(999, info.SessionStartLimit!.Remaining);
        Assert.Equal(1, info.SessionStartLimit.MaxConcurrency);
    }

    [Theory]
    [InlineData("/api/v10")]
    [InlineData("/api/v10/")]
    public async Task Routes_are_appended_below_the_api_version_whether_or_not_the_base_ends_in_a_slash(string suffix)
    {
        var options = Options.Create(new DiscordOptions { Token = _server.BotToken, ApiBaseUrl = _server.BaseAddress.AbsoluteUri.TrimEnd('/') + suffix });
        using var http = new HttpClient();
        var client = new DiscordRestClient(http, options, NullLogger<DiscordRestClient>.Instance, TimeProvider.System, FakeRestServer.FastTuning());

        await client.DeleteMessageAsync(Channel, ReaderMessage);

        Assert.Equal($"/api/v10/channels/{Channel}/messages/{ReaderMessage}", Assert.Single(_server.Requests).Path);
    }

    [Fact]
    public async Task A_reply_is_posted_to_the_channel_without_pinging_and_the_created_message_is_read_back()
    {
        var reply = new MessageCreateRequest
        {
            Content = "“Families slept on scraps of plastic in Tapachula,” the article says.",
            MessageReference = new MessageReference { MessageId = ReaderMessage, ChannelId = Channel, FailIfNotExists = false },
            Embeds = [new Embed { Title = "Sources", Description = "Paragraph 3", Color = 0x2F3136, Fields = [new EmbedField { Name = "Quote", Value = "“…”", Inline = false }], Footer = new EmbedFooter { Text = "CaravanBot" } }],
            Components = [new ActionRow { Components = [Component.Button(2, "Show sources", "sources:1"), new Component { Type = 2, Style = 5, Label = "Article", Url = "https://example.org/a" }] }],
        };

        var created = await _client.CreateMessageAsync(Channel, reply);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/api/v10/channels/{Channel}/messages", request.Path);
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        DiscordSchema.AssertValid(request);

        var mentions = request.Json.GetProperty("allowed_mentions");
        Assert.Equal(0, mentions.GetProperty("parse").GetArrayLength());
        Assert.False(mentions.GetProperty("replied_user").GetBoolean());
        Assert.Equal(ReaderMessage.ToString(), request.Json.GetProperty("message_reference").GetProperty("message_id").GetString());
        Assert.True(request.Json.GetProperty("enforce_nonce").GetBoolean());
        Assert.False(request.Json.TryGetProperty("flags", out _));

        Assert.Equal(Channel, created.ChannelId);
        Assert.NotEqual(0UL, created.Id.Value);
        Assert.Equal(reply.Content, created.Content);
        Assert.True(created.Author!.Bot);
    }

    [Fact]
    public async Task An_edit_patches_the_message_and_returns_it_edited()
    {
        var created = await _client.CreateMessageAsync(Channel, new MessageCreateRequest { Content = "Looking…" });

        var edited = await _client.EditMessageAsync(Channel, created.Id, new MessageEditRequest { Content = "Blinken will meet officials in Mexico City.", Components = [] });

        var request = _server.Requests[^1];
        Assert.Equal("PATCH", request.Method);
        Assert.Equal($"/api/v10/channels/{Channel}/messages/{created.Id}", request.Path);
        DiscordSchema.AssertValid(request);
        Assert.Equal(created.Id, edited.Id);
        Assert.Equal("Blinken will meet officials in Mexico City.", edited.Content);
    }

    [Fact]
    public async Task A_delete_sends_no_body_and_accepts_204()
    {
        var created = await _client.CreateMessageAsync(Channel, new MessageCreateRequest { Content = "temporary" });

        await _client.DeleteMessageAsync(Channel, created.Id);

        var request = _server.Requests[^1];
        Assert.Equal("DELETE", request.Method);
        Assert.Equal($"/api/v10/channels/{Channel}/messages/{created.Id}", request.Path);
        Assert.Equal(string.Empty, request.Body);
        Assert.Equal(204, request.ResponseStatus);
        Assert.Null(_server.FindMessage(Channel.Value, created.Id.Value));
    }

    [Fact]
    public async Task An_answer_at_once_is_a_type_4_callback_with_the_message()
    {
        var response = new InteractionResponse
        {
            Type = InteractionCallbackType.ChannelMessageWithSource,
            Data = new MessageCreateRequest
            {
                Content = "He said: “development aid” for the region.",
                Flags = (int)MessageFlags.Ephemeral,
                Components = [new ActionRow { Components = [Component.Button(1, "Ask again", "ask:again")] }],
            },
        };

        await _client.CreateInteractionResponseAsync(InteractionId, InteractionToken, response);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/api/v10/interactions/{InteractionId}/{InteractionToken}/callback", request.Path);
        Assert.Equal(204, request.ResponseStatus);
        DiscordSchema.AssertValid(request);
        Assert.Equal(4, request.Json.GetProperty("type").GetInt32());
        Assert.Equal(64, request.Json.GetProperty("data").GetProperty("flags").GetInt32());
    }

    [Fact]
    public async Task A_deferral_is_a_type_5_callback_and_the_answer_edits_original()
    {
        var deferral = new InteractionResponse
        {
            Type = InteractionCallbackType.DeferredChannelMessageWithSource,
            Data = new MessageCreateRequest { Flags = (int)MessageFlags.Ephemeral },
        };

        await _client.CreateInteractionResponseAsync(InteractionId, InteractionToken, deferral);
        var answer = await _client.EditOriginalResponseAsync(Application, InteractionToken, new MessageEditRequest
        {
            Content = "Mexico wants sanctions on Cuba and Venezuela lifted.",
            Embeds = [new Embed { Title = "Citation", Description = "Paragraph 2" }],
        });

        Assert.Equal(2, _server.Requests.Count);
        var callback = _server.Requests[0];
        Assert.Equal(5, callback.Json.GetProperty("type").GetInt32());
        DiscordSchema.AssertValid(callback);

        var edit = _server.Requests[1];
        Assert.Equal("PATCH", edit.Method);
        Assert.Equal($"/api/v10/webhooks/{Application}/{InteractionToken}/messages/@original", edit.Path);
        DiscordSchema.AssertValid(edit);
        Assert.Equal("Mexico wants sanctions on Cuba and Venezuela lifted.", answer.Content);
        Assert.Equal(_server.InteractionChannelId, answer.ChannelId.Value);
    }

    [Fact]
    public async Task A_modal_is_a_type_9_callback_with_text_inputs()
    {
        var modal = new InteractionResponse
        {
            Type = InteractionCallbackType.Modal,
            Data = new ModalData
            {
                CustomId = "review:42",
                Title = "What was wrong with this answer?",
                Components = [new ActionRow { Components = [new Component { Type = 4, CustomId = "reason", Style = 2, Label = "Reason", Required = true, MinLength = 3, MaxLength = 1000, Placeholder = "The quote is out of context" }] }],
            },
        };

        await _client.CreateInteractionResponseAsync(InteractionId, InteractionToken, modal);

        var request = Assert.Single(_server.Requests);
        DiscordSchema.AssertValid(request);
        Assert.Equal(9, request.Json.GetProperty("type").GetInt32());
        Assert.Equal("review:42", request.Json.GetProperty("data").GetProperty("custom_id").GetString());
    }

    [Fact]
    public async Task A_button_press_can_update_its_message_with_a_type_7_callback()
    {
        var update = new InteractionResponse
        {
            Type = InteractionCallbackType.UpdateMessage,
            Data = new MessageEditRequest { Content = "Thanks for the feedback.", Components = [] },
        };

        await _client.CreateInteractionResponseAsync(InteractionId, InteractionToken, update);

        var request = Assert.Single(_server.Requests);
        DiscordSchema.AssertValid(request);
        Assert.Equal(7, request.Json.GetProperty("type").GetInt32());
        Assert.Equal(0, request.Json.GetProperty("data").GetProperty("components").GetArrayLength());
    }

    [Fact]
    public async Task A_followup_posts_to_the_interaction_webhook()
    {
        await _client.CreateInteractionResponseAsync(InteractionId, InteractionToken, new InteractionResponse { Type = InteractionCallbackType.DeferredChannelMessageWithSource });

        var followup = await _client.CreateFollowupMessageAsync(Application, InteractionToken, new MessageCreateRequest { Content = "One more quote.", Flags = (int)MessageFlags.Ephemeral });

        var request = _server.Requests[^1];
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/api/v10/webhooks/{Application}/{InteractionToken}", request.Path);
        DiscordSchema.AssertValid(request);
        Assert.False(request.Json.TryGetProperty("nonce", out _));
        Assert.Equal(Application, followup.WebhookId);
        Assert.Equal("One more quote.", followup.Content);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Commands_are_bulk_overwritten_globally_or_in_a_guild(bool inGuild)
    {
        var commands = new ApplicationCommandRequest[]
        {
            new()
            {
                Name = "ask",
                Description = "Ask a question about the article",
                Contexts = [0, 1],
                Options =
                [
                    new ApplicationCommandOption { Type = 3, Name = "question", Description = "Your question", Required = true, MinLength = 3, MaxLength = 300 },
                    new ApplicationCommandOption { Type = 4, Name = "quotes", Description = "How many quotes", MinValue = 1, MaxValue = 5 },
                    new ApplicationCommandOption { Type = 5, Name = "private", Description = "Only you see the answer" },
                    new ApplicationCommandOption { Type = 3, Name = "about", Description = "Topic", Choices = [new ApplicationCommandChoice { Name = "People", Value = "people" }] },
                ],
            },
            new() { Name = "Ask CaravanBot about this", Type = 3 },
        };

        var registered = await _client.BulkOverwriteCommandsAsync(Application, inGuild ? Guild : null, commands);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal(inGuild ? $"/api/v10/applications/{Application}/guilds/{Guild}/commands" : $"/api/v10/applications/{Application}/commands", request.Path);
        DiscordSchema.AssertValid(request);
        Assert.Equal(JsonValueKind.Array, request.Json.ValueKind);
        Assert.False(request.Json[1].TryGetProperty("description", out _));
        Assert.Equal(3, request.Json[1].GetProperty("type").GetInt32());

        Assert.Equal(["ask", "Ask CaravanBot about this"], registered.Select(c => c.Name));
        Assert.All(registered, c => Assert.NotEqual(0UL, c.Id.Value));
        Assert.Equal([1, 3], registered.Select(c => c.Type));
        Assert.All(registered, c => Assert.Equal(inGuild ? Guild : null, c.GuildId));
    }
}
