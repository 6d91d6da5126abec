using System.Text.Json;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Tests.Features;
using CaravanBot.FakeDiscord;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Tests.Moderation;

/// <summary>Every answer the bot sends is in the answer log before the reader sees it, with where the reply went.</summary>
public sealed class AnswerLoggingFlowTests
{
    private const string ChannelMessages = "/channels/{channel_id}/messages";

    [Fact]
    public async Task A_mention_is_recorded_before_the_reply_is_sent_and_the_reply_id_is_remembered()
    {
        await using var bot = await ModerationHarness.StartAsync();
        var repliesSeenWhenRecorded = -1;
        bot.Log.OnRecord = _ => repliesSeenWhenRecorded = bot.Requests("POST", "/channels/4000/messages").Length;

        await bot.MessageAsync(ModerationPayloads.Mention("what does Mexico want?", messageId: 6001));

        Assert.Equal(0, repliesSeenWhenRecorded);
        var reply = bot.Single("POST", "/channels/4000/messages");
        var record = Assert.Single(bot.Log.All);
        var answer = record.Answer;
        Assert.Equal(("5000", "reader5000"), (answer.Asker.Id, answer.Asker.Name));
        Assert.Equal(("3000", "4000", "mention"), (answer.GuildId, answer.ChannelId, answer.Source));
        Assert.Equal("what does Mexico want?", answer.Question);
        Assert.True(answer.Answered);
        Assert.Null(answer.Reason);
        Assert.Equal(FixedAnswerService.LeadIn, answer.AnswerText);
        Assert.Equal([2, 4], answer.Citations.Select(c => c.Paragraph));
        Assert.Equal(TestArticle.Mexico, answer.Citations[0].Quote);
        Assert.Equal("extractive", answer.Mode);
        Assert.Equal(1.5, answer.LatencyMs);
        Assert.Null(answer.ServedCorrectionOf);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(answer.ScoresJson).RootElement.ValueKind);

