using CaravanBot.Bot.AnswerLog;

namespace CaravanBot.Bot.Tests.AnswerLog;

/// <summary>
/// What every answer-log store promises, written once and run against each store (<see cref="SqliteAnswerLogContractTests"/>,
/// <see cref="PostgresAnswerLogContractTests"/>): every field kept, append-only history and corrections, one vote per
/// reader, stats, paging, export, the status a moderator actually replaced when several act at once, the change feed
/// and its follow-ups, a newer schema refused unchanged. A store is one subclass that says how to open it and how to
/// reach its rows directly.
/// </summary>
public abstract class AnswerLogContractTests : IAsyncLifetime
{
    protected static readonly Actor Mo = new("1001", "Moderator Mo");
    protected static readonly Actor Lu = new("1002", "Lu “the editor”");

    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2025, 1, 4, 12, 0, 0, TimeSpan.Zero));
    private IAnswerLog? _log;

    /// <summary>The store under test, opened on first use (a PostgreSQL test is skipped there when no server can be started).</summary>
    protected IAnswerLog Log => _log ??= OpenLog(_time, writer: null);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public abstract Task DisposeAsync();

    /// <summary>Another instance on the same store, as another process would open it.</summary>
    protected abstract IAnswerLog OpenLog(TimeProvider? time, AnswerLogWriter? writer);

    /// <summary>Rows in a table, read directly.</summary>
    protected abstract Task<long> CountRowsAsync(string table);

    /// <summary>Runs SQL on the store directly (as another program would); the driver's exception when the store refuses it.</summary>
    protected abstract Task ExecuteRawAsync(string sql);

    /// <summary>Makes every status change to corrected fail inside the store (a trigger), to break a correction's transaction halfway.</summary>
    protected abstract Task RefuseCorrectedStatusChangesAsync();

    /// <summary>The store's schema version, read directly.</summary>
    protected abstract Task<long> SchemaVersionAsync();

    /// <summary>Marks the store as written by a newer CaravanBot (schema version <paramref name="version"/>).</summary>
    protected abstract Task SetSchemaVersionAsync(int version);

    /// <summary>The driver's exception type, which the store wraps in <see cref="AnswerLogUnavailableException"/>.</summary>
    protected abstract Type DriverExceptionType { get; }

    [SkippableFact]
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
        var corrected = await Log.RecordAsync(SampleAnswers.Answered());
        answer = answer with { ServedCorrectionOf = corrected };

        var id = await Log.RecordAsync(answer);
        var record = await Log.GetAsync(id);

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

    [SkippableFact]
    public async Task An_abstention_keeps_its_reason_and_null_places()
    {
        var id = await Log.RecordAsync(SampleAnswers.Abstained("Who won the match?", "off_topic") with { GuildId = null, ChannelId = null, Source = "cli" });

        var record = await Log.GetAsync(id);

        Assert.False(record?.Answer.Answered);
        Assert.Equal("off_topic", record?.Answer.Reason);
        Assert.Null(record?.Answer.GuildId);
        Assert.Null(record?.Answer.ChannelId);
        Assert.Empty(record!.Answer.Citations);
    }

    [SkippableFact]
    public async Task Reply_and_review_card_ids_are_remembered()
    {
        var id = await Log.RecordAsync(SampleAnswers.Answered());

        await Log.SetReplyAsync(id, "222", "333");
        await Log.SetReviewMessageAsync(id, "444");
        var record = await Log.GetAsync(id);

        Assert.Equal(("222", "333", "444"), (record?.ReplyChannelId, record?.ReplyMessageId, record?.ReviewMessageId));
    }

    [SkippableFact]
    public async Task Unknown_ids_give_null_and_change_nothing()
    {
        var id = await Log.RecordAsync(SampleAnswers.Answered());

        Assert.Null(await Log.GetAsync(id + 1));
        Assert.Null(await Log.ChangeStatusAsync(id + 1, AnswerStatus.Approved, Mo, null));
        Assert.Null(await Log.CorrectAsync(id + 1, new Correction("x", [], Mo, _time.Now)));
        Assert.Null(await Log.VoteAsync(id + 1, Lu, 1, null));
        await Log.SetReplyAsync(id + 1, "1", "2");
        await Log.SetReviewMessageAsync(id + 1, "3");

        Assert.Single(await Log.ListAsync(null, 0, 10));
        Assert.Equal(0L, await CountRowsAsync("status_changes"));
    }

    [SkippableFact]
    public async Task Status_history_is_appended_with_who_when_and_why()
    {
        var id = await Log.RecordAsync(SampleAnswers.Answered());
        var approvedAt = _time.Now;

        await Log.ChangeStatusAsync(id, AnswerStatus.Approved, Mo, "quotes check out");
        _time.Advance(TimeSpan.FromMinutes(5));
        await Log.ChangeStatusAsync(id, AnswerStatus.Flagged, new Actor("readers", "readers"), "3 👎");
        _time.Advance(TimeSpan.FromMinutes(5));
        var record = await Log.ChangeStatusAsync(id, AnswerStatus.Retracted, Lu, null);

        Assert.NotNull(record);
        Assert.Equal(AnswerStatus.Retracted, record.Status);
        Assert.Equal(
            [
                new StatusChange(AnswerStatus.Approved, Mo, approvedAt, "quotes check out"),
                new StatusChange(AnswerStatus.Flagged, new Actor("readers", "readers"), approvedAt.AddMinutes(5), "3 👎"),
                new StatusChange(AnswerStatus.Retracted, Lu, approvedAt.AddMinutes(10), null),
            ],
            record.History);
        Assert.Equal(record, await Log.GetAsync(id), new RecordComparer());
    }

    [SkippableFact]
    public async Task A_correction_is_stored_with_the_corrected_status_in_one_transaction()
    {
        var id = await Log.RecordAsync(SampleAnswers.Answered());
        var correction = new Correction(
            "Mexico asked for “development aid”.",
            [new LoggedCitation(2, "“development aid”", 57, 76)],
            Mo,
            new DateTimeOffset(2025, 1, 4, 13, 0, 0, TimeSpan.FromHours(1)));

        var record = await Log.CorrectAsync(id, correction);

        Assert.NotNull(record);
        Assert.Equal(AnswerStatus.Corrected, record.Status);
        Assert.Equal(correction.Text, record.Correction?.Text);
        Assert.Equal(correction.Citations, record.Correction?.Citations);
        Assert.Equal((correction.By, correction.At), (record.Correction?.By, record.Correction?.At));
        Assert.Equal(new StatusChange(AnswerStatus.Corrected, Mo, correction.At, null), Assert.Single(record.History));
    }

    [SkippableFact]
    public async Task A_correction_whose_status_change_fails_is_not_stored_at_all()
    {
        var id = await Log.RecordAsync(SampleAnswers.Answered());
        await Log.ChangeStatusAsync(id, AnswerStatus.Flagged, Mo, null);

        // Make the second half of the transaction (the status change) fail.
        await RefuseCorrectedStatusChangesAsync();
        var failure = await Assert.ThrowsAsync<AnswerLogUnavailableException>(() => Log.CorrectAsync(id, new Correction("Better.", [], Lu, _time.Now)));
        Assert.IsAssignableFrom(DriverExceptionType, failure.InnerException);

        var record = await Log.GetAsync(id);
        Assert.Null(record?.Correction);
        Assert.Equal(AnswerStatus.Flagged, record?.Status);
        Assert.Equal(0L, await CountRowsAsync("corrections"));
    }

    [SkippableFact]
    public async Task The_latest_correction_wins_and_only_current_corrections_are_served()
    {
        var kept = await Log.RecordAsync(SampleAnswers.Answered("What does Mexico want?"));
        var withdrawn = await Log.RecordAsync(SampleAnswers.Answered("Where are the families?", 2));
        await Log.RecordAsync(SampleAnswers.Answered("Who is Blinken meeting?", 3));

        await Log.CorrectAsync(kept, new Correction("First try.", [], Mo, _time.Now));
        await Log.CorrectAsync(kept, new Correction("Second try.", [new LoggedCitation(2, "Mexico", 0, 6)], Lu, _time.Now.AddMinutes(1)));
        await Log.CorrectAsync(withdrawn, new Correction("In Tapachula.", [], Mo, _time.Now));
        await Log.ChangeStatusAsync(withdrawn, AnswerStatus.Retracted, Mo, "correction was wrong too");

        var corrected = await Log.GetCorrectedAsync();

        var current = Assert.Single(corrected);
        Assert.Equal(kept, current.Id);
        Assert.Equal("Second try.", current.Correction?.Text);
        Assert.Equal(Lu, current.Correction?.By);
        Assert.Equal(2, current.History.Count);
        Assert.Equal("In Tapachula.", (await Log.GetAsync(withdrawn))?.Correction?.Text);
    }

    [SkippableFact]
    public async Task Corrected_can_be_set_again_only_when_there_is_a_correction()
    {
        var plain = await Log.RecordAsync(SampleAnswers.Answered());
        var fixedOnce = await Log.RecordAsync(SampleAnswers.Answered("Where?", 2));
        await Log.CorrectAsync(fixedOnce, new Correction("Tapachula.", [], Mo, _time.Now));
        await Log.ChangeStatusAsync(fixedOnce, AnswerStatus.Flagged, Lu, null);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Log.ChangeStatusAsync(plain, AnswerStatus.Corrected, Mo, null));
        var reinstated = await Log.ChangeStatusAsync(fixedOnce, AnswerStatus.Corrected, Mo, "flag was wrong");

        Assert.Equal(AnswerStatus.New, (await Log.GetAsync(plain))?.Status);
        Assert.Equal(AnswerStatus.Corrected, reinstated?.Status);
        Assert.Equal(fixedOnce, Assert.Single(await Log.GetCorrectedAsync()).Id);
    }

    [SkippableFact]
    public async Task Votes_are_one_per_reader_added_changed_and_withdrawn()
    {
        var id = await Log.RecordAsync(SampleAnswers.Answered());
        var ana = new Actor("2001", "Ana");
        var ben = new Actor("2002", "Ben");

        var first = await Log.VoteAsync(id, ana, 1, null);
        var again = await Log.VoteAsync(id, ana, 1, null);
        var down = await Log.VoteAsync(id, ana, -1, "wrong paragraph");
        _time.Advance(TimeSpan.FromMinutes(1));
        var flipped = await Log.VoteAsync(id, ana with { Name = "Ana B." }, 1, null);
        var benDown = await Log.VoteAsync(id, ben, -1, "not what I asked");

        Assert.Equal(VoteOutcome.Added, first?.Outcome);
        Assert.Equal((1, 0), (first?.Record.Upvotes, first?.Record.Downvotes));
        Assert.Equal(VoteOutcome.Withdrawn, again?.Outcome);
        Assert.Empty(again!.Value.Record.Feedback);
        Assert.Equal(VoteOutcome.Added, down?.Outcome);
        Assert.Equal(new FeedbackVote(ana, -1, "wrong paragraph", _time.Now.AddMinutes(-1)), Assert.Single(down!.Value.Record.Feedback));
        Assert.Equal(VoteOutcome.Changed, flipped?.Outcome);
        Assert.Equal(new FeedbackVote(new Actor("2001", "Ana B."), 1, null, _time.Now), Assert.Single(flipped!.Value.Record.Feedback));
        Assert.Equal(VoteOutcome.Added, benDown?.Outcome);

        var record = await Log.GetAsync(id);
        Assert.Equal((1, 1), (record?.Upvotes, record?.Downvotes));
        Assert.Equal(["2001", "2002"], record!.Feedback.Select(v => v.Voter.Id));
        Assert.Equal(AnswerStatus.New, record.Status);
    }

    [SkippableTheory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(-5)]
    public async Task A_vote_is_plus_or_minus_one(int vote)
    {
        var id = await Log.RecordAsync(SampleAnswers.Answered());

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Log.VoteAsync(id, Mo, vote, null));
    }

    [SkippableFact]
    public async Task Scores_must_be_JSON()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Log.RecordAsync(SampleAnswers.Answered() with { ScoresJson = "{dense: 0.8" }));

        Assert.Empty(await Log.ListAsync(null, 0, 10));
    }

    [SkippableFact]
    public async Task Stats_count_statuses_abstentions_votes_and_group_unanswered_questions()
    {
        var ids = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await Log.RecordAsync(SampleAnswers.Answered($"Question {i}", i)));
        }

        await Log.RecordAsync(SampleAnswers.Abstained("Who won the match?", "off_topic"));
        await Log.RecordAsync(SampleAnswers.Abstained("  who WON   the match? "));
        await Log.RecordAsync(SampleAnswers.Abstained("Who won the\tmatch?"));
        await Log.RecordAsync(SampleAnswers.Abstained("How old is Blinken?"));
        await Log.RecordAsync(SampleAnswers.Abstained("how old is blinken?"));
        await Log.RecordAsync(SampleAnswers.Abstained("What is ÉTAT?"));
        await Log.RecordAsync(SampleAnswers.Abstained("what is état?"));
        await Log.RecordAsync(SampleAnswers.Abstained("Where is the border wall?"));
        await Log.RecordAsync(SampleAnswers.Abstained("", "empty_question"));
        await Log.RecordAsync(SampleAnswers.Abstained("   ", "empty_question"));
        await Log.ChangeStatusAsync(ids[0], AnswerStatus.Approved, Mo, null);
        await Log.ChangeStatusAsync(ids[1], AnswerStatus.Approved, Mo, null);
        await Log.ChangeStatusAsync(ids[2], AnswerStatus.Flagged, Mo, null);
        await Log.CorrectAsync(ids[3], new Correction("Fixed.", [], Mo, _time.Now));
        await Log.ChangeStatusAsync(ids[1], AnswerStatus.Retracted, Mo, null);
        await Log.VoteAsync(ids[0], new Actor("a", "A"), 1, null);
        await Log.VoteAsync(ids[0], new Actor("b", "B"), 1, null);
        await Log.VoteAsync(ids[2], new Actor("a", "A"), -1, "wrong");
        await Log.VoteAsync(ids[2], new Actor("c", "C"), 1, null);
        await Log.VoteAsync(ids[2], new Actor("c", "C"), 1, null);

        var stats = await Log.GetStatsAsync(topUnanswered: 3);

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
        Assert.Empty((await Log.GetStatsAsync(0)).TopUnanswered);
    }

    [SkippableFact]
    public async Task Stats_of_an_emptyLogare_zero_for_every_status()
    {
        var stats = await Log.GetStatsAsync(5);

        Assert.Equal(0, stats.Total);
        Assert.Equal(AnswerStatusCodes.All.Select(s => s.Status), stats.ByStatus.Keys.Order());
        Assert.All(stats.ByStatus.Values, count => Assert.Equal(0, count));
        Assert.Empty(stats.TopUnanswered);
    }

    [SkippableFact]
    public async Task Lists_are_newest_first_in_pages_and_filter_by_status()
    {
        var ids = new List<long>();
        for (var i = 1; i <= 25; i++)
        {
            var id = await Log.RecordAsync(SampleAnswers.Answered($"Question {i}", i));
            ids.Add(id);
            if (i % 3 == 0)
            {
                await Log.ChangeStatusAsync(id, AnswerStatus.Flagged, Mo, null);
            }
        }

        await Log.ChangeStatusAsync(ids[2], AnswerStatus.Approved, Mo, "unflagged");
        var pages = new List<IReadOnlyList<AnswerRecord>>();
        for (var skip = 0; skip < 30; skip += 10)
        {
            pages.Add(await Log.ListAsync(null, skip, 10));
        }

        Assert.Equal([10, 10, 5], pages.Select(p => p.Count));
        Assert.Equal(Enumerable.Reverse(ids), pages.SelectMany(p => p).Select(r => r.Id));
        var flagged = await Log.ListAsync(AnswerStatus.Flagged, 0, 100);
        Assert.Equal(ids.Where((_, i) => (i + 1) % 3 == 0 && i != 2).Reverse(), flagged.Select(r => r.Id));
        Assert.All(flagged, r => Assert.Equal(AnswerStatus.Flagged, r.Status));
        Assert.Equal(flagged.Skip(2).Take(3).Select(r => r.Id), (await Log.ListAsync(AnswerStatus.Flagged, 2, 3)).Select(r => r.Id));
        var approved = Assert.Single(await Log.ListAsync(AnswerStatus.Approved, 0, 10));
        Assert.Equal(2, approved.History.Count);
        Assert.Empty(await Log.ListAsync(AnswerStatus.Corrected, 0, 10));
        Assert.Empty(await Log.ListAsync(null, 0, 0));
    }

    [SkippableFact]
    public async Task Export_gives_every_answer_oldest_first_across_pages_with_its_history_and_votes()
    {
        var ids = new List<long>();
        for (var i = 1; i <= 600; i++)
        {
            ids.Add(await Log.RecordAsync(SampleAnswers.Answered($"Question {i}", i)));
        }

        await Log.ChangeStatusAsync(ids[300], AnswerStatus.Approved, Mo, null);
        await Log.VoteAsync(ids[599], Lu, -1, "no");

        var exported = new List<AnswerRecord>();
        await foreach (var record in Log.ExportAsync())
        {
            exported.Add(record);
        }

        Assert.Equal(ids, exported.Select(r => r.Id));
        Assert.Equal(AnswerStatus.Approved, exported[300].Status);
        Assert.Equal(1, exported[599].Downvotes);
        Assert.Equal("Question 600", exported[599].Answer.Question);
    }

    [SkippableFact]
    public async Task Actions_after_disposal_fail_loudly()
    {
        await Log.RecordAsync(SampleAnswers.Answered());
        await ((IAsyncDisposable)Log).DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Log.RecordAsync(SampleAnswers.Answered()));
    }

    [SkippableFact]
    public async Task A_new_store_is_at_the_latest_schema_version_shared_by_every_store()
    {
        await Log.RecordAsync(SampleAnswers.Answered());

        Assert.Equal(AnswerLogSchema.LatestVersion, await SchemaVersionAsync());
    }

    [SkippableFact]
    public async Task A_store_from_a_newer_CaravanBot_is_refused_and_left_unchanged()
    {
        var id = await Log.RecordAsync(SampleAnswers.Answered());
        var newer = AnswerLogSchema.LatestVersion + 1;
        await SetSchemaVersionAsync(newer);

        var reopened = OpenLog(null, null);
        var error = await Assert.ThrowsAsync<AnswerLogUnavailableException>(() => reopened.RecordAsync(SampleAnswers.Answered("Again?")));

        Assert.Contains($"schema version {newer}, newer than this CaravanBot understands ({AnswerLogSchema.LatestVersion})", error.Message, StringComparison.Ordinal);
        Assert.Equal(newer, await SchemaVersionAsync());
        Assert.Equal(1L, await CountRowsAsync("answers"));
        await Assert.ThrowsAsync<AnswerLogUnavailableException>(() => reopened.GetAsync(id));
    }

    [SkippableTheory]
    [InlineData("UPDATE status_changes SET note = 'rewritten';")]
    [InlineData("DELETE FROM status_changes;")]
    [InlineData("UPDATE corrections SET text = 'rewritten';")]
    [InlineData("DELETE FROM corrections;")]
    public async Task The_store_itself_refuses_to_rewrite_history_and_corrections(string sql)
    {
        var id = await Log.RecordAsync(SampleAnswers.Answered());
        await Log.ChangeStatusAsync(id, AnswerStatus.Approved, Mo, "ok");
        await Log.CorrectAsync(id, new Correction("Better.", [], Mo, SampleAnswers.Start));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ExecuteRawAsync(sql));

        Assert.IsAssignableFrom(DriverExceptionType, error);
        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
        var record = await Log.GetAsync(id);
        Assert.Equal(2, record?.History.Count);
        Assert.Equal("Better.", record?.Correction?.Text);
    }

    [SkippableFact]
    public async Task Moderators_acting_at_once_from_several_processes_are_each_told_the_status_they_actually_replaced()
    {
        var id = await Log.RecordAsync(SampleAnswers.Answered());
        var processes = Enumerable.Range(0, 3).Select(_ => OpenLog(null, AnswerLogWriter.Terminal)).ToArray();
        AnswerStatus[] statuses = [AnswerStatus.Approved, AnswerStatus.Flagged, AnswerStatus.Retracted];

        var results = await Task.WhenAll(processes.SelectMany((log, p) => Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            var note = $"process {p} action {i}";
            var record = await log.ChangeStatusAsync(id, statuses[(p + i) % statuses.Length], new Actor($"cli:mod{p}", $"mod{p}"), note);
            return (Note: note, Record: record!);
        }))));

        var history = (await Log.GetAsync(id))!.History;
        Assert.Equal(30, history.Count);
        foreach (var (note, record) in results)
        {
            // What the moderator was told is what their change replaced in the history everyone sees now.
            var index = history.Select(h => h.Note).ToList().IndexOf(note);
            Assert.Equal(note, record.History[^1].Note);
            Assert.Equal(index == 0 ? AnswerStatus.New : history[index - 1].Status, record.StatusBeforeLastChange);
            Assert.Equal(history.Take(index + 1).Select(h => h.Note), record.History.Select(h => h.Note));
        }
    }

    [SkippableFact]
    public async Task The_change_feed_gives_every_status_change_after_a_position_in_order_and_only_terminal_changes_await_a_follow_up()
    {
        var changes = (IAnswerLogChanges)Log;
        var first = await Log.RecordAsync(SampleAnswers.Answered());
        var second = await Log.RecordAsync(SampleAnswers.Answered("Where?", 2));
        Assert.Equal(0L, await changes.GetLatestChangeAsync());
        var terminal = OpenLog(null, AnswerLogWriter.Terminal);

        await Log.ChangeStatusAsync(first, AnswerStatus.Approved, Mo, null);
        var start = await changes.GetLatestChangeAsync();
        await terminal.ChangeStatusAsync(second, AnswerStatus.Retracted, new Actor("cli:mo", "mo"), null);
        await terminal.CorrectAsync(first, new Correction("Better.", [], new Actor("cli:mo", "mo"), SampleAnswers.Start));
        await Log.VoteAsync(second, Lu, -1, "no");
        await Log.ChangeStatusAsync(second, AnswerStatus.Flagged, Mo, null);

        var after = await changes.GetChangesAfterAsync(start, 100);

        Assert.Equal(
            [(second, AnswerStatus.Retracted, true), (first, AnswerStatus.Corrected, true), (second, AnswerStatus.Flagged, false)],
            after.Select(c => (c.AnswerId, c.Status, c.AwaitsFollowUp)));
        Assert.True(after.Select(c => c.Sequence).SequenceEqual(after.Select(c => c.Sequence).Order()) && after[0].Sequence > start);
        Assert.Equal(after[^1].Sequence, await changes.GetLatestChangeAsync());
        Assert.Equal([after[1]], await changes.GetChangesAfterAsync(after[0].Sequence, 1));
        Assert.Equal(after.Take(2).Select(c => c.Sequence), (await changes.GetPendingFollowUpsAsync()).Select(c => c.Sequence));
    }

    [SkippableFact]
    public async Task A_follow_up_is_claimed_by_exactly_one_of_many_bot_processes()
    {
        var id = await Log.RecordAsync(SampleAnswers.Answered());
        await OpenLog(null, AnswerLogWriter.Terminal).ChangeStatusAsync(id, AnswerStatus.Retracted, new Actor("cli:mo", "mo"), null);
        var change = Assert.Single(await ((IAnswerLogChanges)Log).GetPendingFollowUpsAsync());
        var bots = Enumerable.Range(0, 4).Select(_ => (IAnswerLogChanges)OpenLog(null, null)).ToArray();

        var claims = await Task.WhenAll(bots.SelectMany((bot, b) => Enumerable.Range(0, 3).Select(i => Task.Run(() => bot.ClaimFollowUpAsync(change.Sequence, $"bot-{b}-{i}")))));

        Assert.Single(claims, claimed => claimed);
        Assert.Empty(await ((IAnswerLogChanges)Log).GetPendingFollowUpsAsync());
        Assert.False(Assert.Single(await ((IAnswerLogChanges)Log).GetChangesAfterAsync(0, 10)).AwaitsFollowUp);
        Assert.False(await ((IAnswerLogChanges)Log).ClaimFollowUpAsync(change.Sequence, "late"));
    }

    [SkippableFact]
    public async Task A_follow_up_given_back_by_its_claimant_awaits_a_follow_up_again_and_can_be_claimed_anew()
    {
        var id = await Log.RecordAsync(SampleAnswers.Answered());
        await OpenLog(null, AnswerLogWriter.Terminal).ChangeStatusAsync(id, AnswerStatus.Retracted, new Actor("cli:mo", "mo"), null);
        var changes = (IAnswerLogChanges)Log;
        var change = Assert.Single(await changes.GetPendingFollowUpsAsync());
        Assert.True(await changes.ClaimFollowUpAsync(change.Sequence, "bot-a"));

        // Only the claimant can give it back, once.
        Assert.False(await changes.ReleaseFollowUpAsync(change.Sequence, "bot-b"));
        Assert.Empty(await changes.GetPendingFollowUpsAsync());
        Assert.True(await changes.ReleaseFollowUpAsync(change.Sequence, "bot-a"));
        Assert.False(await changes.ReleaseFollowUpAsync(change.Sequence, "bot-a"));

        Assert.Equal([change.Sequence], (await changes.GetPendingFollowUpsAsync()).Select(c => c.Sequence));
        Assert.True(Assert.Single(await changes.GetChangesAfterAsync(0, 10)).AwaitsFollowUp);
        var other = (IAnswerLogChanges)OpenLog(null, null);
        Assert.True(await other.ClaimFollowUpAsync(change.Sequence, "bot-b"));
        Assert.Empty(await changes.GetPendingFollowUpsAsync());
    }

    [SkippableFact]
    public async Task A_waiting_follower_wakes_for_a_change_committed_by_another_process()
    {
        var id = await Log.RecordAsync(SampleAnswers.Answered());
        var follower = (IAnswerLogChanges)OpenLog(null, null);
        var position = await follower.GetLatestChangeAsync();

        // Listening (or the first poll) is under way before the other process commits.
        await follower.WaitForChangeAsync(TimeSpan.FromSeconds(2));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var waiting = follower.WaitForChangeAsync(TimeSpan.FromSeconds(30));
        await OpenLog(null, AnswerLogWriter.Terminal).ChangeStatusAsync(id, AnswerStatus.Retracted, new Actor("cli:mo", "mo"), null);
        await waiting;
        waited.Stop();

        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"the follower waited {waited.Elapsed.TotalSeconds:F1} s for a committed change");
        var change = Assert.Single(await follower.GetChangesAfterAsync(position, 10));
        Assert.Equal((id, AnswerStatus.Retracted, true), (change.AnswerId, change.Status, change.AwaitsFollowUp));
    }

    /// <summary>Records hold lists, so record equality compares references; this compares contents.</summary>
    protected sealed class RecordComparer : IEqualityComparer<AnswerRecord?>
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
