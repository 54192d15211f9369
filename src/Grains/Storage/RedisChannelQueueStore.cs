using System.Globalization;
using StackExchange.Redis;

namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// The channels' queues in Redis, three keys per channel: <c>{serviceId}/queue/{channel}/due</c>, a sorted set of notice
/// ids scored by due milliseconds; <c>…/enqueued</c>, the same ids scored by enqueue milliseconds (its first member is
/// the oldest); <c>…/payload</c>, a hash of id to payload. A sorted set orders equal scores by the bytes of their
/// members, which is <see cref="QueuePosition"/>'s order. A change touches all three keys in one MULTI/EXEC; a page is
/// one Lua script: one round trip, consistent, O(log n + take) however deep in the queue it starts.
/// </summary>
public sealed class RedisChannelQueueStore(RedisStoreConnection redis) : IChannelQueueStore
{
    /// <summary>
    /// KEYS: due, enqueued, payload. ARGV: take, then the position to start after (its due milliseconds and id), if any.
    /// The position need not be stored: the notices of its millisecond are ranks [lo, hi) of the due set, in byte order
    /// of id, and a binary search over those ranks finds the first one after it, so that many notices due in the same
    /// millisecond cost O(log n) too. Lua's own string comparison follows the server's locale, hence the byte loop.
    /// Answers id, due, enqueued, payload for each notice, flat.
    /// </summary>
    private const string ReadScript = """
        local due, enqueued, payload = KEYS[1], KEYS[2], KEYS[3]
        local take = tonumber(ARGV[1])
        local function after(a, b)
          local n = math.min(#a, #b)
          for i = 1, n do
            local x, y = string.byte(a, i), string.byte(b, i)
            if x ~= y then return x > y end
          end
          return #a > #b
        end
        local start = 0
        if #ARGV == 3 then
          local at, id = ARGV[2], ARGV[3]
          local lo = redis.call('ZCOUNT', due, '-inf', '(' .. at)
          local hi = redis.call('ZCOUNT', due, '-inf', at)
          while lo < hi do
            local mid = math.floor((lo + hi) / 2)
            if after(redis.call('ZRANGE', due, mid, mid)[1], id) then hi = mid else lo = mid + 1 end
          end
          start = lo
        end
        local result = {}
        if take <= 0 then return result end
        local page = redis.call('ZRANGE', due, start, start + take - 1, 'WITHSCORES')
        for i = 1, #page, 2 do
          local id = page[i]
          result[#result + 1] = id
          result[#result + 1] = page[i + 1]
          result[#result + 1] = redis.call('ZSCORE', enqueued, id)
          result[#result + 1] = redis.call('HGET', payload, id)
        end
        return result
        """;

    public async Task PutAsync(string channel, IReadOnlyCollection<StoredNotice> notices)
    {
        if (notices.Count == 0) return;
        var (due, enqueued, payload) = Keys(channel);
        var database = await redis.DatabaseAsync();
        // ZADD replaces an id's score, HSET its payload: a put of an id already there is a reschedule, in place.
        var transaction = database.CreateTransaction();
        await RedisStoreConnection.CommitAsync(transaction,
            transaction.SortedSetAddAsync(due, [.. notices.Select(n => new SortedSetEntry(n.Id, n.Due.ToUnixTimeMilliseconds()))]),
            transaction.SortedSetAddAsync(enqueued, [.. notices.Select(n => new SortedSetEntry(n.Id, n.EnqueuedAt.ToUnixTimeMilliseconds()))]),
            transaction.HashSetAsync(payload, [.. notices.Select(n => new HashEntry(n.Id, n.Payload))]));
    }

    public async Task RemoveAsync(string channel, IReadOnlyCollection<string> noticeIds)
    {
        if (noticeIds.Count == 0) return;
        var (due, enqueued, payload) = Keys(channel);
        RedisValue[] ids = [.. noticeIds.Select(id => (RedisValue)id)];
        var database = await redis.DatabaseAsync();
        var transaction = database.CreateTransaction();
        await RedisStoreConnection.CommitAsync(transaction,
            transaction.SortedSetRemoveAsync(due, ids),
            transaction.SortedSetRemoveAsync(enqueued, ids),
            transaction.HashDeleteAsync(payload, ids));
    }

    public async Task<IReadOnlyList<StoredNotice>> ReadAsync(string channel, QueuePosition? after, int take)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        var (due, enqueued, payload) = Keys(channel);
        RedisValue[] arguments = after is { } position
            ? [take, position.Due.ToUnixTimeMilliseconds(), position.Id]
            : [take];
        var database = await redis.DatabaseAsync();
        var flat = (RedisResult[])(await database.ScriptEvaluateAsync(ReadScript, [due, enqueued, payload], arguments))!;
        var notices = new List<StoredNotice>(flat.Length / 4);
        for (var i = 0; i < flat.Length; i += 4)
        {
            notices.Add(new StoredNotice(
                (string)flat[i]!,
                Milliseconds(flat[i + 1]),
                Milliseconds(flat[i + 2]),
                (byte[])flat[i + 3]!));
        }
        return notices;
    }

    public async Task<QueueStats> StatsAsync(string channel)
    {
        var (due, enqueued, _) = Keys(channel);
        var database = await redis.DatabaseAsync();
        // In one MULTI, so that the count and the oldest time agree.
        var transaction = database.CreateTransaction();
        var count = transaction.SortedSetLengthAsync(due);
        var oldest = transaction.SortedSetRangeByRankWithScoresAsync(enqueued, 0, 0);
        await RedisStoreConnection.CommitAsync(transaction, count, oldest);
        var first = await oldest;
        return new QueueStats(await count, first.Length == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)first[0].Score));
    }

    private (RedisKey Due, RedisKey Enqueued, RedisKey Payload) Keys(string channel) => redis.QueueKeys(channel);

    private static DateTimeOffset Milliseconds(RedisResult score) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)double.Parse((string)score!, NumberStyles.Float, CultureInfo.InvariantCulture));
}
