using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.AnswerLog;

/// <summary>Which store keeps the answer log and how (configuration section <c>AnswerLog</c>).</summary>
public sealed class AnswerLogOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "AnswerLog";

    /// <summary>The database file used when none is configured, relative to the working directory.</summary>
    public const string DefaultPath = "data/caravanbot.db";

    /// <summary>
    /// The store (<c>AnswerLog:Provider</c>): <see cref="AnswerLogProvider.Sqlite"/>, one file for one
    /// process (the default), or <see cref="AnswerLogProvider.Postgres"/>, one database shared by several
    /// processes (<see cref="ConnectionString"/>).
    /// </summary>
    public AnswerLogProvider Provider { get; set; } = AnswerLogProvider.Sqlite;

    /// <summary>
    /// SQLite: the database file (<c>AnswerLog:Path</c>, or <c>AnswerLog__Path</c> in the environment). A
    /// relative path is taken from the working directory; the folder is created when missing.
    /// </summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>
    /// PostgreSQL: an Npgsql connection string (<c>AnswerLog:ConnectionString</c>), such as
    /// <c>Host=db;Database=caravanbot;Username=caravanbot;Password=…</c>. Never logged (it may hold a password).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// SQLite: how hard each commit is flushed. <see cref="AnswerLogSynchronous.Full"/> (the default) survives
    /// power loss and OS crashes as well as process crashes; <see cref="AnswerLogSynchronous.Normal"/>
    /// survives process crashes only (in WAL mode) and saves an fsync per commit. PostgreSQL commits are as
    /// durable as the server's <c>synchronous_commit</c> makes them (on by default).
    /// </summary>
    public AnswerLogSynchronous Synchronous { get; set; } = AnswerLogSynchronous.Full;

    /// <summary>
    /// How long a write waits for another process (the bot, another bot process, or a moderator's
    /// <c>caravanbot review</c>) that holds a lock it needs before giving up: SQLite's busy timeout, or
    /// PostgreSQL's <c>lock_timeout</c>. Commits take milliseconds; 10 s only runs out when something is stuck.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// SQLite: how often a running bot looks in the file for moderators' changes made by another process
    /// (<c>caravanbot review retract</c>). One indexed query that finds nothing most of the time. PostgreSQL
    /// is told at once (LISTEN/NOTIFY) and reads the log at this interval only as a safety net, never less
    /// often than every 10 s.
    /// </summary>
    public TimeSpan ChangePollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The database file as an absolute path.</summary>
    public string FullPath => System.IO.Path.GetFullPath(Path);
}

/// <summary>The stores the answer log can be kept in.</summary>
public enum AnswerLogProvider
{
    /// <summary>One SQLite file (WAL mode): one bot process, and moderators' terminals on the same machine.</summary>
    Sqlite,

    /// <summary>One PostgreSQL database: any number of bot processes and terminals, on any machines.</summary>
    Postgres,
}

/// <summary>SQLite's <c>PRAGMA synchronous</c> levels the answer log accepts.</summary>
public enum AnswerLogSynchronous
{
    /// <summary>fsync at checkpoints only: committed data survives a killed process, not a power cut.</summary>
    Normal,

    /// <summary>fsync the WAL on every commit: committed data survives a power cut too.</summary>
    Full,
}

/// <summary>
/// Rejects answer-log settings that cannot work, at start-up rather than at the first answer; what is
/// required depends on the provider (a file for SQLite, a connection string for PostgreSQL). Public
/// because each store's project registers it.
/// </summary>
public sealed class AnswerLogOptionsValidator : IValidateOptions<AnswerLogOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AnswerLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        switch (options.Provider)
        {
            case AnswerLogProvider.Sqlite when string.IsNullOrWhiteSpace(options.Path):
                failures.Add($"{AnswerLogOptions.SectionName}:{nameof(AnswerLogOptions.Path)} must name a file.");
                break;
            case AnswerLogProvider.Postgres when string.IsNullOrWhiteSpace(options.ConnectionString):
                failures.Add(
                    $"{AnswerLogOptions.SectionName}:{nameof(AnswerLogOptions.ConnectionString)} must be set when "
                    + $"{AnswerLogOptions.SectionName}:{nameof(AnswerLogOptions.Provider)} is Postgres (Host=…;Database=…;Username=…).");
                break;
            case AnswerLogProvider.Sqlite or AnswerLogProvider.Postgres:
                break;
            default:
                failures.Add($"{AnswerLogOptions.SectionName}:{nameof(AnswerLogOptions.Provider)} must be Sqlite or Postgres.");
                break;
        }

        if (!Enum.IsDefined(options.Synchronous))
        {
            failures.Add($"{AnswerLogOptions.SectionName}:{nameof(AnswerLogOptions.Synchronous)} must be Normal or Full.");
        }

        if (options.BusyTimeout <= TimeSpan.Zero || options.BusyTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{AnswerLogOptions.SectionName}:{nameof(AnswerLogOptions.BusyTimeout)} must be between 0 and 10 minutes.");
        }

        if (options.ChangePollInterval < TimeSpan.FromMilliseconds(10) || options.ChangePollInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{AnswerLogOptions.SectionName}:{nameof(AnswerLogOptions.ChangePollInterval)} must be between 10 ms and 1 minute.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
