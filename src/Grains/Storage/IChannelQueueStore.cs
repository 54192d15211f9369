namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// Each channel's durable queue: the notices the channel still has to send, in the order they become due. The channel
/// grain holds a window of it in memory and writes every change through, so that an activation (a restart, a crash, a
/// silo's death) loads it again page by page and sends at the channel's current rate. Every operation costs the
/// same however long the queue is; writes from many grains share round trips (SQLite group commit, Redis pipelining).
/// </summary>
public interface IChannelQueueStore
{
    /// <summary>Adds notices, or replaces those with the same <see cref="StoredNotice.Id"/> (a reschedule). Returns once durable.</summary>
    Task PutAsync(string channel, IReadOnlyCollection<StoredNotice> notices);

    /// <summary>Removes notices by id; ids that are not there are ignored. Returns once durable.</summary>
    Task RemoveAsync(string channel, IReadOnlyCollection<string> noticeIds);

    /// <summary>At most <paramref name="take"/> notices in <see cref="QueuePosition"/> order, strictly after <paramref name="after"/> (null: from the first).</summary>
    Task<IReadOnlyList<StoredNotice>> ReadAsync(string channel, QueuePosition? after, int take);

    /// <summary>How many notices are stored, and when the oldest of them was first enqueued.</summary>
    Task<QueueStats> StatsAsync(string channel);
}

[GenerateSerializer, Immutable]
public sealed record QueueStats([property: Id(0)] long Count, [property: Id(1)] DateTimeOffset? OldestEnqueuedAt);
