using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.AnswerLog;

/// <summary>Where and how the answer log keeps its SQLite file (configuration section <c>AnswerLog</c>).</summary>
public sealed class AnswerLogOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "AnswerLog";

    /// <summary>The database file used when none is configured, relative to the working directory.</summary>
    public const string DefaultPath = "data/caravanbot.db";

    /// <summary>
    /// The SQLite file (<c>AnswerLog:Path</c>, or <c>AnswerLog__Path</c> in the environment). A
    /// relative path is taken from the working directory; the folder is created when missing.
    /// </summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>
    /// How hard each commit is flushed. <see cref="AnswerLogSynchronous.Full"/> (the default) survives
    /// power loss and OS crashes as well as process crashes; <see cref="AnswerLogSynchronous.Normal"/>
    /// survives process crashes only (in WAL mode) and saves an fsync per commit.
    /// </summary>
    public AnswerLogSynchronous Synchronous { get; set; } = AnswerLogSynchronous.Full;

    /// <summary>
    /// How long a write waits for another process (the bot, or a moderator's <c>caravanbot review</c>)
    /// that holds the write lock before giving up. SQLite commits take milliseconds; 10 s only runs out
    /// when something is stuck.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The database file as an absolute path.</summary>
    public string FullPath => System.IO.Path.GetFullPath(Path);
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
/// Rejects answer-log settings that cannot work, at start-up rather than at the first answer. Public
/// because each store's project registers it.
/// </summary>
public sealed class AnswerLogOptionsValidator : IValidateOptions<AnswerLogOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AnswerLogOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            failures.Add($"{AnswerLogOptions.SectionName}:{nameof(AnswerLogOptions.Path)} must name a file.");
        }

        if (!Enum.IsDefined(options.Synchronous))
        {
            failures.Add($"{AnswerLogOptions.SectionName}:{nameof(AnswerLogOptions.Synchronous)} must be Normal or Full.");
        }

        if (options.BusyTimeout <= TimeSpan.Zero || options.BusyTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{AnswerLogOptions.SectionName}:{nameof(AnswerLogOptions.BusyTimeout)} must be between 0 and 10 minutes.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
