using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.FakeDiscord;

namespace CaravanBot.Bot.Tests.Discord.Rest;

/// <summary>The last guard: a body that would ping someone or break Discord's limits is a bug, refused before anything is sent.</summary>
public sealed class RequestGuardTests : IAsyncLifetime
{
    private static readonly Snowflake Channel = 1_200_000_000_000_000_001;
    private static readonly Snowflake Application = 1_100_000_000_000_000_001;

    private FakeRestServer _server = null!;
    private DiscordRestClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeRestServer.StartAsync();
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string, MessageCreateRequest> BadChannelMessages() => new()
    {
        { "content over 2000", new() { Content = new string('a', 2001) } },
        { "11 embeds", new() { Embeds = Enumerable.Range(0, 11).Select(i => new Embed { Title = $"{i}" }).ToList() } },
        { "a 257-character title", new() { Embeds = [new Embed { Title = new string('t', 257) }] } },
        { "a 4097-character description", new() { Embeds = [new Embed { Description = new string('d', 4097) }] } },
        { "26 fields", new() { Embeds = [new Embed { Fields = Enumerable.Range(0, 26).Select(i => new EmbedField { Name = $"{i}", Value = "v" }).ToList() }] } },
        { "a 1025-character field value", new() { Embeds = [new Embed { Fields = [new EmbedField { Name = "n", Value = new string('v', 1025) }] }] } },
        { "a 2049-character footer", new() { Embeds = [new Embed { Footer = new EmbedFooter { Text = new string('f', 2049) } }] } },
        { "6001 characters of embed text in all", new() { Embeds = [new Embed { Description = new string('d', 4000) }, new Embed { Description = new string('d', 2001) }] } },
        { "no allowed_mentions", new() { Content = "hi", AllowedMentions = null! } },
        { "parse users", new() { Content = "hi", AllowedMentions = new AllowedMentions { Parse = ["users"] } } },
        { "parse everyone", new() { Content = "hi", AllowedMentions = new AllowedMentions { Parse = ["everyone"] } } },
        { "a reply that pings its author", new() { Content = "hi", AllowedMentions = new AllowedMentions { Parse = [] }, MessageReference = new MessageReference { MessageId = 1 } } },
        { "an ephemeral channel message", new() { Content = "hi", Flags = (int)MessageFlags.Ephemeral } },
        { "an empty message", new() { Content = "" } },
        { "a 101-character custom id", new() { Components = [new ActionRow { Components = [Component.Button(1, "Go", new string('c', 101))] }] } },
        { "six buttons in a row", new() { Components = [new ActionRow { Components = Enumerable.Range(0, 6).Select(i => Component.Button(1, "Go", $"b{i}")).ToList() }] } },
        { "an 81-character button label", new() { Components = [new ActionRow { Components = [Component.Button(1, new string('l', 81), "b")] }] } },
        { "a link button with a custom id", new() { Components = [new ActionRow { Components = [new Component { Type = 2, Style = 5, Label = "x", Url = "https://example.org", CustomId = "x" }] }] } },
    };

    [Theory]
    [MemberData(nameof(BadChannelMessages))]
    public async Task A_channel_message_that_breaks_a_rule_is_refused_before_sending(string why, MessageCreateRequest message)
    {
        var failure = await Assert.ThrowsAsync<ArgumentException>(() => _client.CreateMessageAsync(Channel, message));

        Assert.StartsWith("Refusing to send this to Discord", failure.Message, StringComparison.Ordinal);
        Assert.True(_server.Requests.Count == 0, $"{why}: a request was sent.");
    }

    [Fact]
    public async Task Content_of_exactly_2000_characters_and_ten_embeds_are_allowed()
    {
        var message = new MessageCreateRequest
        {
            Content = new string('a', DiscordLimits.Content),
            Embeds = Enumerable.Range(0, DiscordLimits.Embeds).Select(i => new Embed { Title = new string('t', DiscordLimits.EmbedTitle) }).ToList(),
        };

        await _client.CreateMessageAsync(Channel, message);

        DiscordSchema.AssertValid(Assert.Single(_server.Requests));
    }

