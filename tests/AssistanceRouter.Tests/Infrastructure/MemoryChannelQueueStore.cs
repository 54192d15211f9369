using AssistanceRouter.Grains.Storage;

namespace AssistanceRouter.Tests.Infrastructure;

/// <summary>
/// The channel queues in this silo's memory, for tests on memory storage: what the durable stores keep, in the same
/// order (<see cref="QueuePosition"/>), times cut to the millisecond as they cut them.
/// </summary>
public sealed class MemoryChannelQueueStore : IChannelQueueStore
{
    private static readonly Comparer<QueuePosition> InQueueOrder = Comparer<QueuePosition>.Create((a, b) => a.CompareTo(b));

    private static readonly Comparer<(long EnqueuedMs, string Id)> ByAge = Comparer<(long EnqueuedMs, string Id)>.Create((a, b) =>
        a.EnqueuedMs != b.EnqueuedMs ? a.EnqueuedMs.CompareTo(b.EnqueuedMs) : string.CompareOrdinal(a.Id, b.Id));

    private readonly Lock gate = new();
    private readonly Dictionary<string, Queue> queues = new(StringComparer.Ordinal);

    public Task PutAsync(string channel, IReadOnlyCollection<StoredNotice> entries)
    {
        lock (gate)
        {
            var queue = QueueOf(channel, create: true)!;
            foreach (var entry in entries)
            {
                Remove(queue, entry.Id);
                var stored = new StoredNotice(entry.Id, Milliseconds(entry.Due), Milliseconds(entry.EnqueuedAt), [.. entry.Payload]);
                queue.ById[stored.Id] = stored;
                queue.ByDue.Add(stored.Position);
                queue.ByEnqueued.Add((stored.EnqueuedAt.ToUnixTimeMilliseconds(), stored.Id));
            }
        }
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string channel, IReadOnlyCollection<string> entryIds)
    {
        lock (gate)
        {
            if (QueueOf(channel) is { } queue)
                foreach (var id in entryIds) Remove(queue, id);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StoredNotice>> ReadAsync(string channel, QueuePosition? after, int take)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        lock (gate)
        {
            if (QueueOf(channel) is not { ByDue.Count: > 0 } queue) return Task.FromResult<IReadOnlyList<StoredNotice>>([]);
            IEnumerable<QueuePosition> positions = queue.ByDue;
            if (after is { } start)
            {
                if (start.CompareTo(queue.ByDue.Max) >= 0) return Task.FromResult<IReadOnlyList<StoredNotice>>([]);
                positions = queue.ByDue.GetViewBetween(start, queue.ByDue.Max).SkipWhile(p => p.CompareTo(start) <= 0);
            }
            return Task.FromResult<IReadOnlyList<StoredNotice>>([.. positions.Take(take).Select(p => queue.ById[p.Id])]);
        }
    }

    public Task<QueueStats> StatsAsync(string channel)
    {
        lock (gate)
        {
            return Task.FromResult(QueueOf(channel) is { ById.Count: > 0 } queue
                ? new QueueStats(queue.ById.Count, DateTimeOffset.FromUnixTimeMilliseconds(queue.ByEnqueued.Min.EnqueuedMs))
                : new QueueStats(0, null));
        }
    }

    private Queue? QueueOf(string channel, bool create = false)
    {
        if (!queues.TryGetValue(channel, out var queue) && create) queues[channel] = queue = new Queue();
        return queue;
    }

    private static void Remove(Queue queue, string id)
    {
        if (!queue.ById.Remove(id, out var old)) return;
        queue.ByDue.Remove(old.Position);
        queue.ByEnqueued.Remove((old.EnqueuedAt.ToUnixTimeMilliseconds(), old.Id));
    }

    private static DateTimeOffset Milliseconds(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    private sealed class Queue
    {
        public Dictionary<string, StoredNotice> ById { get; } = new(StringComparer.Ordinal);

        public SortedSet<QueuePosition> ByDue { get; } = new(InQueueOrder);

        public SortedSet<(long EnqueuedMs, string Id)> ByEnqueued { get; } = new(ByAge);
    }
}
