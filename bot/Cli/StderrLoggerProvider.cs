using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// Writes library log lines to standard error, one line each, so warnings reach the user without
/// ever mixing into the answers on standard output. The console logger is not used: it starts a
/// background thread and writes several lines per entry.
/// </summary>
internal sealed class StderrLoggerProvider : ILoggerProvider
{
    private readonly TextWriter _error;

    public StderrLoggerProvider(TextWriter error)
    {
        _error = error;
    }

    public ILogger CreateLogger(string categoryName) => new StderrLogger(_error);

    public void Dispose()
    {
    }

    private sealed class StderrLogger : ILogger
    {
        private readonly TextWriter _error;

        public StderrLogger(TextWriter error)
        {
            _error = error;
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            if (exception is not null)
            {
                message += ": " + exception.Message;
            }

            var prefix = logLevel >= LogLevel.Warning ? $"caravanbot: {logLevel.ToString().ToLowerInvariant()}: " : string.Empty;
            _error.WriteLine(prefix + CliText.OneLine(message));
        }
    }
}
