using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CaravanBot.FakeDiscord;

/// <summary>One log entry as written: level, category, the formatted message and every structured value.</summary>
public sealed record CapturedLogEntry(LogLevel Level, string Category, string Message, IReadOnlyList<KeyValuePair<string, object?>> Properties, Exception? Exception)
{
    /// <summary>Everything the entry could put in a log sink, as one string to search for secrets.</summary>
    public string FullText =>
        $"{Level} {Category} {Message} {string.Join(' ', Properties.Select(p => $"{p.Key}={p.Value}"))} {Exception}";
}

/// <summary>
/// Captures log entries at every level (Trace up) so tests can assert what was logged, and what never
/// was (tokens). <see cref="CreateLogger{T}"/> gives a typed logger writing here.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLogEntry> _entries = new();

    /// <summary>All entries so far, in order.</summary>
    public IReadOnlyList<CapturedLogEntry> Entries => [.. _entries];

    /// <summary>A typed logger writing into this capture.</summary>
    public ILogger<T> CreateLogger<T>() => new Logger<T>(new CaptureFactory(this));

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new CaptureLogger(this, categoryName);

    /// <summary>Waits until an entry matching <paramref name="predicate"/> has been written.</summary>
    public async Task<CapturedLogEntry> WaitForAsync(Func<CapturedLogEntry, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var found = _entries.FirstOrDefault(predicate);
            if (found is not null)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No matching log entry. Entries:{Environment.NewLine}{string.Join(Environment.NewLine, _entries.Select(e => e.Message))}");
            }

            await Task.Delay(10);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class CaptureLogger : ILogger
    {
        private readonly LogCapture _capture;
        private readonly string _category;

        public CaptureLogger(LogCapture capture, string category)
        {
            _capture = capture;
            _category = category;
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            _capture._entries.Enqueue(new CapturedLogEntry(logLevel, _category, formatter(state, exception), [.. properties], exception));
        }
    }

    private sealed class CaptureFactory : ILoggerFactory
    {
        private readonly LogCapture _capture;

        public CaptureFactory(LogCapture capture)
        {
            _capture = capture;
        }

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => _capture.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
