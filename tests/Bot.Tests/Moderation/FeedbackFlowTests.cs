using System.Text.Json;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Moderation;
using CaravanBot.Bot.Tests.Features;
using static CaravanBot.Bot.Tests.Moderation.ModerationPayloads;

namespace CaravanBot.Bot.Tests.Moderation;

/// <summary>Readers' 👍 and 👎 under public answers, through the loopback Discord.</summary>
public sealed class FeedbackFlowTests
{
    private static async Task<AnswerRecord> AskAsync(ModerationHarness bot)
    {
        await bot.MessageAsync(Mention("what does Mexico want?", 6200));
        return bot.Log.All[^1];
    }

    private static JsonElement Vote(AnswerRecord record, int vote, Invoker? by = null) =>
        Button(ModerationCustomIds.FeedbackButton(vote, record.Id), ChannelId, record.ReplyMessageId!, by ?? Invoker.Reader);

    private static JsonElement Reason(AnswerRecord record, string reason, Invoker? by = null) =>
        Modal(ModerationCustomIds.FeedbackReasonModal(record.Id), by ?? Invoker.Reader, ChannelId, record.ReplyMessageId, ("reason", reason));

    private static string Acknowledgement(ModerationHarness bot)
    {
        var callback = bot.LastCallback();
        Assert.Equal(4, callback.GetProperty("type").GetInt32());
        Assert.Equal(64, callback.GetProperty("data").Flags());
        return callback.GetProperty("data").Content()!;
    }

    [Fact]
    public async Task Up_then_up_again_withdraws_the_vote()
    {
        await using var bot = await ModerationHarness.StartAsync();
        var record = await AskAsync(bot);

        await bot.InteractionAsync(Vote(record, 1));
        Assert.Equal("Thanks, your 👍 is counted. It helps the moderators find answers that need fixing.", Acknowledgement(bot));
        Assert.Equal(1, bot.Log.All[0].Upvotes);

        await bot.InteractionAsync(Vote(record, 1));
        Assert.Equal("Your 👍 is withdrawn.", Acknowledgement(bot));
        Assert.Empty(bot.Log.All[0].Feedback);
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task Up_then_down_changes_the_vote_after_the_reason_form()
    {
        await using var bot = await ModerationHarness.StartAsync();
        var record = await AskAsync(bot);

        await bot.InteractionAsync(Vote(record, 1));
        await bot.InteractionAsync(Vote(record, -1));
        Assert.Equal(9, bot.LastCallback().GetProperty("type").GetInt32());
        Assert.Equal(1, bot.Log.All[0].Upvotes);

        await bot.InteractionAsync(Reason(record, string.Empty));

        Assert.Equal("Thanks, your vote is now 👎.", Acknowledgement(bot));
        var vote = Assert.Single(bot.Log.All[0].Feedback);
        Assert.Equal((-1, null), (vote.Vote, vote.Reason));
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task Down_opens_an_optional_reason_form_and_submitting_it_counts_the_vote_with_the_reason()
    {
        await using var bot = await ModerationHarness.StartAsync();
        var record = await AskAsync(bot);

        await bot.InteractionAsync(Vote(record, -1));

        var form = bot.LastCallback();
        Assert.Equal(9, form.GetProperty("type").GetInt32());
        Assert.Equal("fb:reason:1", form.GetProperty("data").GetProperty("custom_id").GetString());
        var input = form.GetProperty("data").GetProperty("components")[0].GetProperty("components")[0];
        Assert.False(input.GetProperty("required").GetBoolean());
        Assert.Empty(bot.Log.All[0].Feedback);

        await bot.InteractionAsync(Reason(record, "  The quote is about Cuba, not Mexico.  "));

        Assert.StartsWith("Thanks, your 👎 is counted.", Acknowledgement(bot), StringComparison.Ordinal);
        var vote = Assert.Single(bot.Log.All[0].Feedback);
        Assert.Equal((-1, "The quote is about Cuba, not Mexico.", "5000"), (vote.Vote, vote.Reason, vote.Voter.Id));
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task A_reason_longer_than_the_form_allows_is_stored_cut_to_its_500_characters_even_for_a_form_never_opened()
    {
        await using var bot = await ModerationHarness.StartAsync();
        var record = await AskAsync(bot);

        await bot.InteractionAsync(Reason(record, new string('r', 10_240)));

        var vote = Assert.Single(bot.Log.All[0].Feedback);
        Assert.Equal(-1, vote.Vote);
        Assert.Equal(500, vote.Reason!.Length);
    }

    [Fact]
    public async Task Down_again_withdraws_at_once_and_a_repeated_form_does_not_undo_the_vote()
    {
        await using var bot = await ModerationHarness.StartAsync();
        var record = await AskAsync(bot);
        await bot.InteractionAsync(Vote(record, -1));
        await bot.InteractionAsync(Reason(record, "wrong"));

        await bot.InteractionAsync(Reason(record, "wrong, again"));
        Assert.StartsWith("Thanks, your 👎 is counted.", Acknowledgement(bot), StringComparison.Ordinal);
        Assert.Single(bot.Log.All[0].Feedback);

        await bot.InteractionAsync(Vote(record, -1));
        Assert.Equal("Your 👎 is withdrawn.", Acknowledgement(bot));
        Assert.Empty(bot.Log.All[0].Feedback);
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task Three_downvotes_flag_the_answer_as_readers_and_update_its_card()
    {
        await using var bot = await ModerationHarness.StartAsync();
        var record = await AskAsync(bot);

        foreach (var reader in new[] { ReaderId, SecondReaderId, ThirdReaderId })
        {
            Assert.Empty(bot.Requests("PATCH", $"/channels/7700/messages/{record.ReviewMessageId}"));
            await bot.InteractionAsync(Vote(record, -1, Invoker.ReaderNumber(reader)));
            await bot.InteractionAsync(Reason(record, "not what I asked", Invoker.ReaderNumber(reader)));
        }

        var flagged = bot.Log.All[0];
        Assert.Equal(AnswerStatus.Flagged, flagged.Status);
        var change = Assert.Single(flagged.History);
        Assert.Equal(("readers", "3 👎 from readers"), (change.By.Id, change.Note));
        var card = bot.Single("PATCH", $"/channels/7700/messages/{record.ReviewMessageId}").Json.Embed();
        var fields = card.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("value").GetString()).ToArray();
        Assert.Contains("Flagged by readers", fields);
        Assert.Contains("👍 0 · 👎 3", fields);
        var shown = bot.Message("7700", record.ReviewMessageId!)!.Value;
        Assert.True(shown.Buttons()[1].GetProperty("disabled").GetBoolean());
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task A_vote_on_an_answer_the_log_does_not_hold_says_so()
    {
        await using var bot = await ModerationHarness.StartAsync();

        await bot.InteractionAsync(Button("fb:up:77", ChannelId, "6999", Invoker.Reader));

        Assert.Equal("That answer is no longer in the answer log, so nothing was changed.", Acknowledgement(bot));
    }
}
