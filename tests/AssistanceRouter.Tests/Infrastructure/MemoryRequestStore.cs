using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Storage;
using Orleans.Storage;

namespace AssistanceRouter.Tests.Infrastructure;

/// <summary>
/// Request records in this silo's memory, for tests on memory storage: serialized as the durable stores serialize them,
/// ETags checked as they check them, and each write's list and queue changes made in this silo's memory stores under
/// one lock, so that a write is all or nothing here too.
/// </summary>
public sealed class MemoryRequestStore(IChannelQueueStore queues, IRequestIndex index, IGrainStorageSerializer serializer) : IRequestStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<GrainId, (byte[] Data, string ETag)> records = [];

    public Task<StoredRequest?> ReadAsync(GrainId grainId)
    {
        lock (gate)
        {
            return Task.FromResult(records.TryGetValue(grainId, out var record)
                ? new StoredRequest(serializer.Deserialize<AssistanceRequestState>(new BinaryData(record.Data))!, record.ETag)
                : null);
        }
    }

    public Task<string> WriteAsync(GrainId grainId, AssistanceRequestState state, string? etag, RequestWrite write)
    {
        var data = serializer.Serialize(state).ToArray();
        lock (gate)
        {
            var stored = records.TryGetValue(grainId, out var record) ? record.ETag : null;
            if (stored != etag)
                throw new InconsistentStateException($"Could not write request {grainId}: it changed since it was read (ETag {etag ?? "none"}).", etag ?? "none", stored ?? "none");
            var id = grainId.GetGuidKey();
            foreach (var change in write.Lists)
            {
                // The memory stores complete at once: these run inside the lock.
                if (change.To is { } to) index.MoveAsync(id, change.Topic, change.From, to, DateTimeOffset.FromUnixTimeMilliseconds(change.AtMs)).GetAwaiter().GetResult();
                else index.RemoveAsync(change.From!, id, change.Topic).GetAwaiter().GetResult();
            }
            foreach (var removal in write.Removals) queues.RemoveAsync(removal.Queue, [removal.NoticeId]).GetAwaiter().GetResult();
            foreach (var put in write.Puts) queues.PutAsync(put.Queue, [put.Notice]).GetAwaiter().GetResult();
            var next = Guid.NewGuid().ToString("N");
            records[grainId] = (data, next);
            return Task.FromResult(next);
        }
    }
}
