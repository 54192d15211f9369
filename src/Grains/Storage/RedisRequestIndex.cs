using StackExchange.Redis;

namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// The request lists in Redis: per list a sorted set <c>{serviceId}/requests/{list}</c> and per list and topic
/// <c>…/{list}/topic/{topic}</c>, members the request ids as lower-case text, scored by milliseconds. Equal times are
/// ordered by the ids' bytes, as SQLite orders them. A page is a range by rank, O(log n + take) however deep it
/// starts; a count is ZCARD. A change touches up to four sets in one MULTI/EXEC.
/// </summary>
public sealed class RedisRequestIndex(RedisStoreConnection redis) : IRequestIndex
{
    public async Task MoveAsync(Guid requestId, string topic, string? from, string to, DateTimeOffset at)
    {
        var member = Member(requestId);
        var score = at.ToUnixTimeMilliseconds();
        var database = await redis.DatabaseAsync();
        var transaction = database.CreateTransaction();
        var commands = new List<Task>(4);
        if (from is not null)
        {
            commands.Add(transaction.SortedSetRemoveAsync(List(from), member));
            commands.Add(transaction.SortedSetRemoveAsync(List(from, topic), member));
        }
        commands.Add(transaction.SortedSetAddAsync(List(to), member, score));
        commands.Add(transaction.SortedSetAddAsync(List(to, topic), member, score));
        await RedisStoreConnection.CommitAsync(transaction, [.. commands]);
    }

    public async Task RemoveAsync(string list, Guid requestId, string topic)
    {
        var member = Member(requestId);
        var database = await redis.DatabaseAsync();
        var transaction = database.CreateTransaction();
        await RedisStoreConnection.CommitAsync(transaction,
            transaction.SortedSetRemoveAsync(List(list), member),
            transaction.SortedSetRemoveAsync(List(list, topic), member));
    }

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

    private RedisKey List(string list, string? topic = null) =>
        topic is null ? redis.Key("requests", list) : redis.Key("requests", list, "topic", topic);

    private static RedisValue Member(Guid requestId) => requestId.ToString("D");
}
