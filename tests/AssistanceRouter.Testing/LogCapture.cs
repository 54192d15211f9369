using System.Collections.Concurrent;

namespace AssistanceRouter.Testing;

/// <summary>
/// Keeps what a host logs, from <paramref name="minimum"/> up, so that a test can assert what an operator would read
/// or that a secret appears nowhere a sink could write it.
/// </summary>
public sealed class LogCapture(LogLevel minimum = LogLevel.Trace) : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> entries = new();
    private readonly LogLevel minimum = minimum;

    public IReadOnlyList<LogEntry> Entries => [.. entries];

    /// <summary>Waits until an entry matches, for what a host logs in the background after it has started.</summary>
    public async Task<LogEntry> WaitForAsync(Func<LogEntry, bool> match, TimeSpan? timeout = null) =>
        (await Eventually.Until(() => entries.FirstOrDefault(match), found => found is not null, "a log entry that matches", timeout ?? TimeSpan.FromSeconds(20),
            describe: _ => "logged:\n" + string.Join("\n", entries)))!;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= capture.minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            // Every structured value too (a template may leave some out), as any sink could write them.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            capture.entries.Enqueue(new LogEntry(logLevel, category, formatter(state, exception), values, exception));
        }
    }
}

/// <summary>One log entry: its message as formatted, its structured values and its exception.</summary>
public sealed record LogEntry(LogLevel Level, string Category, string Message, string Values, Exception? Exception)
{
    /// <summary>Everything a sink could write of the entry.</summary>
    public string Text => $"{Message} [{Values}] {Exception}";

    public override string ToString() => $"{Level} {Category}: {Text}";
}
