using StackExchange.Redis;

namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// The request lists in Redis: per list a sorted set <c>{serviceId}/requests/{list}</c> and per list and topic
/// <c>…/{list}/topic/{topic}</c>, members the request ids as lower-case text, scored by milliseconds. Equal times are
/// ordered by the ids' bytes, as SQLite orders them. A page is a range by rank, O(log n + take) however deep it
/// starts; a count is ZCARD. Changes that arrive together are written together (see <see cref="Write"/>).
/// </summary>
public sealed class RedisRequestIndex : IRequestIndex
{
    private readonly RedisStoreConnection redis;
    private readonly WriteGroup<Change> writes;

    public RedisRequestIndex(RedisStoreConnection redis)
    {
        this.redis = redis;
        writes = new(Write);
    }

    public Task MoveAsync(Guid requestId, string topic, string? from, string to, DateTimeOffset at) =>
        writes.Add([new Change(requestId, topic, from, to, at.ToUnixTimeMilliseconds())]);

    public Task RemoveAsync(string list, Guid requestId, string topic) =>
        writes.Add([new Change(requestId, topic, list, null, 0)]);

    public async Task<IndexPage> PageAsync(string list, string? topic, bool newestFirst, int skip, int take)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        var key = List(list, topic);
        var database = await redis.DatabaseAsync();
        if (take == 0) return new IndexPage([], await database.SortedSetLengthAsync(key));
        // In one MULTI, so that the page and the total agree.
        var transaction = database.CreateTransaction();
        var page = transaction.SortedSetRangeByRankAsync(key, skip, skip + (long)take - 1, newestFirst ? Order.Descending : Order.Ascending);
        var total = transaction.SortedSetLengthAsync(key);
        await RedisStoreConnection.CommitAsync(transaction, page, total);
        return new IndexPage([.. (await page).Select(id => Guid.Parse((string)id!))], await total);
    }

    public async Task<long> CountAsync(string list, string? topic) =>
        await (await redis.DatabaseAsync()).SortedSetLengthAsync(List(list, topic));

    /// <summary>
    /// The changes of many requests in one MULTI/EXEC, one ZREM and one ZADD per set: every request on the accept path
    /// moves into <c>Open</c>, and one transaction each was a round trip and four commands each. A request's own changes
    /// come one after another (its grain awaits each), but should one appear twice, the group is split before it.
    /// </summary>
    private async Task Write(IReadOnlyList<Change> changes)
    {
        var database = await redis.DatabaseAsync();
        for (var start = 0; start < changes.Count;)
        {
            var seen = new HashSet<Guid>();
            var end = start;
            while (end < changes.Count && seen.Add(changes[end].RequestId)) end++;
            var part = changes.Skip(start).Take(end - start).ToArray();
            var transaction = database.CreateTransaction();
            var commands = new List<Task>();
            foreach (var removal in part.Where(c => c.From is not null).SelectMany(c => new[] { (Key: List(c.From!), c.RequestId), (Key: List(c.From!, c.Topic), c.RequestId) }).GroupBy(r => r.Key))
                commands.Add(transaction.SortedSetRemoveAsync(removal.Key, [.. removal.Select(r => Member(r.RequestId))]));
            foreach (var addition in part.Where(c => c.To is not null).SelectMany(c => new[] { (Key: List(c.To!), c), (Key: List(c.To!, c.Topic), c) }).GroupBy(a => a.Key))
                commands.Add(transaction.SortedSetAddAsync(addition.Key, [.. addition.Select(a => new SortedSetEntry(Member(a.c.RequestId), a.c.Score))]));
            await RedisStoreConnection.CommitAsync(transaction, [.. commands]);
            start = end;
        }
    }

    /// <summary>Out of list <see cref="From"/> (if any) and into list <see cref="To"/> (if any) at <see cref="Score"/> milliseconds.</summary>
    private readonly record struct Change(Guid RequestId, string Topic, string? From, string? To, long Score);

    private RedisKey List(string list, string? topic = null) => redis.ListKey(list, topic);

    internal static RedisValue Member(Guid requestId) => requestId.ToString("D");
}
