using CaravanBot.Bot.AnswerLog;
using Microsoft.Data.Sqlite;

namespace CaravanBot.Bot.Tests.AnswerLog;

public sealed class AnswerLogMigrationTests : IAsyncLifetime
{
    private readonly AnswerLogFolder _folder = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public void The_schema_has_at_least_two_ordered_steps()
    {
        Assert.True(AnswerLogMigrations.All.Count >= 2);
        Assert.Equal(Enumerable.Range(1, AnswerLogMigrations.All.Count), AnswerLogMigrations.All.Select(m => m.Version));
        Assert.Equal(AnswerLogMigrations.All.Count, AnswerLogMigrations.LatestVersion);
    }

    [Fact]
    public async Task A_missing_file_and_folder_are_created_at_the_latest_version_in_WAL_mode()
    {
        var database = Path.Combine(_folder.Path, "nested", "deeper", "log.db");
        var log = _folder.Open(database);

        await log.InitializeAsync();

        Assert.True(File.Exists(database));
        Assert.Equal((long)AnswerLogMigrations.LatestVersion, AnswerLogFolder.Scalar(database, "PRAGMA user_version;"));
        Assert.Equal("wal", AnswerLogFolder.Scalar(database, "PRAGMA journal_mode;"));
        Assert.Equal(["answers", "corrections", "feedback", "follow_ups", "status_changes"], Tables(database));
        Assert.Equal(database, log.DatabasePath);
    }

    [Fact]
    public async Task A_file_from_version_1_with_answers_migrates_keeping_every_row()
    {
        var database = Path.Combine(_folder.Path, "v1.db");
        using (var connection = AnswerLogFolder.Connect(database))
        {
            AnswerLogMigrations.Apply(connection, database, targetVersion: 1);

            // What the version 1 bot wrote: an approved answer and its history.
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO answers (at, guild_id, channel_id, asker_id, asker_name, source, question, answered, reason,
                                     answer_text, citations_json, scores_json, mode, latency_ms, reply_channel_id, reply_message_id, status)
                VALUES ('2024-12-25T08:30:00.0000000+01:00', '111', '222', '333', 'Inês', 'mention', '¿Qué quiere “México”?', 1, NULL,
                        'Here is what the article says:', '[{"paragraph":2,"quote":"“development aid”","start":70,"end":89}]',
                        '{"dense":0.7}', 'extractive', 98.25, '222', '444', 'approved');
                INSERT INTO answers (at, asker_id, asker_name, source, question, answered, reason, answer_text, citations_json, scores_json, mode, latency_ms)
                VALUES ('2024-12-25T09:00:00.0000000+00:00', '555', 'Bo', 'dm', 'Who won the match?', 0, 'off_topic', 'That is not in the article.', '[]', '{}', 'extractive', 3);
                INSERT INTO status_changes (answer_id, status, by_id, by_name, at, note)
                VALUES (1, 'approved', '999', 'Moderator Mo', '2024-12-25T09:15:00.0000000+00:00', 'checked against ¶2');
                """;
            insert.ExecuteNonQuery();
            Assert.Equal(1L, AnswerLogMigrations.ReadVersion(connection));
        }

        var log = _folder.Open(database);
        var first = await log.GetAsync(1);
        var second = await log.GetAsync(2);

        Assert.Equal((long)AnswerLogMigrations.LatestVersion, AnswerLogFolder.Scalar(database, "PRAGMA user_version;"));
        Assert.Equal(["answers", "corrections", "feedback", "follow_ups", "status_changes"], Tables(database));
        Assert.NotNull(first);
        Assert.Equal("¿Qué quiere “México”?", first.Answer.Question);
        Assert.Equal(new DateTimeOffset(2024, 12, 25, 8, 30, 0, TimeSpan.FromHours(1)), first.Answer.At);
        Assert.Equal(TimeSpan.FromHours(1), first.Answer.At.Offset);
        Assert.Equal(new Actor("333", "Inês"), first.Answer.Asker);
        Assert.Equal([new LoggedCitation(2, "“development aid”", 70, 89)], first.Answer.Citations);
        Assert.Equal("""{"dense":0.7}""", first.Answer.ScoresJson);
        Assert.Equal(98.25, first.Answer.LatencyMs);
        Assert.Equal(("222", "444"), (first.ReplyChannelId, first.ReplyMessageId));
        Assert.Null(first.ReviewMessageId);
        Assert.Equal(AnswerStatus.Approved, first.Status);
        var change = Assert.Single(first.History);
        Assert.Equal(new StatusChange(AnswerStatus.Approved, new Actor("999", "Moderator Mo"), new DateTimeOffset(2024, 12, 25, 9, 15, 0, TimeSpan.Zero), "checked against ¶2"), change);
        Assert.NotNull(second);
        Assert.False(second.Answer.Answered);
        Assert.Equal("off_topic", second.Answer.Reason);
        Assert.Equal(AnswerStatus.New, second.Status);

        // What version 2 added works on the old rows, and new ids continue after them.
        await log.SetReviewMessageAsync(1, "777");
        Assert.Equal(VoteOutcome.Added, (await log.VoteAsync(1, new Actor("42", "Ana"), -1, "wrong paragraph"))?.Outcome);
        var corrected = await log.CorrectAsync(2, new Correction("Nobody: the article is about the caravan.", [], new Actor("cli:mo", "mo"), SampleAnswers.Start));
        Assert.Equal(AnswerStatus.Corrected, corrected?.Status);
        Assert.Equal("777", (await log.GetAsync(1))?.ReviewMessageId);
        Assert.Equal(3, await log.RecordAsync(SampleAnswers.Answered()));
    }

    [Fact]
    public async Task A_file_that_is_not_an_SQLite_database_is_refused()
    {
        var database = Path.Combine(_folder.Path, "notes.db");
        await File.WriteAllTextAsync(database, new string('x', 4096));

        var log = _folder.Open(database);
        var error = await Assert.ThrowsAsync<AnswerLogUnavailableException>(() => log.InitializeAsync());

        Assert.Contains(database, error.Message, StringComparison.Ordinal);
        Assert.Equal(new string('x', 4096), await File.ReadAllTextAsync(database));
    }

    [Fact]
    public async Task Answers_survive_closing_and_reopening_and_reopening_applies_nothing()
    {
        var first = _folder.Open();
        var id = await first.RecordAsync(SampleAnswers.Answered("Where did the caravan start?"));
        await first.DisposeAsync();
        SqliteConnection.ClearAllPools();

        var second = _folder.Open();
        await second.InitializeAsync();

        Assert.Equal("Where did the caravan start?", (await second.GetAsync(id))?.Answer.Question);
        Assert.Equal((long)AnswerLogMigrations.LatestVersion, AnswerLogFolder.Scalar(_folder.DefaultDatabase, "PRAGMA user_version;"));
    }

    [Fact]
    public async Task Two_logs_opening_a_new_file_at_once_migrate_it_once()
    {
        var logs = Enumerable.Range(0, 4).Select(_ => _folder.Open()).ToArray();

        await Task.WhenAll(logs.Select(log => Task.Run(() => log.InitializeAsync())));
        var ids = await Task.WhenAll(logs.Select(log => log.RecordAsync(SampleAnswers.Answered())));

        Assert.Equal([1L, 2L, 3L, 4L], ids.Order());
        Assert.Equal((long)AnswerLogMigrations.LatestVersion, AnswerLogFolder.Scalar(_folder.DefaultDatabase, "PRAGMA user_version;"));
    }

    private static string[] Tables(string database)
    {
        using var connection = AnswerLogFolder.Connect(database);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return [.. names];
    }
}
