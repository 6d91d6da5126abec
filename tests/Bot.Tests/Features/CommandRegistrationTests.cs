using System.Text.Json;
using System.Text.RegularExpressions;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Features;

namespace CaravanBot.Bot.Tests.Features;

public sealed partial class CommandRegistrationTests
{
    private static JsonElement[] Bodies(int paragraphs) =>
        JsonSerializer.SerializeToElement(BotCommands.Definitions(paragraphs), DiscordJson.Options).EnumerateArray().ToArray();

    [Fact]
    public void Ask_source_about_review_and_the_message_command_are_registered()
    {
        var commands = Bodies(18).Select(c => (c.GetProperty("name").GetString(), c.GetProperty("type").GetInt32()));

        Assert.Equal([("ask", 1), ("source", 1), ("about", 1), ("review", 1), ("Ask CaravanBot", 3)], commands);
    }

    [Fact]
    public void Every_body_satisfies_discords_schema_for_names_and_descriptions()
    {
        foreach (var command in Bodies(18))
        {
            var name = command.GetProperty("name").GetString()!;
            var type = command.GetProperty("type").GetInt32();
            Assert.InRange(name.Length, 1, 32);
            if (type == 1)
            {
                Assert.Matches(SlashName(), name);
                Assert.Equal(name.ToLowerInvariant(), name);
                Assert.InRange(command.GetProperty("description").GetString()!.Length, 1, 100);
            }
            else
            {
                Assert.True(!command.TryGetProperty("description", out var description) || description.GetString()!.Length == 0);
                Assert.False(command.TryGetProperty("options", out _));
            }

            var options = command.TryGetProperty("options", out var o) ? o.EnumerateArray().ToArray() : [];
            var seenOptional = false;
            foreach (var option in options)
            {
                Assert.Matches(SlashName(), option.GetProperty("name").GetString()!);
                Assert.InRange(option.GetProperty("description").GetString()!.Length, 1, 100);
                var required = option.TryGetProperty("required", out var r) && r.GetBoolean();
                Assert.False(required && seenOptional, "required options must come before optional ones");
                seenOptional |= !required;
            }
        }
    }

    [Fact]
    public void Ask_takes_a_required_question_of_at_most_1000_characters_and_an_optional_private_flag()
    {
        var options = Bodies(18)[0].GetProperty("options").EnumerateArray().ToArray();

        Assert.Equal("question", options[0].GetProperty("name").GetString());
        Assert.Equal(3, options[0].GetProperty("type").GetInt32());
        Assert.True(options[0].GetProperty("required").GetBoolean());
        Assert.Equal(1000, options[0].GetProperty("max_length").GetInt32());
        Assert.Equal("private", options[1].GetProperty("name").GetString());
        Assert.Equal(5, options[1].GetProperty("type").GetInt32());
        Assert.False(options[1].GetProperty("required").GetBoolean());
    }

    [Fact]
    public void Source_takes_an_integer_from_1_to_the_last_paragraph()
    {
        var paragraph = Assert.Single(Bodies(18)[1].GetProperty("options").EnumerateArray().ToArray());

        Assert.Equal("paragraph", paragraph.GetProperty("name").GetString());
        Assert.Equal(4, paragraph.GetProperty("type").GetInt32());
        Assert.True(paragraph.GetProperty("required").GetBoolean());
        Assert.Equal(1, paragraph.GetProperty("min_value").GetInt32());
        Assert.Equal(18, paragraph.GetProperty("max_value").GetInt32());
    }

    [Theory]
    [InlineData(null, "/applications/2000/commands")]
    [InlineData(3000UL, "/applications/2000/guilds/3000/commands")]
    public async Task The_registrar_overwrites_globally_or_in_the_configured_guild(ulong? guild, string route)
    {
        using var bot = new FeatureHarness(guildId: guild);

        await bot.Get<CommandRegistrar>().RegisterAsync(new Snowflake(DiscordPayloads.ApplicationId), TestArticle.Article, CancellationToken.None);

        var call = bot.Single();
        Assert.Equal(("PUT", route), (call.Method, call.Route));
        Assert.Equal(5, call.Body.GetArrayLength());
        Assert.Equal(4, call.Body[1].GetProperty("options")[0].GetProperty("max_value").GetInt32());
    }

    [GeneratedRegex(@"^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$")]
    private static partial Regex SlashName();
}
