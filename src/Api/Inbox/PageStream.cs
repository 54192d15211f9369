using System.Threading.Channels;

namespace AssistanceRouter.Api.Inbox;

/// <summary>
/// One open inbox page's <c>/inbox/events</c>: the event text meant for it, queued in memory until its connection
/// takes it. A page that falls <see cref="Capacity"/> batches behind (a stalled connection) loses them and gets one
/// <c>reset</c> instead, which makes it read the inbox again: a slow reader never holds memory or the others back.
/// </summary>
public sealed class PageStream(string? topic, Action<PageStream> close) : IDisposable
{
    public const int Capacity = 64;

    private readonly Channel<ReadOnlyMemory<byte>> queue = Channel.CreateBounded<ReadOnlyMemory<byte>>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private int overflowed;

    /// <summary>The one topic this page shows, or null for all.</summary>
    public string? Topic { get; } = topic;

    public void Offer(ReadOnlyMemory<byte> events)
    {
        if (!queue.Writer.TryWrite(events)) Volatile.Write(ref overflowed, 1);
    }

    /// <summary>Writes what comes until <paramref name="cancellation"/>: all that is queued at once, then one flush.</summary>
    public async Task CopyToAsync(Stream body, CancellationToken cancellation)
    {
        while (await queue.Reader.WaitToReadAsync(cancellation))
        {
            if (Interlocked.Exchange(ref overflowed, 0) == 1)
            {
                while (queue.Reader.TryRead(out _)) { }
                await body.WriteAsync(InboxEvents.Reset, cancellation);
            }
            while (queue.Reader.TryRead(out var events)) await body.WriteAsync(events, cancellation);
            await body.FlushAsync(cancellation);
        }
    }

    public void Dispose() => close(this);
}
