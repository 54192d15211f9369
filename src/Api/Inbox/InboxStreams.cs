using System.Buffers;
using System.Collections.Concurrent;
using AssistanceRouter.Grains.Changes;

namespace AssistanceRouter.Api.Inbox;

/// <summary>
/// The open <c>/inbox/events</c> connections of this node. Each batch of changes is written as event text once (and
/// once per topic that a page filters on) and the same bytes are queued for every page: 200 pages cost 200 queue
/// writes per batch, not 200 serializations per change.
/// </summary>
public sealed class InboxStreams
{
    private readonly ConcurrentDictionary<PageStream, byte> pages = new();
    private long lastEventId;

    public int Count => pages.Count;

    public PageStream Open(string? topic)
    {
        var page = new PageStream(topic, closed => pages.TryRemove(closed, out _));
        pages.TryAdd(page, 0);
        return page;
    }

    public void Publish(IReadOnlyList<RequestChange> changes)
    {
        if (changes.Count == 0 || pages.IsEmpty) return;
        var all = new ArrayBufferWriter<byte>();
        var byTopic = new Dictionary<string, ArrayBufferWriter<byte>>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            var text = InboxEvents.Format(change, Interlocked.Increment(ref lastEventId));
            all.Write(text.Span);
            if (!byTopic.TryGetValue(change.Request.Topic, out var topic)) byTopic[change.Request.Topic] = topic = new ArrayBufferWriter<byte>();
            topic.Write(text.Span);
        }
        foreach (var page in pages.Keys)
        {
            if (page.Topic is null) page.Offer(all.WrittenMemory);
            else if (byTopic.TryGetValue(page.Topic, out var topic)) page.Offer(topic.WrittenMemory);
        }
    }

    /// <summary>The same text to every page: a keep-alive, or a reset after a gap.</summary>
    public void Broadcast(ReadOnlyMemory<byte> text)
    {
        foreach (var page in pages.Keys) page.Offer(text);
    }
}
