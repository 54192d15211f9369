using System.Globalization;
using AssistanceRouter.Grains.AssistanceRequests;
using Orleans.Storage;
using StackExchange.Redis;

namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// Request records in Redis, where Orleans' Redis grain storage keeps them: a hash <c>{ServiceId}/state/{grain type}/{grain
/// key}/request</c> with fields <c>etag</c> and <c>data</c>, the ETag a new GUID per write. A write is one Lua script: it
/// checks the ETag as Orleans' own script does, then writes the record, the list moves (the keys of
/// <see cref="RedisRequestIndex"/>) and the queue changes (those of <see cref="RedisChannelQueueStore"/>). Redis runs a
/// script whole, and its append-only file holds all of it or none of it: one command and one fsync per transition.
/// </summary>
public sealed class RedisRequestStore(RedisStoreConnection redis, IGrainStorageSerializer serializer, string serviceId) : IRequestStore
{
    /// <summary>
    /// KEYS[1]: the record; the rest: the keys the changes name. ARGV: the expected ETag ('' for none: the record must not
    /// exist), the new ETag, the record's bytes, then the changes, each a letter, a key index and its arguments:
    /// <c>z</c> index score member (ZADD), <c>r</c> index member (ZREM), <c>h</c> index field value (HSET), <c>d</c> index
    /// field (HDEL). Answers 0, or -1 (nothing written) when the ETag is stale.
    /// </summary>
    private const string WriteScript = """
        local etag = redis.call('HGET', KEYS[1], 'etag')
        if not (((not etag or etag == '') and ARGV[1] == '') or etag == ARGV[1]) then return -1 end
        redis.call('HSET', KEYS[1], 'etag', ARGV[2], 'data', ARGV[3])
        local i = 4
        while i <= #ARGV do
          local op, key = ARGV[i], KEYS[tonumber(ARGV[i + 1])]
          if op == 'z' then redis.call('ZADD', key, ARGV[i + 2], ARGV[i + 3]); i = i + 4
          elseif op == 'h' then redis.call('HSET', key, ARGV[i + 2], ARGV[i + 3]); i = i + 4
          elseif op == 'r' then redis.call('ZREM', key, ARGV[i + 2]); i = i + 3
          elseif op == 'd' then redis.call('HDEL', key, ARGV[i + 2]); i = i + 3
          else return redis.error_reply('unknown change ' .. op) end
        end
        return 0
        """;

    public async Task<StoredRequest?> ReadAsync(GrainId grainId)
    {
        var database = await redis.DatabaseAsync();
        var fields = await database.HashGetAsync(RecordKey(grainId), ["etag", "data"]);
        if (fields[0].IsNullOrEmpty || fields[1].IsNullOrEmpty) return null;
        return new StoredRequest(serializer.Deserialize<AssistanceRequestState>(new BinaryData((byte[])fields[1]!))!, (string)fields[0]!);
    }

    public async Task<string> WriteAsync(GrainId grainId, AssistanceRequestState state, string? etag, RequestWrite write)
    {
        var newEtag = Guid.NewGuid().ToString("N");
        var keys = new List<RedisKey> { RecordKey(grainId) };
        var indexes = new Dictionary<RedisKey, string>();
        string Index(RedisKey key)
        {
            if (indexes.TryGetValue(key, out var index)) return index;
            keys.Add(key);
            return indexes[key] = keys.Count.ToString(CultureInfo.InvariantCulture);
        }
        var arguments = new List<RedisValue> { etag ?? "", newEtag, serializer.Serialize(state).ToMemory() };
        var member = RedisRequestIndex.Member(grainId.GetGuidKey());
        foreach (var change in write.Lists)
        {
            if (change.From is { } from)
                foreach (var key in new[] { redis.ListKey(from), redis.ListKey(from, change.Topic) }) arguments.AddRange(["r", Index(key), member]);
            if (change.To is { } to)
                foreach (var key in new[] { redis.ListKey(to), redis.ListKey(to, change.Topic) }) arguments.AddRange(["z", Index(key), change.AtMs, member]);
        }
        foreach (var (queue, id) in write.Removals)
        {
            var (due, enqueued, payload) = redis.QueueKeys(queue);
            arguments.AddRange(["r", Index(due), id, "r", Index(enqueued), id, "d", Index(payload), id]);
        }
        foreach (var (queue, notice) in write.Puts)
        {
            var (due, enqueued, payload) = redis.QueueKeys(queue);
            arguments.AddRange([
                "z", Index(due), notice.Due.ToUnixTimeMilliseconds(), notice.Id,
                "z", Index(enqueued), notice.EnqueuedAt.ToUnixTimeMilliseconds(), notice.Id,
                "h", Index(payload), notice.Id, notice.Payload]);
        }
        var database = await redis.DatabaseAsync();
        var result = await database.ScriptEvaluateAsync(WriteScript, [.. keys], [.. arguments]);
        if ((int)result == -1)
            throw new InconsistentStateException($"Could not write request {grainId}: it changed since it was read (ETag {etag ?? "none"}).", etag ?? "none", "unknown");
        return newEtag;
    }

    /// <summary>Orleans' key for grain state (its <c>DefaultGetStorageKey</c>), with the raw ServiceId as its prefix.</summary>
    private static RedisKey Key(string serviceId, GrainId grainId) => $"{serviceId}/state/{grainId.Type}/{grainId.Key}/{IRequestStore.StateName}";

    private RedisKey RecordKey(GrainId grainId) => Key(serviceId, grainId);
}
