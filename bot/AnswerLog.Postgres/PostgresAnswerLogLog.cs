using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.AnswerLog;

/// <summary>The PostgreSQL answer log's log messages. Questions, answers and the connection string are never logged.</summary>
internal static partial class PostgresAnswerLogLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Answer log {Database} migrated to schema version {Version}: {Description}")]
    public static partial void Migrated(ILogger logger, string database, int version, string description);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Answer log {Database} opened at schema version {Version}")]
    public static partial void Opened(ILogger logger, string database, int version);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Answer log {Database}: the connection failed before the commit (attempt {Attempt} of {MaxAttempts}); retrying the write")]
    public static partial void WriteRetry(ILogger logger, Exception exception, string database, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Answer {AnswerId} is not in the log; its {What} was not stored")]
    public static partial void UnknownAnswer(ILogger logger, long answerId, string what);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Answer log {Database}: listening for changes failed; listening again in {DelayMs} ms")]
    public static partial void ListenFailed(ILogger logger, Exception exception, string database, double delayMs);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Answer log {Database}: listening for changes")]
    public static partial void Listening(ILogger logger, string database);
}
