using System.Text.Json;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Moderation;
using CaravanBot.Bot.Tests.Features;
using CaravanBot.FakeDiscord;
using static CaravanBot.Bot.Tests.Moderation.ModerationPayloads;

namespace CaravanBot.Bot.Tests.Moderation;

/// <summary>Review cards in the review channel and what moderators' buttons and the correction form do, through the loopback Discord.</summary>
public sealed class ReviewFlowTests
{
    private const string Corrected = "Mexico wants the US to lift its sanctions on Cuba and Venezuela and to send development aid to the region.";

    private static async Task<AnswerRecord> AskAsync(ModerationHarness bot, string question = "what does Mexico want?", ulong messageId = 6100)
    {
        await bot.MessageAsync(Mention(question, messageId));
        return bot.Log.All[^1];
    }

    private static JsonElement Click(AnswerRecord record, ReviewAction action, Invoker? by = null) =>
        Button(ModerationCustomIds.ReviewButton(action, record.Id), ReviewChannelId, record.ReviewMessageId!, by ?? Invoker.Moderator);

    private static JsonElement Submit(AnswerRecord record, string text, string citations, Invoker? by = null) =>
        Modal(ModerationCustomIds.CorrectionModal(record.Id), by ?? Invoker.Moderator, ReviewChannelId, record.ReviewMessageId, ("text", text), ("citations", citations));

