using System.Diagnostics;
using System.Security.Cryptography;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Cli;
using CaravanBot.Bot.Tests.AnswerLog;
using Microsoft.Data.Sqlite;

namespace CaravanBot.Bot.Tests.Cli;

/// <summary>
/// The answer log is a moderator's record: no review command may destroy it, change a file that is not
/// CaravanBot's, or change any file at all when it only reads. Every failure of the file is one line, exit 3.
/// </summary>
public sealed class ReviewSafetyTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private string _database = null!;

    public async Task InitializeAsync()
    {
        _database = Path.Combine(_cli.BaseDirectory, "data", "answers.db");
        await using var log = new SqliteAnswerLog(Microsoft.Extensions.Options.Options.Create(new AnswerLogOptions { Path = _database }), Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteAnswerLog>.Instance);
        await log.RecordAsync(SampleAnswers.Answered());
        await log.RecordAsync(SampleAnswers.Answered("Where did families sleep?", 2));
        SqliteConnection.ClearAllPools();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _cli.Dispose();
        return Task.CompletedTask;
    }

    // --- 7: export never writes over the log or over anything but a new (or --force) regular file.

    [Fact]
    public async Task Export_refuses_to_write_over_the_answer_log_itself()
    {
        var before = Hash(_database);

        var result = await _cli.RunAsync("review", "export", "--format", "csv", "--output", _database, "--force", "--db", _database);

        var line = result.AssertOneLineError(ExitCodes.Usage);
        Assert.Contains("is the answer log itself", line, StringComparison.Ordinal);
        Assert.Equal(before, Hash(_database));
        Assert.Equal(2L, AnswerLogFolder.Scalar(_database, "SELECT COUNT(*) FROM answers;"));
    }

    [Fact]
    public async Task Export_refuses_the_log_through_a_symbolic_link_too()
    {
        var link = Path.Combine(_cli.BaseDirectory, "export.csv");
        File.CreateSymbolicLink(link, _database);
        var before = Hash(_database);

        var result = await _cli.RunAsync("review", "export", "--format", "csv", "--output", link, "--force", "--db", _database);

        Assert.Contains("is the answer log itself", result.AssertOneLineError(ExitCodes.Usage), StringComparison.Ordinal);
        Assert.Equal(before, Hash(_database));
        Assert.NotNull(new FileInfo(link).LinkTarget);
    }

    [Fact]
    public async Task Export_refuses_an_existing_file_without_force_and_replaces_it_with_force()
    {
        var output = _cli.WriteFile("answers.jsonl", "keep me\n");

        var refused = await _cli.RunAsync("review", "export", "--format", "jsonl", "--output", output, "--db", _database);
        Assert.Contains("add --force", refused.AssertOneLineError(ExitCodes.Usage), StringComparison.Ordinal);
        Assert.Equal("keep me\n", await File.ReadAllTextAsync(output));

        var forced = await _cli.RunAsync("review", "export", "--format", "jsonl", "--output", output, "--force", "--db", _database);
        Assert.Equal(ExitCodes.Success, forced.ExitCode);
        Assert.Equal(2, (await File.ReadAllLinesAsync(output)).Length);
        Assert.Empty(Directory.GetFiles(_cli.BaseDirectory, "*.tmp"));
    }

    [Fact]
    public async Task Export_never_replaces_a_fifo_or_a_symbolic_link_even_with_force()
    {
        var fifo = Path.Combine(_cli.BaseDirectory, "pipe");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
        }

        var target = _cli.WriteFile("elsewhere.txt", "untouched");
        var link = Path.Combine(_cli.BaseDirectory, "link.csv");
        File.CreateSymbolicLink(link, target);

        var toFifo = await _cli.RunAsync("review", "export", "--format", "csv", "--output", fifo, "--force", "--db", _database);
        var toLink = await _cli.RunAsync("review", "export", "--format", "csv", "--output", link, "--force", "--db", _database);

        Assert.Contains("not a regular file", toFifo.AssertOneLineError(ExitCodes.Usage), StringComparison.Ordinal);
        Assert.Contains("not a regular file", toLink.AssertOneLineError(ExitCodes.Usage), StringComparison.Ordinal);
        Assert.Equal(0L, new FileInfo(fifo).Length);
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal("untouched", await File.ReadAllTextAsync(target));
        using var test = Process.Start("test", ["-p", fifo]);
        await test.WaitForExitAsync();
        Assert.Equal(0, test.ExitCode);
    }

    // --- 8: reading commands open the file read-only; only an empty file or CaravanBot's own log is migrated.

    [Theory]
    [InlineData("list")]
    [InlineData("show", "1")]
    [InlineData("export", "--format", "jsonl")]
    [InlineData("approve", "1")]
    public async Task Another_programs_database_is_refused_and_left_byte_for_byte_untouched(params string[] command)
    {
        var other = Path.Combine(_cli.BaseDirectory, "notes.sqlite");
        AnswerLogFolder.Execute(other, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('mine');");
        SqliteConnection.ClearAllPools();
        var before = Hash(other);

        var result = await _cli.RunAsync(["review", .. command, "--db", other]);

        var line = result.AssertOneLineError(ExitCodes.InputUnavailable);
        Assert.Contains("not a CaravanBot answer log", line, StringComparison.Ordinal);
        Assert.Equal(before, Hash(other));
        Assert.False(File.Exists(other + "-wal"));
    }

    [Theory]
    [InlineData("list")]
    [InlineData("show", "1")]
    [InlineData("export", "--format", "csv")]
    public async Task An_empty_file_is_not_turned_into_a_log_by_a_reading_command(params string[] command)
    {
        var empty = _cli.WriteFile("empty.txt", string.Empty);

        var result = await _cli.RunAsync(["review", .. command, "--db", empty]);

        result.AssertOneLineError(ExitCodes.InputUnavailable);
        Assert.Equal(0L, new FileInfo(empty).Length);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("approve", "1")]
    public async Task A_newer_log_is_refused_before_anything_is_written_not_even_WAL(params string[] command)
    {
        var newer = Path.Combine(_cli.BaseDirectory, "newer.db");
        AnswerLogFolder.Execute(newer, $"CREATE TABLE answers (id INTEGER PRIMARY KEY); PRAGMA user_version = {AnswerLogMigrations.LatestVersion + 1};");
        SqliteConnection.ClearAllPools();
        var before = Hash(newer);

        var result = await _cli.RunAsync(["review", .. command, "--db", newer]);

        Assert.Contains("newer than this CaravanBot understands", result.AssertOneLineError(ExitCodes.InputUnavailable), StringComparison.Ordinal);
        Assert.Equal(before, Hash(newer));
        Assert.Equal("delete", AnswerLogFolder.Scalar(newer, "PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task Reading_a_log_of_the_previous_version_leaves_it_at_that_version_and_writing_upgrades_it()
    {
        var old = Path.Combine(_cli.BaseDirectory, "v2.db");
        using (var connection = AnswerLogFolder.Connect(old))
        {
            AnswerLogMigrations.Apply(connection, old, targetVersion: 2);
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO answers (at, asker_id, asker_name, source, question, answered, answer_text, citations_json, scores_json, mode, latency_ms)
                VALUES ('2025-01-03T10:01:00.0000000+00:00', '1', 'Ana', 'dm', 'What does Mexico want?', 1, 'Here is what the article says:', '[]', '{}', 'extractive', 3);
                """;
            insert.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var before = Hash(old);

        var list = await _cli.RunAsync("review", "list", "--db", old);
        var export = await _cli.RunAsync("review", "export", "--format", "jsonl", "--db", old);

        Assert.Equal(ExitCodes.Success, list.ExitCode);
        Assert.Contains("What does Mexico want?", list.Stdout, StringComparison.Ordinal);
        Assert.Single(export.JsonLines());
        Assert.Equal(before, Hash(old));
        Assert.Equal(2L, AnswerLogFolder.Scalar(old, "PRAGMA user_version;"));

        var approve = await _cli.RunAsync("review", "approve", "1", "--as", "mo", "--db", old);
        Assert.Equal(ExitCodes.Success, approve.ExitCode);
        Assert.Equal((long)AnswerLogMigrations.LatestVersion, AnswerLogFolder.Scalar(old, "PRAGMA user_version;"));
    }

    // --- 9: a damaged, malformed or locked log is one line and exit 3, never an internal error.

    [Theory]
    [InlineData("list")]
    [InlineData("approve", "1")]
    public async Task A_file_that_claims_a_version_but_has_no_tables_is_exit_3(params string[] command)
    {
        var hollow = Path.Combine(_cli.BaseDirectory, "hollow.db");
        AnswerLogFolder.Execute(hollow, "PRAGMA user_version = 2;");
        SqliteConnection.ClearAllPools();

        var result = await _cli.RunAsync(["review", .. command, "--db", hollow]);

        Assert.Contains("not a usable answer log", result.AssertOneLineError(ExitCodes.InputUnavailable), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UPDATE answers SET citations_json = '[{\"paragraph\":\"two\"}]' WHERE id = 1;")]
    [InlineData("UPDATE answers SET at = 'yesterday' WHERE id = 1;")]
    [InlineData("UPDATE answers SET status = 'bogus' WHERE id = 1;")]
    public async Task A_malformed_row_is_exit_3_with_one_line(string damage)
    {
        AnswerLogFolder.Execute(_database, "PRAGMA ignore_check_constraints = 1; " + damage);
        SqliteConnection.ClearAllPools();

        foreach (var command in new[] { new[] { "list" }, ["show", "1"] })
        {
            var result = await _cli.RunAsync(["review", .. command, "--db", _database]);
            Assert.Contains("malformed", result.AssertOneLineError(ExitCodes.InputUnavailable), StringComparison.Ordinal);
        }

        // An export streams: the header may be out before the bad row is met.
        var export = await _cli.RunAsync("review", "export", "--format", "csv", "--db", _database);
        Assert.Equal(ExitCodes.InputUnavailable, export.ExitCode);
        Assert.Contains("malformed", Assert.Single(export.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupted_file_is_exit_3_with_one_line()
    {
        AnswerLogFolder.Execute(_database, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;");
        SqliteConnection.ClearAllPools();
        var bytes = await File.ReadAllBytesAsync(_database);
        Assert.True(bytes.Length >= 8192);
        for (var i = 4096 + 100; i < bytes.Length; i++)
        {
            bytes[i] = 0xA5;
        }

        await File.WriteAllBytesAsync(_database, bytes);

        foreach (var command in new[] { new[] { "list" }, ["approve", "1"] })
        {
            var result = await _cli.RunAsync(["review", .. command, "--db", _database]);
            result.AssertOneLineError(ExitCodes.InputUnavailable);
        }
    }

    [Fact]
    public async Task A_lock_held_past_the_timeout_is_exit_3_with_one_line()
    {
        _cli.Variables["AnswerLog__BusyTimeout"] = "00:00:00.2";
        using var holder = AnswerLogFolder.Connect(_database);
        using var transaction = holder.BeginTransaction(deferred: false);

        var result = await _cli.RunAsync("review", "approve", "1", "--db", _database);

        Assert.Contains("locked by another program", result.AssertOneLineError(ExitCodes.InputUnavailable), StringComparison.Ordinal);
    }

    // --- 10: several moderators at once are each told what their change replaced.

    [Fact]
    public async Task Ten_moderators_approving_at_once_are_each_told_the_status_they_replaced()
    {
        // Ten processes, as ten moderators' terminals would be.
        var runs = Enumerable.Range(0, 10).Select(i => CaravanbotProcess.RunAsync(null, "review", "approve", "1", "--as", $"mod{i}", "--db", _database));

        var results = (await Task.WhenAll(runs)).Select(r => r.Result).ToArray();

        Assert.All(results, r => Assert.Equal(ExitCodes.Success, r.ExitCode));
        var lines = results.Select(r => Assert.Single(r.StdoutLines)).ToArray();
        Assert.Single(lines, l => l.Contains("(was new)", StringComparison.Ordinal));
        Assert.Equal(9, lines.Count(l => l.Contains("(was approved)", StringComparison.Ordinal)));
        Assert.Equal(10L, AnswerLogFolder.Scalar(_database, "SELECT COUNT(*) FROM status_changes;"));
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
