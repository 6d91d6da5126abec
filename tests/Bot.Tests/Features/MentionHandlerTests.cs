using CaravanBot.Bot.Features;
using CaravanBot.Retrieval.Answering;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Tests.Features;

public sealed class MentionHandlerTests : IDisposable
{
    private const string EmptyQuestionReply = "Please ask a question about the article.";
    private readonly FeatureHarness _bot = new();

    public void Dispose() => _bot.Dispose();

    [Fact]
    public async Task A_mention_is_answered_with_a_reply_that_quotes_the_article_and_pings_nobody()
    {
        await _bot.MessageAsync(DiscordPayloads.Message("<@1000> what does Mexico want?", mentionsBot: true));

        var call = _bot.Single();
        Assert.Equal(("POST", "/channels/4000/messages"), (call.Method, call.Route));
        var reply = call.Body;
        var reference = reply.GetProperty("message_reference");
        Assert.Equal("6000", reference.GetProperty("message_id").GetString());
        Assert.Equal("4000", reference.GetProperty("channel_id").GetString());
        Assert.Equal("3000", reference.GetProperty("guild_id").GetString());
        Assert.False(reference.GetProperty("fail_if_not_exists").GetBoolean());
        reply.AssertPingsNobody();
        Assert.False(reply.TryGetProperty("flags", out _));

        var embed = reply.Embed();
        var description = embed.Description();
        Assert.StartsWith(FixedAnswerService.LeadIn, description, StringComparison.Ordinal);
        Assert.Equal([TestArticle.Mexico, TestArticle.Blinken], MessageJson.Quotes(description));
        Assert.Equal([2, 4], MessageJson.Attributions(description));
        Assert.Equal("what does Mexico want?", embed.Title());
        Assert.Equal($"From “{TestArticle.Headline}”", embed.Footer());
        Assert.Equal(["src:2", "src:4"], reply.CustomIds());
        Assert.Equal(["Show ¶2", "Show ¶4"], reply.Buttons().Select(b => b.GetProperty("label").GetString()));
        Assert.All(reply.Buttons(), b => Assert.Equal(2, b.GetProperty("style").GetInt32()));
        Assert.Equal(["what does Mexico want?"], _bot.Answers.Questions);
    }

    [Theory]
    [InlineData("<@!1000> what does Mexico want?")]
    [InlineData("what does <@1000> Mexico want?")]
    [InlineData("  <@1000>   what does Mexico want?  <@!1000> ")]
    public async Task The_bots_own_mention_is_removed_from_the_question(string content)
    {
        await _bot.MessageAsync(DiscordPayloads.Message(content, mentionsBot: true));

        Assert.Equal("what does Mexico want?", Assert.Single(_bot.Answers.Questions));
    }

    [Fact]
    public async Task Other_users_mentions_stay_in_the_question()
    {
        await _bot.MessageAsync(DiscordPayloads.Message("<@1000> did <@5555> say Mexico wants aid?", mentionsBot: true));

        Assert.Equal("did <@5555> say Mexico wants aid?", Assert.Single(_bot.Answers.Questions));
    }

    [Fact]
    public async Task Any_message_in_a_DM_is_a_question_without_a_mention()
    {
        await _bot.MessageAsync(DiscordPayloads.Message("What does Mexico want?", guild: false));

        var call = _bot.Single();
        Assert.Equal("/channels/4100/messages", call.Route);
        var reference = call.Body.GetProperty("message_reference");
        Assert.Equal("6000", reference.GetProperty("message_id").GetString());
        Assert.False(reference.TryGetProperty("guild_id", out _));
        call.Body.AssertPingsNobody();
        Assert.Equal(["What does Mexico want?"], _bot.Answers.Questions);
    }

    [Fact]
    public async Task A_message_without_a_guild_in_a_channel_that_is_not_a_DM_is_not_answered_as_one()
    {
        // The hostile shape: guild_id left out of a message in a guild text channel (GET /channels says type 0).
        var message = System.Text.Json.Nodes.JsonNode.Parse(DiscordPayloads.Message("What does Mexico want?").GetRawText())!.AsObject();
        message.Remove("guild_id");
        message.Remove("member");

        await _bot.MessageAsync(System.Text.Json.JsonSerializer.SerializeToElement(message));

        Assert.Empty(_bot.Rest.Calls);
        Assert.Empty(_bot.Answers.Questions);
        Assert.Equal([DiscordPayloads.ChannelId], _bot.Rest.ChannelLookups);
    }

    [Fact]
    public async Task A_channel_is_looked_up_once_and_then_known()
    {
        await _bot.MessageAsync(DiscordPayloads.Message("What does Mexico want?", guild: false, messageId: 6001));
        await _bot.MessageAsync(DiscordPayloads.Message("And Blinken?", guild: false, messageId: 6002, authorId: 5001));

        Assert.Equal(2, _bot.Rest.Calls.Count);
        Assert.Equal([DiscordPayloads.DmChannelId], _bot.Rest.ChannelLookups);
    }

