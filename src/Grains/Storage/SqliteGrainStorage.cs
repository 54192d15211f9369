using Orleans.Storage;

namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// Grain state in the embedded node's SQLite file, with the official providers' semantics: the ETag is a version
/// number, and a write or clear with a stale one throws <see cref="InconsistentStateException"/>.
/// </summary>
public sealed class SqliteGrainStorage(SqliteDatabase database, IGrainStorageSerializer serializer) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        using var connection = database.Open();
        using var command = SqliteDatabase.Command(connection,
            "SELECT version, data FROM grain_state WHERE state_name = $name AND grain_id = $id",
            ("$name", stateName), ("$id", grainId.ToString()));
        using var reader = await command.ExecuteReaderAsync();
        if (await reader.ReadAsync())
        {
            grainState.State = serializer.Deserialize<T>(new BinaryData((byte[])reader["data"]));
            grainState.ETag = reader.GetInt64(0).ToString();
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var data = serializer.Serialize(grainState.State).ToArray();
        var expected = grainState.ETag;
        var version = await database.WriteAsync(writer =>
        {
            var command = expected is null
                ? writer.Command(
                    "INSERT INTO grain_state (state_name, grain_id, version, data) VALUES ($name, $id, 1, $data) ON CONFLICT DO NOTHING",
                    ("$name", stateName), ("$id", grainId.ToString()), ("$data", data))
                : writer.Command(
                    "UPDATE grain_state SET version = version + 1, data = $data WHERE state_name = $name AND grain_id = $id AND version = $version",
                    ("$name", stateName), ("$id", grainId.ToString()), ("$data", data), ("$version", long.Parse(expected)));
            return command.ExecuteNonQuery() == 1 ? (expected is null ? 1 : long.Parse(expected) + 1) : (long?)null;
        });
        if (version is null) throw Stale("write", stateName, grainId, expected);
        grainState.ETag = version.Value.ToString();
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var expected = grainState.ETag;
        var cleared = await database.WriteAsync(writer =>
        {
            var command = writer.Command(
                "DELETE FROM grain_state WHERE state_name = $name AND grain_id = $id AND ($version IS NULL OR version = $version)",
                ("$name", stateName), ("$id", grainId.ToString()), ("$version", expected is null ? null : long.Parse(expected)));
            if (command.ExecuteNonQuery() == 1 || expected is null) return true;
            return false;
        });
        if (!cleared) throw Stale("clear", stateName, grainId, expected);
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private static InconsistentStateException Stale(string operation, string stateName, GrainId grainId, string? etag) =>
        new($"Could not {operation} state '{stateName}' of {grainId}: it changed since it was read (ETag {etag ?? "none"}).", etag ?? "none", "unknown");
}
