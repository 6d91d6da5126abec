using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Tests.Discord.Gateway;

/// <summary>One captured log entry: everything a log sink could write out.</summary>
internal sealed record CapturedLog(DateTime At, LogLevel Level, string Category, string Message, string? Exception, IReadOnlyList<string> Properties)
{
    /// <summary>The message, the exception and every structured value, as one text to search.</summary>
    public string AllText => string.Join(" | ", [Message, Exception ?? string.Empty, .. Properties]);
}

/// <summary>A logger provider that keeps every entry at every level, for assertions.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger : ILogger
    {
        private readonly LogCapture _owner;
        private readonly string _category;

        public CapturingLogger(LogCapture owner, string category)
        {
            _owner = owner;
            _category = category;
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Select(p => $"{p.Key}={p.Value}").ToList()
                : [];
            _owner._entries.Enqueue(new CapturedLog(DateTime.UtcNow, logLevel, _category, formatter(state, exception), exception?.ToString(), properties));
        }
    }
}
