using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Cli;
using CaravanBot.Bot.Tests.AnswerLog;

namespace CaravanBot.Bot.Tests.Cli;

/// <summary>
/// <c>caravanbot review</c> on the shared PostgreSQL log, chosen by the same settings as <c>caravanbot run</c>
/// (<c>AnswerLog__Provider</c>, <c>AnswerLog__ConnectionString</c>).
/// </summary>
public sealed class PostgresReviewCommandTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private PostgresDatabase? _database;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _cli.Dispose();
    }

    [SkippableFact]
    public async Task Review_reads_and_writes_the_PostgreSQL_log_named_by_the_environment_and_leaves_its_change_for_the_bot()
    {
        var bot = await UsePostgresAsync();
        var id = await bot.RecordAsync(SampleAnswers.Answered());

        var list = await _cli.RunAsync("review", "list");
        var approve = await _cli.RunAsync("review", "approve", $"{id}", "--as", "mo");
        var show = await _cli.RunAsync("review", "show", $"{id}", "--json");

        Assert.True(list.ExitCode == ExitCodes.Success, list.Stderr);
        Assert.Contains("What does Mexico want?", list.Stdout, StringComparison.Ordinal);
        Assert.Equal($"answer {id} is now approved (was new), by cli:mo\n", approve.Stdout);
        Assert.Equal("approved", Assert.Single(show.JsonLines()).GetProperty("status").GetString());
        var pending = Assert.Single(await ((IAnswerLogChanges)bot).GetPendingFollowUpsAsync());
        Assert.Equal((id, AnswerStatus.Approved), (pending.AnswerId, pending.Status));
    }

    [SkippableFact]
    public async Task A_database_without_a_log_is_exit_3_and_nothing_is_created_in_it()
    {
        _database = await PostgresServer.CreateDatabaseAsync();
        SetEnvironment(_database.ConnectionString);

        var list = await _cli.RunAsync("review", "list");
        var approve = await _cli.RunAsync("review", "approve", "1");

        Assert.Contains("no answer log in postgresql://", list.AssertOneLineError(ExitCodes.InputUnavailable), StringComparison.Ordinal);
        Assert.Contains("no answer log in postgresql://", approve.AssertOneLineError(ExitCodes.InputUnavailable), StringComparison.Ordinal);
        Assert.Equal(0L, await _database.CountAsync("information_schema.tables WHERE table_schema = 'public'"));
    }

    [Fact]
    public async Task An_unreachable_server_is_exit_3_naming_the_database_and_never_the_password()
    {
        SetEnvironment("Host=127.0.0.1;Port=1;Database=answers;Username=mo;Password=s3cret;Timeout=2");

        var result = await _cli.RunAsync("review", "list");

        var line = result.AssertOneLineError(ExitCodes.InputUnavailable);
        Assert.Contains("postgresql://127.0.0.1:1/answers", line, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AnswerLog__ConnectionString", null, "AnswerLog:ConnectionString must be set")]
    [InlineData("AnswerLog__BusyTimeout", "soon", "AnswerLog_BusyTimeout")]
    public async Task Missing_or_bad_settings_are_exit_2_naming_them(string name, string? value, string expected)
    {
        _cli.Variables["AnswerLog__Provider"] = "Postgres";
        if (value is not null)
        {
            _cli.Variables["AnswerLog__ConnectionString"] = "Host=127.0.0.1;Database=x";
            _cli.Variables[name] = value;
        }

        var result = await _cli.RunAsync("review", "list");

        Assert.Contains(expected, result.AssertOneLineError(ExitCodes.Usage), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_db_option_names_a_SQLite_file_and_is_refused_with_the_PostgreSQL_provider()
    {
        SetEnvironment("Host=127.0.0.1;Database=x");

        var result = await _cli.RunAsync("review", "list", "--db", "answers.db");

        Assert.Contains("--db names a SQLite file, but AnswerLog:Provider is Postgres", result.AssertOneLineError(ExitCodes.Usage), StringComparison.Ordinal);
    }

    private async Task<PostgresAnswerLog> UsePostgresAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync();
        SetEnvironment(_database.ConnectionString);
        var log = _database.Open();
        await log.InitializeAsync();
        return log;
    }

    private void SetEnvironment(string connectionString)
    {
        _cli.Variables["AnswerLog__Provider"] = "Postgres";
        _cli.Variables["AnswerLog__ConnectionString"] = connectionString;
    }
}
