namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// Puts and removals of a channel's queue, grouped (<see cref="WriteGroup{T}"/>): a busy channel queues a notice for
/// each request accepted and removes one for each delivered, and one store call per change was a round trip each. A
/// group keeps only each notice's last change (a put replaces the notice, a removal deletes it, so the last one decides)
/// and writes the removals, then the puts: two calls for any number of changes. Reads go straight through.
/// </summary>
public sealed class GroupedChannelQueueStore(IChannelQueueStore inner) : IChannelQueueStore
{
    private readonly Dictionary<string, WriteGroup<Change>> groups = [];

    public Task PutAsync(string channel, IReadOnlyCollection<StoredNotice> notices) =>
        notices.Count == 0 ? Task.CompletedTask : Group(channel).Add(notices.Select(n => new Change(n.Id, n)));

    public Task RemoveAsync(string channel, IReadOnlyCollection<string> noticeIds) =>
        noticeIds.Count == 0 ? Task.CompletedTask : Group(channel).Add(noticeIds.Select(id => new Change(id, null)));

    public Task<IReadOnlyList<StoredNotice>> ReadAsync(string channel, QueuePosition? after, int take) => inner.ReadAsync(channel, after, take);

    public Task<QueueStats> StatsAsync(string channel) => inner.StatsAsync(channel);

    private WriteGroup<Change> Group(string channel)
    {
        lock (groups)
        {
            if (!groups.TryGetValue(channel, out var group)) groups[channel] = group = new(changes => Write(channel, changes));
            return group;
        }
    }

    private async Task Write(string channel, IReadOnlyList<Change> changes)
    {
        var last = new Dictionary<string, StoredNotice?>(changes.Count);
        foreach (var change in changes) last[change.Id] = change.Put;
        var removed = last.Where(c => c.Value is null).Select(c => c.Key).ToArray();
        var put = last.Values.OfType<StoredNotice>().ToArray();
        if (removed.Length > 0) await inner.RemoveAsync(channel, removed);
        if (put.Length > 0) await inner.PutAsync(channel, put);
    }

    /// <summary>A put of <see cref="Put"/>, or the removal of <see cref="Id"/> when it is null.</summary>
    private readonly record struct Change(string Id, StoredNotice? Put);
}
