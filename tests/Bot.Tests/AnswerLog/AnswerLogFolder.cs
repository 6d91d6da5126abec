using CaravanBot.Bot.AnswerLog;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Tests.AnswerLog;

/// <summary>A temporary folder for real SQLite answer logs; closes every log it opened and deletes the folder.</summary>
internal sealed class AnswerLogFolder : IAsyncDisposable
{
    private readonly List<SqliteAnswerLog> _logs = [];
    private readonly Lock _lock = new();

    public string Path { get; } = Directory.CreateTempSubdirectory("caravanbot-log-").FullName;

    public string DefaultDatabase => System.IO.Path.Combine(Path, "data", "answers.db");

    public SqliteAnswerLog Open(string? database = null, TimeProvider? time = null, AnswerLogSynchronous synchronous = AnswerLogSynchronous.Full, AnswerLogWriter? writer = null)
    {
        var log = new SqliteAnswerLog(
            Options.Create(new AnswerLogOptions { Path = database ?? DefaultDatabase, Synchronous = synchronous }),
            NullLogger<SqliteAnswerLog>.Instance,
            time,
            writer);
        lock (_lock)
        {
            _logs.Add(log);
        }

        return log;
    }

    /// <summary>A plain connection to the file, for what the log does not expose (pragmas, raw rows).</summary>
    public static SqliteConnection Connect(string database)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static object? Scalar(string database, string sql)
    {
        using var connection = Connect(database);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static void Execute(string database, string sql)
    {
        using var connection = Connect(database);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var log in _logs)
        {
            await log.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    public ManualTimeProvider(DateTimeOffset now) => Now = now;

    public DateTimeOffset Now { get; set; }

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>Answers for tests, with every field set to something a reader would notice going wrong.</summary>
internal static class SampleAnswers
{
    public static readonly DateTimeOffset Start = new(2025, 1, 3, 10, 0, 0, TimeSpan.Zero);

    public static NewAnswer Answered(string question = "What does Mexico want?", int n = 1) => new()
    {
        At = Start.AddMinutes(n),
        GuildId = "111",
        ChannelId = "222",
        Asker = new Actor($"{1000 + n}", $"Reader {n}"),
        Source = "slash",
        Question = question,
        Answered = true,
        Reason = null,
        AnswerText = "Here is what the article says:",
        Citations = [new LoggedCitation(2, "Mexico wants sanctions on Cuba and Venezuela lifted", 0, 51)],
        ScoresJson = """{"dense":0.81,"lexical":0.4}""",
        Mode = "extractive",
        LatencyMs = 120.5,
    };

    public static NewAnswer Abstained(string question, string reason = "not_in_article", int n = 1) => Answered(question, n) with
    {
        Answered = false,
        Reason = reason,
        AnswerText = "The article does not say.",
        Citations = [],
        ScoresJson = "{}",
    };
}