    private static string[] FieldValues(JsonElement embed) =>
        embed.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("value").GetString()!).ToArray();

    [Fact]
    public async Task An_answer_is_mirrored_to_the_review_channel_as_a_card_with_four_buttons()
    {
        await using var bot = await ModerationHarness.StartAsync();

        var record = await AskAsync(bot);

        var post = bot.Single("POST", "/channels/7700/messages");
        var card = post.Json;
        card.AssertPingsNobodyExceptReplies();
        Assert.Equal(["rv:approve:1", "rv:flag:1", "rv:retract:1", "rv:correct:1"], card.CustomIds());
        Assert.Equal(["Approve", "Flag", "Retract", "Correct"], card.Buttons().Select(b => b.GetProperty("label").GetString()));
        var embed = card.Embed();
        Assert.Equal("what does Mexico want?", embed.Title());
        Assert.Equal([TestArticle.Mexico, TestArticle.Blinken], MessageJson.Quotes(embed.Description()));
        Assert.Equal([2, 4], MessageJson.Attributions(embed.Description()));
        var fields = FieldValues(embed);
        Assert.Contains("reader5000 · mention", fields);
        Assert.Contains("New", fields);
        Assert.Contains($"[Open the reply](https://discord.com/channels/3000/4000/{record.ReplyMessageId})", fields);
        Assert.Equal(bot.Server.Requests.Single(r => r.Is("POST", "/channels/7700/messages")).Sequence, post.Sequence);
        Assert.NotNull(bot.Message("7700", record.ReviewMessageId!));
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task Approve_flag_correct_and_retract_each_change_the_status_keep_the_history_and_update_the_card()
    {
        await using var bot = await ModerationHarness.StartAsync();
        var record = await AskAsync(bot);

        await bot.InteractionAsync(Click(record, ReviewAction.Approve));
        var approved = bot.LastCallback();
        Assert.Equal(7, approved.GetProperty("type").GetInt32());
        Assert.Contains("Approved by User 9100", FieldValues(approved.GetProperty("data").Embed()));
        Assert.True(approved.GetProperty("data").Buttons()[0].GetProperty("disabled").GetBoolean());

        await bot.InteractionAsync(Click(record, ReviewAction.Flag));
        Assert.Contains("Flagged by User 9100", FieldValues(bot.LastCallback().GetProperty("data").Embed()));

        await bot.InteractionAsync(Click(record, ReviewAction.Correct));
        Assert.Equal(9, bot.LastCallback().GetProperty("type").GetInt32());
        await bot.InteractionAsync(Submit(record, Corrected, "¶2: sanctions on Cuba and Venezuela lifted"));
        var corrected = bot.LastCallback();
        Assert.Equal(7, corrected.GetProperty("type").GetInt32());
        Assert.Contains("Corrected by User 9100", FieldValues(corrected.GetProperty("data").Embed()));

        await bot.InteractionAsync(Click(record, ReviewAction.Retract));
        var retracted = bot.LastCallback().GetProperty("data");
        Assert.Contains("Retracted by User 9100", FieldValues(retracted.Embed()));
        Assert.True(retracted.Buttons()[2].GetProperty("disabled").GetBoolean());

        var final = bot.Log.All[0];
        Assert.Equal(AnswerStatus.Retracted, final.Status);
        Assert.Equal(
            [AnswerStatus.Approved, AnswerStatus.Flagged, AnswerStatus.Corrected, AnswerStatus.Retracted],
            final.History.Select(h => h.Status));
        Assert.All(final.History, h => Assert.Equal(("9100", "User 9100"), (h.By.Id, h.By.Name)));
        var history = FieldValues(retracted.Embed()).Single(v => v.Contains("Approved by", StringComparison.Ordinal));
        Assert.Equal(4, history.Split('\n').Length);
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task Retract_edits_the_public_reply_to_say_a_moderator_withdrew_it()
    {
        await using var bot = await ModerationHarness.StartAsync();
        var record = await AskAsync(bot);

        await bot.InteractionAsync(Click(record, ReviewAction.Retract));

        var edit = bot.Single("PATCH", $"/channels/4000/messages/{record.ReplyMessageId}").Json;
        Assert.Equal([], edit.GetProperty("components").EnumerateArray());
        var reply = bot.Message("4000", record.ReplyMessageId!)!.Value;
        Assert.StartsWith("A moderator withdrew this answer", reply.Embed().Description(), StringComparison.Ordinal);
        Assert.Empty(reply.GetProperty("components").EnumerateArray());
        Assert.Equal("what does Mexico want?", reply.Embed().Title());
        Assert.Equal(AnswerStatus.Retracted, bot.Log.All[0].Status);
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task Retract_in_delete_mode_deletes_the_public_reply()
    {
        await using var bot = await ModerationHarness.StartAsync(o => o.RetractMode = RetractMode.Delete);
        var record = await AskAsync(bot);

        await bot.InteractionAsync(Click(record, ReviewAction.Retract));

        bot.Single("DELETE", $"/channels/4000/messages/{record.ReplyMessageId}");
        Assert.Null(bot.Message("4000", record.ReplyMessageId!));
        Assert.Contains("Retracted by User 9100", FieldValues(bot.LastCallback().GetProperty("data").Embed()));
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task A_retract_whose_reply_is_gone_is_saved_and_the_moderator_is_told()
    {
        await using var bot = await ModerationHarness.StartAsync();
        var record = await AskAsync(bot);
        bot.Server.On("PATCH", $"/channels/4000/messages/{record.ReplyMessageId}").RespondAlways(FakeResponse.DiscordError(404, 10008, "Unknown Message"));

        await bot.InteractionAsync(Click(record, ReviewAction.Retract));

        Assert.Equal(AnswerStatus.Retracted, bot.Log.All[0].Status);
        Assert.Equal(7, bot.Callbacks()[^1].GetProperty("type").GetInt32());
        var note = bot.Single("POST", "/webhooks/{application_id}/{token}").Json;
        Assert.Equal(64, note.Flags());
        Assert.StartsWith("Saved, but the public reply could not be changed:", note.Content(), StringComparison.Ordinal);
        Assert.Contains("10008", note.Content(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Correct_opens_a_form_prefilled_with_the_answers_quotes()
    {
        await using var bot = await ModerationHarness.StartAsync();
        var record = await AskAsync(bot);

        await bot.InteractionAsync(Click(record, ReviewAction.Correct));

        var modal = bot.LastCallback();
        Assert.Equal(9, modal.GetProperty("type").GetInt32());
        var data = modal.GetProperty("data");
        Assert.Equal("rv:correction:1", data.GetProperty("custom_id").GetString());
        Assert.Equal("Correct answer #1", data.GetProperty("title").GetString());
        var inputs = data.GetProperty("components").EnumerateArray().Select(r => r.GetProperty("components")[0]).ToArray();
        Assert.Equal(["text", "citations"], inputs.Select(i => i.GetProperty("custom_id").GetString()));
        Assert.True(inputs[0].GetProperty("required").GetBoolean());
        Assert.False(inputs[1].GetProperty("required").GetBoolean());
        Assert.Equal($"¶2: {TestArticle.Mexico}\n¶4: {TestArticle.Blinken}", inputs[1].GetProperty("value").GetString());
        Assert.Equal(AnswerStatus.New, bot.Log.All[0].Status);
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task A_correction_with_a_verbatim_citation_edits_the_public_reply_and_the_card()
    {
        await using var bot = await ModerationHarness.StartAsync();
        var record = await AskAsync(bot);

        await bot.InteractionAsync(Submit(record, Corrected, "\n¶2: “development aid” for the region\n"));

        var saved = bot.Log.All[0];
        Assert.Equal(AnswerStatus.Corrected, saved.Status);
        Assert.Equal(Corrected, saved.Correction!.Text);
        var citation = Assert.Single(saved.Correction.Citations);
        Assert.Equal(2, citation.Paragraph);
        Assert.Equal("“development aid” for the region", citation.Quote);
        Assert.Equal(TestArticle.Mexico[citation.Start..citation.End], citation.Quote);

        var reply = bot.Message("4000", record.ReplyMessageId!)!.Value;
        var description = reply.Embed().Description();
        Assert.StartsWith("✏️ Corrected by a moderator\n" + Corrected, description, StringComparison.Ordinal);
        Assert.Equal(["“development aid” for the region"], MessageJson.Quotes(description));
        Assert.Equal([2], MessageJson.Attributions(description));
        Assert.Equal(["src:2", "fb:up:1", "fb:down:1"], reply.CustomIds());

        var card = bot.LastCallback();
        Assert.Equal(7, card.GetProperty("type").GetInt32());
        Assert.Contains(FieldValues(card.GetProperty("data").Embed()), v => v.StartsWith(Corrected, StringComparison.Ordinal) && v.Contains("¶2 “", StringComparison.Ordinal));
        bot.AssertEveryBodyValid();
    }

    [Theory]
    [InlineData("¶2: sanctions on Cuba and Venezuela lifted\n¶4: Blinken will meet officials in Mexico City on Thursday.", "Line 2 is not word for word in ¶4")]
    [InlineData("¶9: Mexico wants sanctions", "Line 1 cites ¶9, but the article's paragraphs run from ¶1 to ¶4.")]
    [InlineData("Mexico wants sanctions on Cuba", "Line 1 is not written as ¶N: quoted text")]
    public async Task A_correction_with_a_bad_citation_is_refused_privately_naming_the_line_and_nothing_is_kept(string citations, string expected)
    {
        await using var bot = await ModerationHarness.StartAsync();
        var record = await AskAsync(bot);

        await bot.InteractionAsync(Submit(record, Corrected, citations));

        var refusal = bot.LastCallback();
        Assert.Equal(4, refusal.GetProperty("type").GetInt32());
        Assert.Equal(64, refusal.GetProperty("data").Flags());
        var content = refusal.GetProperty("data").Content()!;
        Assert.StartsWith("The correction was not saved.", content, StringComparison.Ordinal);
        Assert.Contains(expected, content, StringComparison.Ordinal);
        var kept = bot.Log.All[0];
        Assert.Equal(AnswerStatus.New, kept.Status);
        Assert.Null(kept.Correction);
        Assert.Empty(kept.History);
        Assert.Empty(bot.Requests("PATCH", "/channels/4000/messages/{id}"));
        bot.AssertEveryBodyValid();
    }

    [Theory]
    [InlineData(ReviewAction.Approve)]
    [InlineData(ReviewAction.Flag)]
    [InlineData(ReviewAction.Retract)]
    [InlineData(ReviewAction.Correct)]
    public async Task A_reader_clicking_a_card_button_is_refused_privately_and_nothing_changes(ReviewAction action)
    {
        await using var bot = await ModerationHarness.StartAsync();
        var record = await AskAsync(bot);

        await bot.InteractionAsync(Click(record, action, Invoker.Reader));

        var refusal = bot.LastCallback();
        Assert.Equal(4, refusal.GetProperty("type").GetInt32());
        Assert.Equal(64, refusal.GetProperty("data").Flags());
        Assert.Equal("Only moderators can review answers (Manage Messages permission or a moderator role).", refusal.GetProperty("data").Content());
        Assert.Empty(bot.Log.All[0].History);
        Assert.Empty(bot.Requests("PATCH", "/channels/{c}/messages/{m}"));
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task A_reader_submitting_the_correction_form_is_refused()
    {
        await using var bot = await ModerationHarness.StartAsync();
        var record = await AskAsync(bot);

        await bot.InteractionAsync(Submit(record, "Mexico wants nothing.", string.Empty, Invoker.Reader));

        Assert.Equal(64, bot.LastCallback().GetProperty("data").Flags());
        Assert.Null(bot.Log.All[0].Correction);
    }

    [Fact]
    public async Task A_member_with_a_moderator_role_may_review_without_manage_messages()
    {
        await using var bot = await ModerationHarness.StartAsync();
        var record = await AskAsync(bot);

        await bot.InteractionAsync(Click(record, ReviewAction.Approve, Invoker.RoleModerator));

        Assert.Equal(AnswerStatus.Approved, bot.Log.All[0].Status);
        Assert.Equal(7, bot.LastCallback().GetProperty("type").GetInt32());
    }

    [Fact]
    public async Task A_decision_from_a_copy_of_the_card_edits_the_card_and_tells_the_moderator_privately()
    {
        await using var bot = await ModerationHarness.StartAsync();
        var record = await AskAsync(bot);

        // The same buttons on another message (a card forwarded elsewhere, or an old card).
        await bot.InteractionAsync(Button(ModerationCustomIds.ReviewButton(ReviewAction.Flag, record.Id), ChannelId, "6999", Invoker.Moderator));

        var card = bot.Single("PATCH", $"/channels/7700/messages/{record.ReviewMessageId}").Json;
        Assert.Contains("Flagged by User 9100", FieldValues(card.Embed()));
        var note = bot.LastCallback().GetProperty("data");
        Assert.Equal(64, note.Flags());
        Assert.Equal("Answer #1 is now Flagged.", note.Content());
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task A_button_for_an_answer_the_log_does_not_hold_says_so()
    {
        await using var bot = await ModerationHarness.StartAsync();

        await bot.InteractionAsync(Button("rv:approve:42", ReviewChannelId, "6999", Invoker.Moderator));

        Assert.Equal("That answer is no longer in the answer log, so nothing was changed.", bot.LastCallback().GetProperty("data").Content());
    }
}

internal static class CardJson
{
    /// <summary>Channel messages carry allowed_mentions with an empty parse list and no ids.</summary>
    public static void AssertPingsNobodyExceptReplies(this JsonElement message)
    {
        var allowed = message.GetProperty("allowed_mentions");
        Assert.Empty(allowed.GetProperty("parse").EnumerateArray());
        Assert.False(allowed.TryGetProperty("users", out _));
        Assert.False(allowed.TryGetProperty("roles", out _));
    }
}
