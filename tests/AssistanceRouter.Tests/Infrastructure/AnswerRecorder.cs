using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace AssistanceRouter.Tests.Infrastructure;

/// <summary>
/// Records every answer a node gives, taken where it leaves the server (the first middleware, before the product's
/// own): what a client receives, not what a test's HttpClient makes of it. The body is copied as it is written, so a
/// stream still streams.
/// </summary>
public sealed class AnswerRecorder : IStartupFilter
{
    /// <summary>Most bytes of a body kept: every documented answer is far smaller.</summary>
    private const int MaxBodyBytes = 1024 * 1024;

    private readonly ConcurrentQueue<RecordedAnswer> answers = new();

    public IReadOnlyList<RecordedAnswer> Answers => [.. answers];

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, proceed) =>
        {
            var copy = new CopyingStream(context.Response.Body);
            context.Response.Body = copy;
            try
            {
                await proceed(context);
            }
            finally
            {
                context.Response.Body = copy.Inner;
                var headers = context.Response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                answers.Enqueue(new RecordedAnswer(context.Request.Method, context.Request.Path + context.Request.QueryString,
                    context.Response.StatusCode, context.Response.ContentType, headers, copy.Copied.ToArray()));
            }
        });
        next(app);
    };

    private sealed class CopyingStream(Stream inner) : Stream
    {
        public Stream Inner => inner;

        public MemoryStream Copied { get; } = new();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Keep(buffer);
            inner.Write(buffer);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        private void Keep(ReadOnlySpan<byte> buffer)
        {
            lock (Copied)
                if (Copied.Length + buffer.Length <= MaxBodyBytes) Copied.Write(buffer);
        }
    }
}