    [Fact]
    public async Task Edits_are_held_to_the_same_limits()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _client.EditMessageAsync(Channel, 1, new MessageEditRequest { Content = new string('a', 2001) }));
        await Assert.ThrowsAsync<ArgumentException>(() => _client.EditOriginalResponseAsync(Application, "token", new MessageEditRequest { Content = "x", AllowedMentions = new AllowedMentions { Parse = ["roles"] } }));

        Assert.Empty(_server.Requests);
    }

    public static TheoryData<string, InteractionResponse> BadCallbacks() => new()
    {
        { "type 4 without a message", new() { Type = InteractionCallbackType.ChannelMessageWithSource } },
        { "type 4 with a modal", new() { Type = InteractionCallbackType.ChannelMessageWithSource, Data = Modal("Title") } },
        { "type 9 with a message", new() { Type = InteractionCallbackType.Modal, Data = new MessageCreateRequest { Content = "x" } } },
        { "a 46-character modal title", new() { Type = InteractionCallbackType.Modal, Data = Modal(new string('t', 46)) } },
        { "a reply inside an interaction response", new() { Type = InteractionCallbackType.ChannelMessageWithSource, Data = new MessageCreateRequest { Content = "x", MessageReference = new MessageReference { MessageId = 1 } } } },
        { "content over 2000 in the callback", new() { Type = InteractionCallbackType.ChannelMessageWithSource, Data = new MessageCreateRequest { Content = new string('a', 2001) } } },
    };

    [Theory]
    [MemberData(nameof(BadCallbacks))]
    public async Task A_callback_that_breaks_a_rule_is_refused_before_sending(string why, InteractionResponse response)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _client.CreateInteractionResponseAsync(1, "token", response));

        Assert.True(_server.Requests.Count == 0, $"{why}: a request was sent.");
    }

    [Fact]
    public async Task A_followup_cannot_be_a_reply()
    {
        var followup = new MessageCreateRequest { Content = "x", MessageReference = new MessageReference { MessageId = 1 } };

        await Assert.ThrowsAsync<ArgumentException>(() => _client.CreateFollowupMessageAsync(Application, "token", followup));

        Assert.Empty(_server.Requests);
    }

    public static TheoryData<string, ApplicationCommandRequest[]> BadCommands() => new()
    {
        { "a slash command without a description", [new() { Name = "ask" }] },
        { "a 101-character description", [new() { Name = "ask", Description = new string('d', 101) }] },
        { "an upper-case slash command name", [new() { Name = "Ask", Description = "Ask" }] },
        { "a space in a slash command name", [new() { Name = "ask me", Description = "Ask" }] },
        { "a context menu with a description", [new() { Name = "Ask about this", Type = 3, Description = "Ask" }] },
        { "two commands with one name", [new() { Name = "ask", Description = "Ask" }, new() { Name = "ask", Description = "Again" }] },
        {
            "a required option after an optional one",
            [new() { Name = "ask", Description = "Ask", Options = [new() { Type = 3, Name = "a", Description = "A" }, new() { Type = 3, Name = "b", Description = "B", Required = true }] }]
        },
        { "26 options", [new() { Name = "ask", Description = "Ask", Options = Enumerable.Range(0, 26).Select(i => new ApplicationCommandOption { Type = 3, Name = $"o{i}", Description = "O" }).ToList() }] },
    };

    [Theory]
    [MemberData(nameof(BadCommands))]
    public async Task A_command_list_that_breaks_a_rule_is_refused_before_sending(string why, ApplicationCommandRequest[] commands)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _client.BulkOverwriteCommandsAsync(Application, null, commands));

        Assert.True(_server.Requests.Count == 0, $"{why}: a request was sent.");
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    public async Task A_malformed_interaction_token_is_refused_without_being_echoed(string token)
    {
        var failure = await Assert.ThrowsAsync<ArgumentException>(() => _client.CreateFollowupMessageAsync(Application, token, new MessageCreateRequest { Content = "x" }));

        Assert.DoesNotContain("has space", failure.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    private static ModalData Modal(string title) => new()
    {
        CustomId = "m",
        Title = title,
        Components = [new ActionRow { Components = [new Component { Type = 4, CustomId = "q", Style = 1, Label = "Q" }] }],
    };
}
