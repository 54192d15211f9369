using AssistanceRouter.Grains.AssistanceRequests;
using Orleans.Storage;

namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// Request records in the embedded node's SQLite file, in the rows <see cref="SqliteGrainStorage"/> keeps grain state in
/// (state name <see cref="IRequestStore.StateName"/>, a version number as the ETag). A write is one write of the
/// database's group commit: the record (create-only without an ETag, else only at the version read), the list moves and
/// the queue changes, in one transaction. A stale version throws inside it, so that its group rolls it back alone.
/// </summary>
public sealed class SqliteRequestStore(SqliteDatabase database, IGrainStorageSerializer serializer) : IRequestStore
{
    public async Task<StoredRequest?> ReadAsync(GrainId grainId)
    {
        using var connection = database.Open();
        using var command = SqliteDatabase.Command(connection,
            "SELECT version, data FROM grain_state WHERE state_name = $name AND grain_id = $id",
            ("$name", IRequestStore.StateName), ("$id", grainId.ToString()));
        using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        return new StoredRequest(serializer.Deserialize<AssistanceRequestState>(new BinaryData((byte[])reader["data"]))!, reader.GetInt64(0).ToString());
    }

    public Task<string> WriteAsync(GrainId grainId, AssistanceRequestState state, string? etag, RequestWrite write)
    {
        var data = serializer.Serialize(state).ToArray();
        var requestId = grainId.GetGuidKey();
        return database.WriteAsync(writer =>
        {
            var command = etag is null
                ? writer.Command(
                    "INSERT INTO grain_state (state_name, grain_id, version, data) VALUES ($name, $id, 1, $data) ON CONFLICT DO NOTHING",
                    ("$name", IRequestStore.StateName), ("$id", grainId.ToString()), ("$data", data))
                : writer.Command(
                    "UPDATE grain_state SET version = version + 1, data = $data WHERE state_name = $name AND grain_id = $id AND version = $version",
                    ("$name", IRequestStore.StateName), ("$id", grainId.ToString()), ("$data", data), ("$version", long.Parse(etag)));
            if (command.ExecuteNonQuery() != 1)
                throw new InconsistentStateException($"Could not write request {grainId}: it changed since it was read (ETag {etag ?? "none"}).", etag ?? "none", "unknown");
            foreach (var change in write.Lists)
            {
                if (change.To is { } to) SqliteRequestIndex.Move(writer, requestId, change.Topic, change.From, to, change.AtMs);
                else if (change.From is { } from) SqliteRequestIndex.Remove(writer, from, requestId);
            }
            foreach (var removal in write.Removals) SqliteChannelQueueStore.Remove(writer, removal.Queue, [removal.NoticeId]);
            foreach (var put in write.Puts) SqliteChannelQueueStore.Put(writer, put.Queue, [put.Notice]);
            return (etag is null ? 1 : long.Parse(etag) + 1).ToString();
        });
    }
}
