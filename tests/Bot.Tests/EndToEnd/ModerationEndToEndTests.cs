using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Moderation;
using CaravanBot.FakeDiscord;
using Microsoft.Extensions.DependencyInjection;
using static CaravanBot.Bot.Tests.EndToEnd.ModerationEndToEnd;

namespace CaravanBot.Bot.Tests.EndToEnd;

/// <summary>
/// Moderation end to end: the real host (gateway, REST, engine, seed article, SQLite answer log on a temp file) with a
/// review channel, against the loopback Discord. Every REST body is held to Discord's schema.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ModerationEndToEndTests
{
    private const string Question = "What does Mexico want?";
    private const string Paraphrase = "What is Mexico asking the US for?";
    private const string Corrected = "Mexico wants the US to lift or ease its sanctions on Cuba and Venezuela and to give more development aid to the region.";
    private const string CitedFragment = "wants to see US remove or reduce sanctions on Cuba and Venezuela";
    private const string Withdrawn = "A moderator withdrew this answer";
    private const string CorrectedMarker = "✏️ Corrected by a moderator";
    private const string VerifiedMarker = "✅ Moderator-verified answer";
    private const string Refused = "Only moderators can review answers (Manage Messages permission or a moderator role).";

    private static readonly string ModeratorName = "User " + EndToEndBot.Number(Moderator);

    private readonly SharedModel _model;

    public ModerationEndToEndTests(SharedModel model)
    {
        _model = model;
    }

    [Fact]
    public async Task A_mention_is_answered_recorded_in_the_sqlite_file_before_the_reply_and_mirrored_as_a_review_card()
    {
        await using var bot = await StartAsync(_model);

        var asked = await bot.AskAsync(Question);

        // The reply's 👍/👎 carry the log id: the answer was committed before the reply was sent.
        var record = asked.Record;
        Assert.Equal([$"fb:up:{asked.Id}", $"fb:down:{asked.Id}"], CustomIds(asked.Reply.Json).Where(id => id.StartsWith("fb:", StringComparison.Ordinal)));
        Assert.Equal(Question, record.Answer.Question);
        Assert.Equal("mention", record.Answer.Source);
        Assert.True(record.Answer.Answered);
        Assert.Equal("extractive", record.Answer.Mode);
        Assert.Contains(record.Answer.Citations, c => c.Paragraph == 9 && c.Quote.Contains(CitedFragment, StringComparison.Ordinal));
        Assert.Equal(AnswerStatus.New, record.Status);
        Assert.Empty(record.History);

        // The logged reply is the reply Discord holds, answering the mention.
        Assert.Equal(EndToEndBot.Number(EndToEndBot.Channel), record.ReplyChannelId);
        var reply = bot.Reply(record);
        Assert.Equal(EndToEndBot.Id(asked.Mention), reply["message_reference"]!["message_id"]!.GetValue<string>());

        // The card: in the review channel, the four decisions for this answer, the question as title.
        Assert.Equal(
            [
                ModerationCustomIds.ReviewButton(ReviewAction.Approve, asked.Id),
                ModerationCustomIds.ReviewButton(ReviewAction.Flag, asked.Id),
                ModerationCustomIds.ReviewButton(ReviewAction.Retract, asked.Id),
                ModerationCustomIds.ReviewButton(ReviewAction.Correct, asked.Id),
            ],
            CustomIds(asked.Card.Json));
        var labels = asked.Card.Json.GetProperty("components").EnumerateArray()
            .SelectMany(r => r.GetProperty("components").EnumerateArray()).Select(b => b.GetProperty("label").GetString());
        Assert.Equal(["Approve", "Flag", "Retract", "Correct"], labels);
        Assert.Equal(Question, asked.Card.Json.GetProperty("embeds")[0].GetProperty("title").GetString());
        Assert.NotNull(bot.Card(record));

        await bot.E2e.WaitUntilIdleAsync();
        bot.E2e.AssertEveryRequestValid();
    }

    [Fact]
    public async Task A_moderator_approves_on_the_card_then_retracts_and_the_public_reply_is_withdrawn()
    {
        await using var bot = await StartAsync(_model);
        var asked = await bot.AskAsync(Question);

        await ApproveThenRetractAsync(bot, asked);

        await bot.E2e.WaitUntilIdleAsync();
        bot.E2e.AssertEveryRequestValid();
    }

    [Theory]
    [InlineData(ReviewAction.Approve)]
    [InlineData(ReviewAction.Retract)]
    [InlineData(ReviewAction.Correct)]
    public async Task A_non_moderator_clicking_a_card_button_is_refused_privately_and_nothing_changes(ReviewAction action)
    {
        await using var bot = await StartAsync(_model);
        var asked = await bot.AskAsync(Question);
        var before = bot.LastSequence;

        var callback = await bot.ClickAsync(ModerationCustomIds.ReviewButton(action, asked.Id), bot.Card(asked.Record), EndToEndBot.NewAuthor(), ReaderPermissions);

        Assert.Equal(Refused, AssertEphemeralNotice(callback));
        await bot.E2e.WaitUntilIdleAsync();
        var record = await bot.Log.GetAsync(asked.Id);
        Assert.Equal(AnswerStatus.New, record!.Status);
        Assert.Empty(record.History);
        Assert.Null(record.Correction);
        Assert.DoesNotContain(bot.Rest.Requests, r => r.Sequence > before && r.Method is "PATCH" or "DELETE");
        Assert.StartsWith(asked.Reply.Json.GetProperty("embeds")[0].GetProperty("description").GetString()!, Description(Element(bot.Reply(record))), StringComparison.Ordinal);
        bot.E2e.AssertEveryRequestValid();
    }

    [Fact]
    public async Task A_correction_submitted_through_the_form_edits_the_reply_and_is_served_for_a_paraphrase()
    {
        await using var bot = await StartAsync(_model);
        var asked = await bot.AskAsync(Question);

        await CorrectAsync(bot, asked);
        var served = await AskParaphraseAsync(bot, asked.Id);

        Assert.Equal(Paraphrase, served.Answer.Question);
        await bot.E2e.WaitUntilIdleAsync();
        bot.E2e.AssertEveryRequestValid();
    }

    [Fact]
    public async Task Readers_votes_are_recorded_a_second_thumbs_up_withdraws_and_three_thumbs_down_flag_the_answer_by_readers()
    {
        await using var bot = await StartAsync(_model);
        var asked = await bot.AskAsync(Question);

        await VoteAsync(bot, asked);

        await bot.E2e.WaitUntilIdleAsync();
        bot.E2e.AssertEveryRequestValid();
    }

    [Fact]
    public async Task A_new_host_on_the_same_sqlite_file_keeps_every_status_history_vote_and_correction_and_serves_the_correction()
    {
        var path = NewDatabasePath();
        try
        {
            long retractedId, correctedId, flaggedId;
            await using (var first = await StartAsync(_model, path))
            {
                var retracted = await first.AskAsync("Who is Blinken meeting?");
                await ApproveThenRetractAsync(first, retracted);
                var corrected = await first.AskAsync(Question);
                await CorrectAsync(first, corrected);
                await AskParaphraseAsync(first, corrected.Id);
                var voted = await first.AskAsync("Who is Blinken meeting?");
                await VoteAsync(first, voted);
                (retractedId, correctedId, flaggedId) = (retracted.Id, corrected.Id, voted.Id);
                await first.E2e.WaitUntilIdleAsync();
                first.E2e.AssertEveryRequestValid();
                await first.E2e.Bot.StopAsync();
            }

            await using var second = await StartAsync(_model, path);

            // What the new host's own log (the same file) holds.
            var log = second.E2e.Host.Services.GetRequiredService<IAnswerLog>();
            Assert.IsType<SqliteAnswerLog>(log);
            var retractedRecord = (await log.GetAsync(retractedId))!;
            Assert.Equal(AnswerStatus.Retracted, retractedRecord.Status);
            Assert.Equal([AnswerStatus.Approved, AnswerStatus.Retracted], retractedRecord.History.Select(h => h.Status));
            Assert.All(retractedRecord.History, h => Assert.Equal(EndToEndBot.Number(Moderator), h.By.Id));

            var correctedRecord = (await log.GetAsync(correctedId))!;
            Assert.Equal(AnswerStatus.Corrected, correctedRecord.Status);
            Assert.Equal(Corrected, correctedRecord.Correction!.Text);
            Assert.Equal(EndToEndBot.Number(Moderator), correctedRecord.Correction.By.Id);
            var citation = Assert.Single(correctedRecord.Correction.Citations);
            Assert.Equal((9, CitedFragment), (citation.Paragraph, citation.Quote));

            var flaggedRecord = (await log.GetAsync(flaggedId))!;
            Assert.Equal(AnswerStatus.Flagged, flaggedRecord.Status);
            Assert.Equal("readers", Assert.Single(flaggedRecord.History).By.Id);
            Assert.Equal((0, 3), (flaggedRecord.Upvotes, flaggedRecord.Downvotes));

            var served = await log.ListAsync(null, 0, 50);
            Assert.Contains(served, r => r.Answer.Mode == "correction" && r.Answer.ServedCorrectionOf == correctedId);

            // The new host serves the correction it loaded from the file.
            await AskParaphraseAsync(second, correctedId);

            await second.E2e.WaitUntilIdleAsync();
            second.E2e.AssertEveryRequestValid();
        }
        finally
        {
            DeleteDatabase(path);
        }
    }

    /// <summary>Approve on the card (type 7 update), then Retract (the public reply edited to the withdrawn wording).</summary>
    private static async Task ApproveThenRetractAsync(ModerationEndToEnd bot, ModerationEndToEnd.Asked asked)
    {
        var approve = await bot.ClickAsync(ModerationCustomIds.ReviewButton(ReviewAction.Approve, asked.Id), bot.Card(asked.Record), Moderator, ModeratorPermissions);

        Assert.Equal(7, approve.Json.GetProperty("type").GetInt32());
        Assert.Contains("Approved by " + ModeratorName, FieldValues(approve.Json.GetProperty("data")));
        var approved = await bot.WaitForRecordAsync(asked.Id, r => r.Status == AnswerStatus.Approved, "approved");
        var change = Assert.Single(approved.History);
        Assert.Equal((AnswerStatus.Approved, EndToEndBot.Number(Moderator), ModeratorName), (change.Status, change.By.Id, change.By.Name));

        var before = bot.LastSequence;
        var retract = await bot.ClickAsync(ModerationCustomIds.ReviewButton(ReviewAction.Retract, asked.Id), bot.Card(asked.Record), Moderator, ModeratorPermissions);

        Assert.Equal(7, retract.Json.GetProperty("type").GetInt32());
        Assert.Contains("Retracted by " + ModeratorName, FieldValues(retract.Json.GetProperty("data")));
        var edit = await bot.WaitForAsync("PATCH", MessagePath(asked.Record.ReplyChannelId, asked.Record.ReplyMessageId), before);
        Assert.Equal(200, await bot.E2e.ResponseStatusAsync(edit));
        Assert.StartsWith(Withdrawn, Description(edit.Json), StringComparison.Ordinal);
        Assert.StartsWith(Withdrawn, Description(Element(bot.Reply(asked.Record))), StringComparison.Ordinal);

        var retracted = await bot.WaitForRecordAsync(asked.Id, r => r.Status == AnswerStatus.Retracted, "retracted");
        Assert.Equal([AnswerStatus.Approved, AnswerStatus.Retracted], retracted.History.Select(h => h.Status));
        Assert.All(retracted.History, h => Assert.Equal(EndToEndBot.Number(Moderator), h.By.Id));
    }

    /// <summary>Correct opens the form (type 9); the submitted form edits the public reply and the card.</summary>
    private static async Task CorrectAsync(ModerationEndToEnd bot, ModerationEndToEnd.Asked asked)
    {
        var card = bot.Card(asked.Record);
        var open = await bot.ClickAsync(ModerationCustomIds.ReviewButton(ReviewAction.Correct, asked.Id), card, Moderator, ModeratorPermissions);
        Assert.Equal(9, open.Json.GetProperty("type").GetInt32());
        var form = open.Json.GetProperty("data");
        var formId = form.GetProperty("custom_id").GetString()!;
        Assert.Equal(ModerationCustomIds.CorrectionModal(asked.Id), formId);
        var inputs = form.GetProperty("components").EnumerateArray()
            .Select(r => r.GetProperty("components")[0].GetProperty("custom_id").GetString()!).ToArray();
        Assert.Equal([ReviewCardBuilder.CorrectionTextInput, ReviewCardBuilder.CorrectionCitationsInput], inputs);

        var before = bot.LastSequence;
        var submitted = await bot.SubmitAsync(
            formId, card, Moderator, ModeratorPermissions,
            (ReviewCardBuilder.CorrectionTextInput, Corrected),
            (ReviewCardBuilder.CorrectionCitationsInput, "¶9: " + CitedFragment));

        Assert.Equal(7, submitted.Json.GetProperty("type").GetInt32());
        Assert.Contains("Corrected by " + ModeratorName, FieldValues(submitted.Json.GetProperty("data")));
        var edit = await bot.WaitForAsync("PATCH", MessagePath(asked.Record.ReplyChannelId, asked.Record.ReplyMessageId), before);
        Assert.Equal(200, await bot.E2e.ResponseStatusAsync(edit));
        Assert.StartsWith(CorrectedMarker + "\n" + Corrected, Description(edit.Json), StringComparison.Ordinal);
        Assert.Contains(CitedFragment, Description(edit.Json), StringComparison.Ordinal);

        var record = await bot.WaitForRecordAsync(asked.Id, r => r.Status == AnswerStatus.Corrected, "corrected");
        Assert.Equal(Corrected, record.Correction!.Text);
        Assert.Equal(EndToEndBot.Number(Moderator), Assert.Single(record.History).By.Id);
    }

    /// <summary>The paraphrase is answered with the correction, marked moderator-verified, and logged as mode "correction".</summary>
    private static async Task<AnswerRecord> AskParaphraseAsync(ModerationEndToEnd bot, long correctedId)
    {
        var asked = await bot.AskAsync(Paraphrase);

        Assert.StartsWith(VerifiedMarker + "\n" + Corrected, Description(asked.Reply.Json), StringComparison.Ordinal);
        Assert.Contains(CitedFragment, Description(asked.Reply.Json), StringComparison.Ordinal);
        Assert.Contains("— ¶9", Description(asked.Reply.Json), StringComparison.Ordinal);
        Assert.Equal(("correction", correctedId), (asked.Record.Answer.Mode, asked.Record.Answer.ServedCorrectionOf));
        Assert.Equal(Corrected, asked.Record.Answer.AnswerText);
        return asked.Record;
    }

    /// <summary>👍, 👍 again (withdrawn), then three readers' 👎 through the reason form: flagged by "readers".</summary>
    private static async Task VoteAsync(ModerationEndToEnd bot, ModerationEndToEnd.Asked asked)
    {
        var reader = EndToEndBot.NewAuthor();
        var up = ModerationCustomIds.FeedbackButton(1, asked.Id);
        Assert.StartsWith("Thanks, your 👍 is counted.", AssertEphemeralNotice(await bot.ClickAsync(up, bot.Reply(asked.Record), reader, ReaderPermissions)), StringComparison.Ordinal);
        Assert.Equal(1, (await bot.WaitForRecordAsync(asked.Id, r => r.Upvotes == 1, "one 👍")).Upvotes);
        Assert.Equal("Your 👍 is withdrawn.", AssertEphemeralNotice(await bot.ClickAsync(up, bot.Reply(asked.Record), reader, ReaderPermissions)));
        var withdrawn = await bot.WaitForRecordAsync(asked.Id, r => r.Feedback.Count == 0, "no votes");
        Assert.Equal((0, 0), (withdrawn.Upvotes, withdrawn.Downvotes));

        var before = bot.LastSequence;
        var down = ModerationCustomIds.FeedbackButton(-1, asked.Id);
        for (var i = 1; i <= 3; i++)
        {
            var voter = EndToEndBot.NewAuthor();
            var reply = bot.Reply(asked.Record);
            var open = await bot.ClickAsync(down, reply, voter, ReaderPermissions);
            Assert.Equal(9, open.Json.GetProperty("type").GetInt32());
            var formId = open.Json.GetProperty("data").GetProperty("custom_id").GetString()!;
            Assert.Equal(ModerationCustomIds.FeedbackReasonModal(asked.Id), formId);

            var counted = await bot.SubmitAsync(formId, reply, voter, ReaderPermissions, (FeedbackInteractions.ReasonInput, $"reason {i}: it leaves out the border"));
            Assert.StartsWith("Thanks, your 👎 is counted.", AssertEphemeralNotice(counted), StringComparison.Ordinal);
            var record = await bot.WaitForRecordAsync(asked.Id, r => r.Downvotes == i, $"{i} 👎");
            Assert.Equal(i < 3 ? AnswerStatus.New : AnswerStatus.Flagged, record.Status);
        }

        var flagged = await bot.WaitForRecordAsync(asked.Id, r => r.Status == AnswerStatus.Flagged, "flagged");
        var change = Assert.Single(flagged.History);
        Assert.Equal((AnswerStatus.Flagged, "readers"), (change.Status, change.By.Id));
        Assert.Equal((0, 3), (flagged.Upvotes, flagged.Downvotes));
        Assert.All(flagged.Feedback, v => Assert.StartsWith("reason ", v.Reason!, StringComparison.Ordinal));

        // The card is brought up to date for moderators.
        var card = await bot.WaitForAsync("PATCH", MessagePath(EndToEndBot.Number(ReviewChannel), asked.Record.ReviewMessageId), before);
        Assert.Equal(200, await bot.E2e.ResponseStatusAsync(card));
    }
}