    [Theory]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(429)]
    [InlineData(502)]
    [InlineData(0)]
    public async Task A_reply_discord_refused_or_failed_gets_no_apology_in_that_channel(int status)
    {
        _bot.Rest.Fail = call => call.Method == "POST" ? new global::CaravanBot.Bot.Discord.Rest.DiscordRestException(status, null, $"refused with {status}") : null;

        await _bot.MessageAsync(DiscordPayloads.Message("<@1000> what does Mexico want?", mentionsBot: true));

        Assert.Single(_bot.Rest.Calls);
        Assert.Contains(_bot.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("no apology is sent", StringComparison.Ordinal));
        Assert.DoesNotContain(_bot.Logs.Entries, e => e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task A_huge_mention_is_cut_to_the_longest_a_question_may_be()
    {
        await _bot.MessageAsync(DiscordPayloads.Message("<@1000> What does Mexico want? " + new string('x', 100_000), mentionsBot: true));

        var asked = Assert.Single(_bot.Answers.Questions);
        Assert.Equal(InputBounds.Question, asked.Length);
    }

    [Fact]
    public async Task A_guild_message_without_a_mention_is_ignored()
    {
        await _bot.MessageAsync(DiscordPayloads.Message("What does Mexico want?"));

        Assert.Empty(_bot.Rest.Calls);
        Assert.Empty(_bot.Answers.Questions);
    }

    [Theory]
    [InlineData(true, false, DiscordPayloads.ReaderId, true)]
    [InlineData(false, true, DiscordPayloads.ReaderId, true)]
    [InlineData(false, false, DiscordPayloads.BotUserId, true)]
    [InlineData(true, false, DiscordPayloads.ReaderId, false)]
    [InlineData(false, true, DiscordPayloads.ReaderId, false)]
    [InlineData(false, false, DiscordPayloads.BotUserId, false)]
    public async Task Messages_from_bots_webhooks_and_itself_are_ignored_in_guilds_and_DMs(bool fromBot, bool fromWebhook, ulong author, bool guild)
    {
        await _bot.MessageAsync(DiscordPayloads.Message("<@1000> what does Mexico want?", guild: guild, authorId: author, authorIsBot: fromBot, webhook: fromWebhook, mentionsBot: true));

        Assert.Empty(_bot.Rest.Calls);
        Assert.Empty(_bot.Answers.Questions);
    }

    [Theory]
    [InlineData("<@1000>")]
    [InlineData("<@!1000>   ")]
    [InlineData("<@1000> \u200B\u2060 \n")]
    public async Task A_mention_without_a_question_gets_the_empty_question_reply(string content)
    {
        await _bot.MessageAsync(DiscordPayloads.Message(content, mentionsBot: true));

        var reply = _bot.Single().Body;
        Assert.Equal(EmptyQuestionReply, reply.Content());
        Assert.False(reply.TryGetProperty("embeds", out _));
        Assert.Equal("6000", reply.GetProperty("message_reference").GetProperty("message_id").GetString());
        reply.AssertPingsNobody();
        Assert.Empty(_bot.Answers.Questions);
    }

    [Fact]
    public async Task An_abstention_is_a_short_message_without_quotes_or_buttons()
    {
        _bot.Answers.Respond = FixedAnswerService.Abstained;

        await _bot.MessageAsync(DiscordPayloads.Message("<@1000> who won the football?", mentionsBot: true));

        var reply = _bot.Single().Body;
        var embed = reply.Embed();
        Assert.Equal(FixedAnswerService.NotInArticle, embed.Description());
        Assert.Null(embed.Footer());
        Assert.Empty(reply.Buttons());
        Assert.DoesNotContain("¶", embed.Description(), StringComparison.Ordinal);
        reply.AssertPingsNobody();
    }

    [Fact]
    public async Task A_failing_answer_is_logged_and_the_reader_gets_an_apology_reply()
    {
        _bot.Answers.Respond = _ => throw new InvalidOperationException("index exploded");

        await _bot.MessageAsync(DiscordPayloads.Message("<@1000> what does Mexico want?", mentionsBot: true));

        var reply = _bot.Single().Body;
        Assert.Equal("Sorry, something went wrong while I was answering. Please try again in a moment.", reply.Content());
        Assert.Equal("6000", reply.GetProperty("message_reference").GetProperty("message_id").GetString());
        reply.AssertPingsNobody();
        var error = Assert.Single(_bot.Logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal("index exploded", error.Exception?.Message);
        Assert.Contains("6000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_even_the_apology_fails_the_handler_still_does_not_throw()
    {
        _bot.Answers.Respond = _ => throw new InvalidOperationException("index exploded");
        _bot.Rest.Fail = _ => new HttpRequestException("Discord is down");

        await _bot.MessageAsync(DiscordPayloads.Message("<@1000> what does Mexico want?", mentionsBot: true));

        Assert.Single(_bot.Rest.Calls);
        Assert.Contains(_bot.Logs.Entries, e => e.Level == LogLevel.Warning && e.Exception is HttpRequestException);
    }

    [Theory]
    [InlineData("What does Mexico want?", true, false)]
    [InlineData("hi", false, true)]
    [InlineData("<@1000> hi", true, true)]
    [InlineData("<@1000> hi", false, true)]
    public void TryGetQuestion_decides_who_is_addressed(string content, bool guild, bool expected)
    {
        var message = System.Text.Json.JsonSerializer.Deserialize<global::CaravanBot.Bot.Discord.Models.DiscordMessage>(
            DiscordPayloads.Message(content, guild: guild).GetRawText(), global::CaravanBot.Bot.Discord.Models.DiscordJson.Options)!;

        Assert.Equal(expected, MentionHandler.TryGetQuestion(message, new global::CaravanBot.Bot.Discord.Models.Snowflake(DiscordPayloads.BotUserId), direct: !guild, out var question));
        if (expected)
        {
            Assert.Equal("hi", question);
        }
    }

    [Fact]
    public async Task A_single_citation_gets_one_quote_and_one_button()
    {
        var citation = new Citation(3, "Families slept on scraps of plastic", 0, 35);
        _bot.Answers.Respond = q => FixedAnswerService.Answered(q, citation);

        await _bot.MessageAsync(DiscordPayloads.Message("<@1000> where did families sleep?", mentionsBot: true));

        var reply = _bot.Single().Body;
        Assert.Equal(["Families slept on scraps of plastic"], MessageJson.Quotes(reply.Embed().Description()));
        Assert.Equal(["src:3"], reply.CustomIds());
    }
}
