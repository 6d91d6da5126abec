using CaravanBot.Bot.AnswerLog;
using Microsoft.Data.Sqlite;

namespace CaravanBot.Bot.Tests.AnswerLog;

public sealed class SqliteAnswerLogTests : IAsyncLifetime
{
    private static readonly Actor Mo = new("1001", "Moderator Mo");
    private static readonly Actor Lu = new("1002", "Lu “the editor”");

    private readonly AnswerLogFolder _folder = new();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2025, 1, 4, 12, 0, 0, TimeSpan.Zero));
    private SqliteAnswerLog _log = null!;

    public Task InitializeAsync()
    {
        _log = _folder.Open(time: _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public async Task Every_field_of_an_answer_round_trips_unicode_and_all()
    {
        var answer = new NewAnswer
        {
            At = new DateTimeOffset(2025, 1, 3, 9, 41, 7, 123, TimeSpan.FromHours(-6)).AddTicks(4567),
            GuildId = "1180000000000000001",
            ChannelId = "1180000000000000002",
            Asker = new Actor("1180000000000000003", "Inês “Nés” López 🌵"),
            Source = "context-menu",
            Question = "¿Qué pidió López Obrador? \"aid\", 'sanctions' — and\nwhy?",
            Answered = true,
            Reason = null,
            AnswerText = "Here is what the article says:\n(two quotes)",
            Citations =
            [
                new LoggedCitation(2, "Mexico wants sanctions on Cuba and Venezuela lifted and “development aid”", 0, 74),
                new LoggedCitation(3, "Families slept on scraps of plastic", 0, 35),
            ],
            ScoresJson = """{"dense":0.8123,"lexical":[1,2],"note":"ünïcode"}""",
            Mode = "correction",
            LatencyMs = 1234.5678901,
            ServedCorrectionOf = null,
        };
        var corrected = await _log.RecordAsync(SampleAnswers.Answered());
        answer = answer with { ServedCorrectionOf = corrected };

        var id = await _log.RecordAsync(answer);
        var record = await _log.GetAsync(id);

        Assert.NotNull(record);
        Assert.Equal(id, record.Id);
        Assert.Equal(answer.At, record.Answer.At);
        Assert.Equal(answer.At.Offset, record.Answer.At.Offset);
        Assert.Equal(answer.At.Ticks, record.Answer.At.Ticks);
        Assert.Equal(answer.GuildId, record.Answer.GuildId);
        Assert.Equal(answer.ChannelId, record.Answer.ChannelId);
        Assert.Equal(answer.Asker, record.Answer.Asker);
        Assert.Equal(answer.Source, record.Answer.Source);
        Assert.Equal(answer.Question, record.Answer.Question);
        Assert.Equal(answer.Answered, record.Answer.Answered);
        Assert.Null(record.Answer.Reason);
        Assert.Equal(answer.AnswerText, record.Answer.AnswerText);
        Assert.Equal(answer.Citations, record.Answer.Citations);
        Assert.Equal(answer.ScoresJson, record.Answer.ScoresJson);
        Assert.Equal(answer.Mode, record.Answer.Mode);
        Assert.Equal(answer.LatencyMs, record.Answer.LatencyMs);
        Assert.Equal(corrected, record.Answer.ServedCorrectionOf);
        Assert.Equal(AnswerStatus.New, record.Status);
        Assert.Empty(record.History);
        Assert.Null(record.Correction);
        Assert.Empty(record.Feedback);
        Assert.Null(record.ReplyMessageId);
        Assert.Null(record.ReviewMessageId);
    }

    [Fact]
    public async Task An_abstention_keeps_its_reason_and_null_places()
    {
        var id = await _log.RecordAsync(SampleAnswers.Abstained("Who won the match?", "off_topic") with { GuildId = null, ChannelId = null, Source = "cli" });

        var record = await _log.GetAsync(id);

        Assert.False(record?.Answer.Answered);
        Assert.Equal("off_topic", record?.Answer.Reason);
        Assert.Null(record?.Answer.GuildId);
        Assert.Null(record?.Answer.ChannelId);
        Assert.Empty(record!.Answer.Citations);
    }

    [Fact]
    public async Task Reply_and_review_card_ids_are_remembered()
    {
        var id = await _log.RecordAsync(SampleAnswers.Answered());

        await _log.SetReplyAsync(id, "222", "333");
        await _log.SetReviewMessageAsync(id, "444");
        var record = await _log.GetAsync(id);

        Assert.Equal(("222", "333", "444"), (record?.ReplyChannelId, record?.ReplyMessageId, record?.ReviewMessageId));
    }

    [Fact]
    public async Task Unknown_ids_give_null_and_change_nothing()
    {
        var id = await _log.RecordAsync(SampleAnswers.Answered());

        Assert.Null(await _log.GetAsync(id + 1));
        Assert.Null(await _log.ChangeStatusAsync(id + 1, AnswerStatus.Approved, Mo, null));
        Assert.Null(await _log.CorrectAsync(id + 1, new Correction("x", [], Mo, _time.Now)));
        Assert.Null(await _log.VoteAsync(id + 1, Lu, 1, null));
        await _log.SetReplyAsync(id + 1, "1", "2");
        await _log.SetReviewMessageAsync(id + 1, "3");

        Assert.Single(await _log.ListAsync(null, 0, 10));
        Assert.Equal(0L, AnswerLogFolder.Scalar(_log.DatabasePath, "SELECT COUNT(*) FROM status_changes;"));
    }

    [Fact]
    public async Task Status_history_is_appended_with_who_when_and_why()
    {
        var id = await _log.RecordAsync(SampleAnswers.Answered());
        var approvedAt = _time.Now;

        await _log.ChangeStatusAsync(id, AnswerStatus.Approved, Mo, "quotes check out");
        _time.Advance(TimeSpan.FromMinutes(5));
        await _log.ChangeStatusAsync(id, AnswerStatus.Flagged, new Actor("readers", "readers"), "3 👎");
        _time.Advance(TimeSpan.FromMinutes(5));
        var record = await _log.ChangeStatusAsync(id, AnswerStatus.Retracted, Lu, null);

        Assert.NotNull(record);
        Assert.Equal(AnswerStatus.Retracted, record.Status);
        Assert.Equal(
            [
                new StatusChange(AnswerStatus.Approved, Mo, approvedAt, "quotes check out"),
                new StatusChange(AnswerStatus.Flagged, new Actor("readers", "readers"), approvedAt.AddMinutes(5), "3 👎"),
                new StatusChange(AnswerStatus.Retracted, Lu, approvedAt.AddMinutes(10), null),
            ],
            record.History);
        Assert.Equal(record, await _log.GetAsync(id), new RecordComparer());
    }

    [Fact]
    public async Task A_correction_is_stored_with_the_corrected_status_in_one_transaction()
    {
        var id = await _log.RecordAsync(SampleAnswers.Answered());
        var correction = new Correction(
            "Mexico asked for “development aid”.",
            [new LoggedCitation(2, "“development aid”", 57, 76)],
            Mo,
            new DateTimeOffset(2025, 1, 4, 13, 0, 0, TimeSpan.FromHours(1)));

        var record = await _log.CorrectAsync(id, correction);

        Assert.NotNull(record);
        Assert.Equal(AnswerStatus.Corrected, record.Status);
        Assert.Equal(correction.Text, record.Correction?.Text);
        Assert.Equal(correction.Citations, record.Correction?.Citations);
        Assert.Equal((correction.By, correction.At), (record.Correction?.By, record.Correction?.At));
        Assert.Equal(new StatusChange(AnswerStatus.Corrected, Mo, correction.At, null), Assert.Single(record.History));
    }

    [Fact]
    public async Task A_correction_whose_status_change_fails_is_not_stored_at_all()
    {
        var id = await _log.RecordAsync(SampleAnswers.Answered());
        await _log.ChangeStatusAsync(id, AnswerStatus.Flagged, Mo, null);

        // Make the second half of the transaction (the status change) fail.
        AnswerLogFolder.Execute(_log.DatabasePath, "CREATE TRIGGER no_corrected BEFORE INSERT ON status_changes WHEN NEW.status = 'corrected' BEGIN SELECT RAISE(ABORT, 'refused by test'); END;");
        var failure = await Assert.ThrowsAsync<AnswerLogUnavailableException>(() => _log.CorrectAsync(id, new Correction("Better.", [], Lu, _time.Now)));
        Assert.IsType<SqliteException>(failure.InnerException);

        var record = await _log.GetAsync(id);
        Assert.Null(record?.Correction);
        Assert.Equal(AnswerStatus.Flagged, record?.Status);
        Assert.Equal(0L, AnswerLogFolder.Scalar(_log.DatabasePath, "SELECT COUNT(*) FROM corrections;"));
    }

    [Fact]
    public async Task The_latest_correction_wins_and_only_current_corrections_are_served()
    {
        var kept = await _log.RecordAsync(SampleAnswers.Answered("What does Mexico want?"));
        var withdrawn = await _log.RecordAsync(SampleAnswers.Answered("Where are the families?", 2));
        await _log.RecordAsync(SampleAnswers.Answered("Who is Blinken meeting?", 3));

        await _log.CorrectAsync(kept, new Correction("First try.", [], Mo, _time.Now));
        await _log.CorrectAsync(kept, new Correction("Second try.", [new LoggedCitation(2, "Mexico", 0, 6)], Lu, _time.Now.AddMinutes(1)));
        await _log.CorrectAsync(withdrawn, new Correction("In Tapachula.", [], Mo, _time.Now));
        await _log.ChangeStatusAsync(withdrawn, AnswerStatus.Retracted, Mo, "correction was wrong too");

        var corrected = await _log.GetCorrectedAsync();

        var current = Assert.Single(corrected);
        Assert.Equal(kept, current.Id);
        Assert.Equal("Second try.", current.Correction?.Text);
        Assert.Equal(Lu, current.Correction?.By);
        Assert.Equal(2, current.History.Count);
        Assert.Equal("In Tapachula.", (await _log.GetAsync(withdrawn))?.Correction?.Text);
    }

    [Fact]
    public async Task Corrected_can_be_set_again_only_when_there_is_a_correction()
    {
        var plain = await _log.RecordAsync(SampleAnswers.Answered());
        var fixedOnce = await _log.RecordAsync(SampleAnswers.Answered("Where?", 2));
        await _log.CorrectAsync(fixedOnce, new Correction("Tapachula.", [], Mo, _time.Now));
        await _log.ChangeStatusAsync(fixedOnce, AnswerStatus.Flagged, Lu, null);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _log.ChangeStatusAsync(plain, AnswerStatus.Corrected, Mo, null));
        var reinstated = await _log.ChangeStatusAsync(fixedOnce, AnswerStatus.Corrected, Mo, "flag was wrong");

        Assert.Equal(AnswerStatus.New, (await _log.GetAsync(plain))?.Status);
        Assert.Equal(AnswerStatus.Corrected, reinstated?.Status);
        Assert.Equal(fixedOnce, Assert.Single(await _log.GetCorrectedAsync()).Id);
    }

    [Fact]
    public async Task Votes_are_one_per_reader_added_changed_and_withdrawn()
    {
        var id = await _log.RecordAsync(SampleAnswers.Answered());
        var ana = new Actor("2001", "Ana");
        var ben = new Actor("2002", "Ben");

        var first = await _log.VoteAsync(id, ana, 1, null);
        var again = await _log.VoteAsync(id, ana, 1, null);
        var down = await _log.VoteAsync(id, ana, -1, "wrong paragraph");
        _time.Advance(TimeSpan.FromMinutes(1));
        var flipped = await _log.VoteAsync(id, ana with { Name = "Ana B." }, 1, null);
        var benDown = await _log.VoteAsync(id, ben, -1, "not what I asked");

        Assert.Equal(VoteOutcome.Added, first?.Outcome);
        Assert.Equal((1, 0), (first?.Record.Upvotes, first?.Record.Downvotes));
        Assert.Equal(VoteOutcome.Withdrawn, again?.Outcome);
        Assert.Empty(again!.Value.Record.Feedback);
        Assert.Equal(VoteOutcome.Added, down?.Outcome);
        Assert.Equal(new FeedbackVote(ana, -1, "wrong paragraph", _time.Now.AddMinutes(-1)), Assert.Single(down!.Value.Record.Feedback));
        Assert.Equal(VoteOutcome.Changed, flipped?.Outcome);
        Assert.Equal(new FeedbackVote(new Actor("2001", "Ana B."), 1, null, _time.Now), Assert.Single(flipped!.Value.Record.Feedback));
        Assert.Equal(VoteOutcome.Added, benDown?.Outcome);

        var record = await _log.GetAsync(id);
        Assert.Equal((1, 1), (record?.Upvotes, record?.Downvotes));
        Assert.Equal(["2001", "2002"], record!.Feedback.Select(v => v.Voter.Id));
        Assert.Equal(AnswerStatus.New, record.Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(-5)]
    public async Task A_vote_is_plus_or_minus_one(int vote)
    {
        var id = await _log.RecordAsync(SampleAnswers.Answered());

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _log.VoteAsync(id, Mo, vote, null));
    }

    [Fact]
    public async Task Scores_must_be_JSON()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _log.RecordAsync(SampleAnswers.Answered() with { ScoresJson = "{dense: 0.8" }));

        Assert.Empty(await _log.ListAsync(null, 0, 10));
    }

    [Fact]
    public async Task Stats_count_statuses_abstentions_votes_and_group_unanswered_questions()
    {
        var ids = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await _log.RecordAsync(SampleAnswers.Answered($"Question {i}", i)));
        }

        await _log.RecordAsync(SampleAnswers.Abstained("Who won the match?", "off_topic"));
        await _log.RecordAsync(SampleAnswers.Abstained("  who WON   the match? "));
        await _log.RecordAsync(SampleAnswers.Abstained("Who won the\tmatch?"));
        await _log.RecordAsync(SampleAnswers.Abstained("How old is Blinken?"));
        await _log.RecordAsync(SampleAnswers.Abstained("how old is blinken?"));
        await _log.RecordAsync(SampleAnswers.Abstained("What is ÉTAT?"));
        await _log.RecordAsync(SampleAnswers.Abstained("what is état?"));
        await _log.RecordAsync(SampleAnswers.Abstained("Where is the border wall?"));
        await _log.RecordAsync(SampleAnswers.Abstained("", "empty_question"));
        await _log.RecordAsync(SampleAnswers.Abstained("   ", "empty_question"));
        await _log.ChangeStatusAsync(ids[0], AnswerStatus.Approved, Mo, null);
        await _log.ChangeStatusAsync(ids[1], AnswerStatus.Approved, Mo, null);
        await _log.ChangeStatusAsync(ids[2], AnswerStatus.Flagged, Mo, null);
        await _log.CorrectAsync(ids[3], new Correction("Fixed.", [], Mo, _time.Now));
        await _log.ChangeStatusAsync(ids[1], AnswerStatus.Retracted, Mo, null);
        await _log.VoteAsync(ids[0], new Actor("a", "A"), 1, null);
        await _log.VoteAsync(ids[0], new Actor("b", "B"), 1, null);
        await _log.VoteAsync(ids[2], new Actor("a", "A"), -1, "wrong");
        await _log.VoteAsync(ids[2], new Actor("c", "C"), 1, null);
        await _log.VoteAsync(ids[2], new Actor("c", "C"), 1, null);

        var stats = await _log.GetStatsAsync(topUnanswered: 3);

        Assert.Equal(14, stats.Total);
        Assert.Equal(
            new Dictionary<AnswerStatus, int>
            {
                [AnswerStatus.New] = 10,
                [AnswerStatus.Approved] = 1,
                [AnswerStatus.Flagged] = 1,
                [AnswerStatus.Retracted] = 1,
                [AnswerStatus.Corrected] = 1,
            },
            stats.ByStatus);
        Assert.Equal(8, stats.Abstentions);
        Assert.Equal((2, 1), (stats.Upvotes, stats.Downvotes));
        Assert.Equal([("Who won the match?", 3), ("How old is Blinken?", 2), ("What is ÉTAT?", 2)], stats.TopUnanswered);
        Assert.Empty((await _log.GetStatsAsync(0)).TopUnanswered);
    }

    [Fact]
    public async Task Stats_of_an_empty_log_are_zero_for_every_status()
    {
        var stats = await _log.GetStatsAsync(5);

        Assert.Equal(0, stats.Total);
        Assert.Equal(AnswerStatusCodes.All.Select(s => s.Status), stats.ByStatus.Keys.Order());
        Assert.All(stats.ByStatus.Values, count => Assert.Equal(0, count));
        Assert.Empty(stats.TopUnanswered);
    }

    [Fact]
    public async Task Lists_are_newest_first_in_pages_and_filter_by_status()
    {
        var ids = new List<long>();
        for (var i = 1; i <= 25; i++)
        {
            var id = await _log.RecordAsync(SampleAnswers.Answered($"Question {i}", i));
            ids.Add(id);
            if (i % 3 == 0)
            {
                await _log.ChangeStatusAsync(id, AnswerStatus.Flagged, Mo, null);
            }
        }

        await _log.ChangeStatusAsync(ids[2], AnswerStatus.Approved, Mo, "unflagged");
        var pages = new List<IReadOnlyList<AnswerRecord>>();
        for (var skip = 0; skip < 30; skip += 10)
        {
            pages.Add(await _log.ListAsync(null, skip, 10));
        }

        Assert.Equal([10, 10, 5], pages.Select(p => p.Count));
        Assert.Equal(Enumerable.Reverse(ids), pages.SelectMany(p => p).Select(r => r.Id));
        var flagged = await _log.ListAsync(AnswerStatus.Flagged, 0, 100);
        Assert.Equal(ids.Where((_, i) => (i + 1) % 3 == 0 && i != 2).Reverse(), flagged.Select(r => r.Id));
        Assert.All(flagged, r => Assert.Equal(AnswerStatus.Flagged, r.Status));
        Assert.Equal(flagged.Skip(2).Take(3).Select(r => r.Id), (await _log.ListAsync(AnswerStatus.Flagged, 2, 3)).Select(r => r.Id));
        var approved = Assert.Single(await _log.ListAsync(AnswerStatus.Approved, 0, 10));
        Assert.Equal(2, approved.History.Count);
        Assert.Empty(await _log.ListAsync(AnswerStatus.Corrected, 0, 10));
        Assert.Empty(await _log.ListAsync(null, 0, 0));
    }

    [Fact]
    public async Task Export_gives_every_answer_oldest_first_across_pages_with_its_history_and_votes()
    {
        var ids = new List<long>();
        for (var i = 1; i <= 600; i++)
        {
            ids.Add(await _log.RecordAsync(SampleAnswers.Answered($"Question {i}", i)));
        }

        await _log.ChangeStatusAsync(ids[300], AnswerStatus.Approved, Mo, null);
        await _log.VoteAsync(ids[599], Lu, -1, "no");

        var exported = new List<AnswerRecord>();
        await foreach (var record in _log.ExportAsync())
        {
            exported.Add(record);
        }

        Assert.Equal(ids, exported.Select(r => r.Id));
        Assert.Equal(AnswerStatus.Approved, exported[300].Status);
        Assert.Equal(1, exported[599].Downvotes);
        Assert.Equal("Question 600", exported[599].Answer.Question);
    }

    [Fact]
    public async Task Actions_after_disposal_fail_loudly()
    {
        await _log.RecordAsync(SampleAnswers.Answered());
        await _log.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => _log.RecordAsync(SampleAnswers.Answered()));
    }

    /// <summary>Records hold lists, so record equality compares references; this compares contents.</summary>
    private sealed class RecordComparer : IEqualityComparer<AnswerRecord?>
    {
        public bool Equals(AnswerRecord? x, AnswerRecord? y) =>
            x is not null && y is not null
            && x.Id == y.Id && x.Status == y.Status
            && x.History.SequenceEqual(y.History)
            && x.Feedback.SequenceEqual(y.Feedback)
            && x.Answer.Question == y.Answer.Question
            && x.Answer.Citations.SequenceEqual(y.Answer.Citations);

        public int GetHashCode(AnswerRecord? obj) => obj?.Id.GetHashCode() ?? 0;
    }
}
