using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.AnswerLog;

/// <summary>The answer log's log messages. Questions and answers are never logged: they are readers' words.</summary>
internal static partial class AnswerLogLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Answer log {DatabasePath} migrated to schema version {Version}: {Description}")]
    public static partial void Migrated(ILogger logger, string databasePath, int version, string description);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Answer log {DatabasePath} opened at schema version {Version}")]
    public static partial void Opened(ILogger logger, string databasePath, int version);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Answer log {DatabasePath} is not in WAL mode (journal mode {JournalMode}); writers will block readers")]
    public static partial void NotWal(ILogger logger, string databasePath, string journalMode);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Answer log {DatabasePath} was busy (attempt {Attempt} of {MaxAttempts}); retrying the write")]
    public static partial void BusyRetry(ILogger logger, Exception exception, string databasePath, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Answer {AnswerId} is not in the log; its {What} was not stored")]
    public static partial void UnknownAnswer(ILogger logger, long answerId, string what);
}
