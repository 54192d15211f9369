using System.Collections.Concurrent;

namespace AssistanceRouter.Tests.Infrastructure;

/// <summary>Keeps every log line of a host, at every level, with its exception, for tests that read what was logged.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> lines = new();

    public IReadOnlyList<LogLine> Lines => [.. lines];

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, lines);

    public void Dispose() { }

    public sealed record LogLine(LogLevel Level, string Category, string Text)
    {
        public override string ToString() => $"{Level} {Category}: {Text}";
    }

    private sealed class Recorder(string category, ConcurrentQueue<LogLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The message, every structured value (a template may leave some out) and the exception, as any sink could write them.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue(new LogLine(logLevel, category, $"{formatter(state, exception)} [{values}] {exception}"));
        }
    }
}
