using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CaravanBot.FakeDiscord;
using Xunit.Sdk;

namespace CaravanBot.Bot.Tests.Discord.Rest;

/// <summary>The validator itself: it must reject what Discord rejects and what CaravanBot forbids, or the request tests prove nothing.</summary>
public sealed class DiscordSchemaTests
{
    private const string Messages = "/api/v10/channels/1200000000000000001/messages";
    private const string Callback = "/api/v10/interactions/1200000000000000333/aW50ZXJhY3Rpb24/callback";
    private const string Commands = "/api/v10/applications/1100000000000000001/commands";

    private static readonly object NoPings = new Dictionary<string, object> { ["parse"] = Array.Empty<string>() };

    [Fact]
    public void The_spec_is_read_from_the_shared_folder_next_to_the_solution()
    {
        Assert.EndsWith(Path.Combine("shared", "discord", "openapi.json"), DiscordSchema.SpecFile, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_message_with_no_pings_is_valid()
    {
        var report = Validate("POST", Messages, new { content = "Hello", allowed_mentions = NoPings });

        Assert.True(report.IsValid, report.ToString());
        Assert.Equal("/channels/{channel_id}/messages", report.SpecPath);
    }

    public static TheoryData<string, object, string> BodiesDiscordRejects() => new()
    {
        { "content of 4001 characters", new { content = new string('a', 4001), allowed_mentions = NoPings }, "/content" },
        { "content of 2001 characters (the bot limit; the spec says 4000)", new { content = new string('a', 2001), allowed_mentions = NoPings }, "/content" },
        { "11 embeds", new { content = "x", allowed_mentions = NoPings, embeds = Enumerable.Range(0, 11).Select(i => new { title = $"t{i}" }).ToArray() }, "/embeds" },
        { "a 257-character embed title", new { allowed_mentions = NoPings, embeds = new[] { new { title = new string('t', 257) } } }, "/embeds/0/title" },
        { "an unknown allowed_mentions.parse value", new { content = "x", allowed_mentions = new { parse = new[] { "userz" } } }, "/allowed_mentions" },
        { "a reply without the message id", new { content = "x", allowed_mentions = NoPings, message_reference = new { channel_id = "1" } }, "/message_reference" },
        { "a snowflake sent as a number", new { content = "x", allowed_mentions = NoPings, message_reference = new { message_id = 1200000000000000777 } }, "/message_reference/message_id" },
    };

    [Theory]
    [MemberData(nameof(BodiesDiscordRejects))]
    public void Bodies_that_break_discords_rules_are_rejected(string why, object body, string location)
    {
        var report = Validate("POST", Messages, body);

        Assert.False(report.IsValid, why);
        Assert.Contains(report.DiscordErrors, e => e.Location.StartsWith(location, StringComparison.Ordinal));
    }

    [Fact]
    public void A_misspelt_property_name_passes_the_schema_but_not_the_property_list()
    {
        var report = Validate("POST", Messages, new { content = "x", allowed_mentions = NoPings, embeds = new[] { new { title = "t", descripton = "typo" } } });

        Assert.Empty(report.DiscordErrors);
        var error = Assert.Single(report.HouseErrors);
        Assert.Equal("/embeds/0/descripton", error.Location);
    }

    [Theory]
    [InlineData("""{"content": "x"}""", "/allowed_mentions")]
    [InlineData("""{"content": "x", "allowed_mentions": {"parse": ["users"]}}""", "/allowed_mentions/parse")]
    [InlineData("""{"content": "x", "allowed_mentions": {"parse": ["everyone"]}}""", "/allowed_mentions/parse")]
    [InlineData("""{"content": "x", "allowed_mentions": {"parse": [], "users": ["1"]}}""", "/allowed_mentions/users")]
    [InlineData("""{"content": "x", "allowed_mentions": {"parse": []}, "message_reference": {"message_id": "1"}}""", "/allowed_mentions/replied_user")]
    public void Anything_that_could_ping_is_a_house_error_although_discord_accepts_it(string body, string location)
    {
        var report = DiscordSchema.Validate("POST", Messages, body);

        Assert.Empty(report.DiscordErrors);
        Assert.Contains(report.HouseErrors, e => e.Location == location);
    }

    [Fact]
    public void Interaction_callbacks_are_checked_against_the_branch_their_type_selects()
    {
        var ok = Validate("POST", Callback, new { type = 4, data = new { content = "x", allowed_mentions = NoPings } });
        var tooLong = Validate("POST", Callback, new { type = 4, data = new { content = new string('a', 2001), allowed_mentions = NoPings } });
        var emptyModal = Validate("POST", Callback, new { type = 9, data = new { custom_id = "m", title = "T", components = Array.Empty<object>() } });
        var noSuchType = Validate("POST", Callback, new { type = 3 });
        var modalFieldTypo = Validate("POST", Callback, new { type = 9, data = new { custom_id = "m", title = "T", components = new[] { new { type = 1, components = new[] { new { type = 4, custom_id = "q", style = 1, label = "Q", place_holder = "typo" } } } } } });

        Assert.True(ok.IsValid, ok.ToString());
        Assert.Contains(tooLong.DiscordErrors, e => e.Location == "/data/content");
        Assert.Contains(emptyModal.DiscordErrors, e => e.Location == "/data/components");
        Assert.Contains(noSuchType.DiscordErrors, e => e.Location == "/type");
        Assert.Contains(modalFieldTypo.HouseErrors, e => e.Location == "/data/components/0/components/0/place_holder");
    }

    [Fact]
    public void Command_lists_are_checked_item_by_item()
    {
        var ok = Validate("PUT", Commands, new object[] { new { name = "ask", type = 1, description = "Ask" }, new { name = "Ask CaravanBot", type = 3 } });
        var longDescription = Validate("PUT", Commands, new[] { new { name = "ask", type = 1, description = new string('d', 101) } });
        var optionTypo = Validate("PUT", Commands, new[] { new { name = "ask", type = 1, description = "Ask", options = new[] { new { type = 3, name = "q", description = "Q", requried = true } } } });

        Assert.True(ok.IsValid, ok.ToString());
        Assert.Contains(longDescription.DiscordErrors, e => e.Location == "/0/description");
        Assert.Contains(optionTypo.HouseErrors, e => e.Location == "/0/options/0/requried");
    }

    [Theory]
    [InlineData("POST", "/channels/1/messages", "not under /api/v10")]
    [InlineData("POST", "/api/v10/channels/1/messagez", "No such path")]
    [InlineData("PUT", "/api/v10/channels/1/messages", "no PUT")]
    public void Requests_to_paths_discord_does_not_have_are_reported(string method, string path, string expected)
    {
        var report = DiscordSchema.Validate(method, path, """{"content": "x"}""");

        Assert.Contains(report.DiscordErrors, e => e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_body_on_an_operation_that_takes_none_is_reported()
    {
        var report = DiscordSchema.Validate("DELETE", Messages + "/1200000000000000777", """{"reason": "x"}""");

        Assert.Contains(report.DiscordErrors, e => e.Message.Contains("takes no body", StringComparison.Ordinal));
    }

    [Fact]
    public void AssertValid_fails_the_test_and_names_the_problem()
    {
        var request = new RecordedRequest("POST", Messages, JsonSerializer.Serialize(new { content = new string('a', 2001), allowed_mentions = NoPings }));

        var failure = Assert.ThrowsAny<XunitException>(() => DiscordSchema.AssertValid(request));

        Assert.Contains("/content", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fake_server_answers_a_schema_breaking_body_with_discords_50035()
    {
        await using var server = await FakeRestServer.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, server.ApiBaseUrl + "/channels/1200000000000000001/messages")
        {
            Content = new StringContent("""{"allowed_mentions": {"parse": []}, "embeds": [{"title": "%"}]}""".Replace("%", new string('t', 257), StringComparison.Ordinal), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bot", server.BotToken);

        using var response = await http.SendAsync(request);

        Assert.Equal(400, (int)response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(50035, body.RootElement.GetProperty("code").GetInt32());
        Assert.True(body.RootElement.GetProperty("errors").GetProperty("embeds").GetProperty("0").GetProperty("title").TryGetProperty("_errors", out _));
    }

    private static SchemaReport Validate(string method, string path, object body) =>
        DiscordSchema.Validate(method, path, JsonSerializer.Serialize(body));
}
