using System.Collections.Concurrent;

namespace AssistanceRouter.Tests.Infrastructure;

/// <summary>Keeps what a host logs, so that a test can assert what an operator would read.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> entries = new();

    public IReadOnlyCollection<LogEntry> Entries => entries;

    /// <summary>Waits until an entry matches, for what a host logs in the background after it has started.</summary>
    public async Task<LogEntry> WaitForAsync(Func<LogEntry, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (entries.FirstOrDefault(match) is { } found) return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Nothing matching was logged; logged:\n{string.Join("\n", entries.Select(e => $"{e.Level} {e.Category}: {e.Message}"))}");
            await Task.Delay(50);
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) capture.entries.Enqueue(new LogEntry(logLevel, category, formatter(state, exception)));
        }
    }
}

public sealed record LogEntry(LogLevel Level, string Category, string Message);