        var sent = JsonSerializer.Deserialize<JsonElement>(reply.Body);
        Assert.Equal("4000", record.ReplyChannelId);
        Assert.Equal(ReplyMessageId(bot, reply), record.ReplyMessageId);
        Assert.Equal(["src:2", "src:4", "fb:up:1", "fb:down:1"], sent.CustomIds());
        Assert.Equal(["👍", "👎"], sent.Buttons().Skip(2).Select(b => b.GetProperty("emoji").GetProperty("name").GetString()));
        Assert.Single(sent.GetProperty("components").EnumerateArray());
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task An_ask_answered_with_a_type_4_callback_reads_the_reply_id_back_from_the_original()
    {
        await using var bot = await ModerationHarness.StartAsync();

        await bot.InteractionAsync(ModerationPayloads.Ask("What does Mexico want?"));

        var callback = bot.Single("POST", "/interactions/{id}/{token}/callback");
        Assert.Equal(4, callback.Json.GetProperty("type").GetInt32());
        Assert.Equal(["src:2", "src:4", "fb:up:1", "fb:down:1"], callback.Json.GetProperty("data").CustomIds());
        var original = bot.Single("GET", "/webhooks/{application_id}/{token}/messages/@original");
        Assert.True(original.Sequence > callback.Sequence);
        var record = Assert.Single(bot.Log.All);
        Assert.Equal("slash", record.Answer.Source);
        Assert.Equal(("User 5000", "5000"), (record.Answer.Asker.Name, record.Answer.Asker.Id));
        Assert.NotNull(record.ReplyMessageId);
        var shown = bot.Message(record.ReplyChannelId!, record.ReplyMessageId!);
        Assert.NotNull(shown);
        Assert.Equal("What does Mexico want?", shown.Value.Embed().Title());
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task A_deferred_ask_takes_the_reply_id_from_the_edited_original()
    {
        await using var bot = await ModerationHarness.StartAsync(features: o => o.DeferAnswers = true);

        await bot.InteractionAsync(ModerationPayloads.Ask("What does Mexico want?"));

        Assert.Equal(5, bot.Single("POST", "/interactions/{id}/{token}/callback").Json.GetProperty("type").GetInt32());
        var edit = bot.Single("PATCH", "/webhooks/{application_id}/{token}/messages/@original").Json;
        Assert.Equal(["src:2", "src:4", "fb:up:1", "fb:down:1"], edit.CustomIds());
        Assert.Empty(bot.Requests("GET", "/webhooks/{application_id}/{token}/messages/@original"));
        var record = Assert.Single(bot.Log.All);
        Assert.Equal(bot.Server.InteractionChannelId.ToString(System.Globalization.CultureInfo.InvariantCulture), record.ReplyChannelId);
        Assert.NotNull(bot.Message(record.ReplyChannelId!, record.ReplyMessageId!));
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task The_message_menu_and_dms_are_recorded_with_their_source()
    {
        await using var bot = await ModerationHarness.StartAsync();

        await bot.InteractionAsync(DiscordPayloads.MessageCommand("so what does Mexico want?"));
        await bot.MessageAsync(DiscordPayloads.Message("What does Mexico want?", guild: false, messageId: 6010, authorId: 5009));

        var records = bot.Log.All;
        Assert.Equal(("context-menu", "3000"), (records[0].Answer.Source, records[0].Answer.GuildId));
        Assert.Equal(("dm", null, "4100"), (records[1].Answer.Source, records[1].Answer.GuildId, records[1].ReplyChannelId));
        var dmCard = bot.Requests("POST", "/channels/7700/messages")[^1].Json.Embed();
        Assert.Contains(dmCard.GetProperty("fields").EnumerateArray(), f => f.GetProperty("value").GetString()!.StartsWith("[Open the reply](https://discord.com/channels/@me/4100/", StringComparison.Ordinal));
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task An_abstention_is_recorded_and_mirrored_but_carries_no_vote_buttons()
    {
        await using var bot = await ModerationHarness.StartAsync();
        bot.Answers.Respond = FixedAnswerService.Abstained;

        await bot.MessageAsync(ModerationPayloads.Mention("what is the capital of France?", messageId: 6002));

        var record = Assert.Single(bot.Log.All);
        Assert.False(record.Answer.Answered);
        Assert.Equal("not_in_article", record.Answer.Reason);
        Assert.Empty(record.Answer.Citations);
        var reply = bot.Single("POST", "/channels/4000/messages").Json;
        Assert.Empty(reply.Buttons());
        Assert.NotNull(record.ReviewMessageId);
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task A_private_ask_is_recorded_and_mirrored_without_a_link_or_a_read_back()
    {
        await using var bot = await ModerationHarness.StartAsync();

        await bot.InteractionAsync(ModerationPayloads.Ask("What does Mexico want?", isPrivate: true));

        var record = Assert.Single(bot.Log.All);
        Assert.Null(record.ReplyMessageId);
        Assert.Empty(bot.Requests("GET", "/webhooks/{application_id}/{token}/messages/@original"));
        var card = bot.Single("POST", "/channels/7700/messages").Json.Embed();
        Assert.Contains(card.GetProperty("fields").EnumerateArray(), f => f.GetProperty("value").GetString()!.StartsWith("Private reply", StringComparison.Ordinal));
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task A_failing_answer_log_does_not_stop_the_answer()
    {
        await using var bot = await ModerationHarness.StartAsync();
        bot.Log.Fail = new InvalidOperationException("database is locked");

        await bot.MessageAsync(ModerationPayloads.Mention("what does Mexico want?", messageId: 6003));
        await bot.InteractionAsync(ModerationPayloads.Ask("And Blinken?"));

        var reply = bot.Single("POST", "/channels/4000/messages").Json;
        Assert.Equal(["src:2", "src:4"], reply.CustomIds());
        Assert.Equal(4, bot.LastCallback().GetProperty("type").GetInt32());
        Assert.Empty(bot.Requests("POST", "/channels/7700/messages"));
        Assert.Equal(2, bot.Logs.Entries.Count(e => e.Level == LogLevel.Error && e.Category.EndsWith("AnswerRecorder", StringComparison.Ordinal) && e.Exception?.Message == "database is locked"));
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task Without_an_answer_log_answers_have_no_vote_buttons_and_review_says_it_is_not_set_up()
    {
        await using var bot = await ModerationHarness.StartAsync(withLog: false);

        await bot.MessageAsync(ModerationPayloads.Mention("what does Mexico want?", messageId: 6004));
        await bot.InteractionAsync(ModerationPayloads.ReviewQueue(null, ModerationPayloads.Invoker.Moderator));

        Assert.Equal(["src:2", "src:4"], bot.Single("POST", "/channels/4000/messages").Json.CustomIds());
        var notice = bot.LastCallback().GetProperty("data");
        Assert.Equal(64, notice.Flags());
        Assert.Equal("Answer review is not set up on this bot: no answer log is configured.", notice.Content());
        Assert.Contains(bot.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("No answer log is registered", StringComparison.Ordinal));
        bot.AssertEveryBodyValid();
    }

    private static string ReplyMessageId(ModerationHarness bot, RecordedRequest reply)
    {
        // The fake answers a create with the stored message: find it by the nonce the client sent.
        var nonce = reply.Json.GetProperty("nonce").GetString();
        var record = bot.Log.All[0];
        var stored = bot.Message("4000", record.ReplyMessageId!)!.Value;
        Assert.Equal(nonce, stored.GetProperty("nonce").GetString());
        return stored.GetProperty("id").GetString()!;
    }
}
