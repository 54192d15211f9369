namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// Each channel's durable queue: what the channel still has to send, in the order it becomes due. The channel grain
/// holds a window of it in memory and writes every change through, so that an activation (a restart, a crash, a
/// silo's death) loads it again page by page and sends at the channel's current rate. Every operation costs the
/// same however long the queue is; writes from many grains share round trips (SQLite group commit, Redis pipelining).
/// </summary>
public interface IChannelQueueStore
{
    /// <summary>Adds entries, or replaces those with the same <see cref="QueueEntry.Id"/> (a reschedule). Returns once durable.</summary>
    Task PutAsync(string channel, IReadOnlyCollection<QueueEntry> entries);

    /// <summary>Removes entries by id; ids that are not there are ignored. Returns once durable.</summary>
    Task RemoveAsync(string channel, IReadOnlyCollection<string> entryIds);

    /// <summary>At most <paramref name="take"/> entries in <see cref="QueuePosition"/> order, strictly after <paramref name="after"/> (null: from the first).</summary>
    Task<IReadOnlyList<QueueEntry>> ReadAsync(string channel, QueuePosition? after, int take);

    /// <summary>How many entries are stored, and when the oldest of them was first enqueued.</summary>
    Task<QueueStats> StatsAsync(string channel);
}

/// <summary>
/// One stored entry. <see cref="Due"/> and <see cref="EnqueuedAt"/> are kept to the millisecond by every store, so that
/// the order is the same everywhere; <see cref="Payload"/> is the channel's own serialized message, opaque to the store.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record QueueEntry(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset Due,
    [property: Id(2)] DateTimeOffset EnqueuedAt,
    [property: Id(3)] byte[] Payload)
{
    public QueuePosition Position => new(Due, Id);
}

/// <summary>
/// Queue order: by due time (milliseconds), then by id in Unicode code point order, which is the order of the ids'
/// UTF-8 bytes: the order of SQLite's text keys and of Redis's sorted set members. For ids without characters above
/// U+FFFF (every id the product makes) it is <see cref="string.CompareOrdinal(string, string)"/>.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct QueuePosition([property: Id(0)] DateTimeOffset Due, [property: Id(1)] string Id) : IComparable<QueuePosition>
{
    public int CompareTo(QueuePosition other)
    {
        var byDue = Due.ToUnixTimeMilliseconds().CompareTo(other.Due.ToUnixTimeMilliseconds());
        return byDue != 0 ? byDue : CompareIds(Id, other.Id);
    }

    /// <summary>UTF-16 ordinal puts a surrogate pair (a code point above U+FFFF) before U+E000–U+FFFF; this puts it after.</summary>
    public static int CompareIds(string a, string b)
    {
        var common = a.AsSpan().CommonPrefixLength(b);
        if (common == a.Length || common == b.Length) return a.Length.CompareTo(b.Length);
        int x = a[common], y = b[common];
        if (x >= 0xD800 && y >= 0xD800) (x, y) = (CodePointRank(x), CodePointRank(y));
        return x.CompareTo(y);
    }

    private static int CodePointRank(int unit) => unit >= 0xE000 ? unit - 0x800 : unit + 0x2000;
}

[GenerateSerializer, Immutable]
public sealed record QueueStats([property: Id(0)] long Count, [property: Id(1)] DateTimeOffset? OldestEnqueuedAt);
