namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// The channels' queues in the embedded node's SQLite file: one row per notice (its columns keep the names they were created with). A page is a range scan of the
/// <c>(channel, due_ms, entry_id)</c> index from the position after which it starts; the oldest enqueue time is the
/// first key of the <c>(channel, enqueued_ms)</c> index; the count is a counter row that triggers keep. So every
/// operation costs O(log n + what it returns), whatever a queue holds. Writes share the database's group commit.
/// </summary>
public sealed class SqliteChannelQueueStore(SqliteDatabase database) : IChannelQueueStore
{
    /// <summary>Created by <see cref="SqliteDatabase"/> with the rest of the file's schema.</summary>
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS channel_queue (
            channel     TEXT NOT NULL,
            entry_id    TEXT NOT NULL,
            due_ms      INTEGER NOT NULL,
            enqueued_ms INTEGER NOT NULL,
            payload     BLOB NOT NULL,
            PRIMARY KEY (channel, entry_id));
        CREATE INDEX IF NOT EXISTS channel_queue_by_due ON channel_queue (channel, due_ms, entry_id);
        CREATE INDEX IF NOT EXISTS channel_queue_by_age ON channel_queue (channel, enqueued_ms);
        CREATE TABLE IF NOT EXISTS channel_queue_count (
            channel TEXT PRIMARY KEY,
            entries INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TRIGGER IF NOT EXISTS channel_queue_counts_insert AFTER INSERT ON channel_queue BEGIN
            INSERT INTO channel_queue_count (channel, entries) VALUES (new.channel, 1)
                ON CONFLICT (channel) DO UPDATE SET entries = entries + 1;
        END;
        CREATE TRIGGER IF NOT EXISTS channel_queue_counts_delete AFTER DELETE ON channel_queue BEGIN
            UPDATE channel_queue_count SET entries = entries - 1 WHERE channel = old.channel;
        END;
        """;

    public Task PutAsync(string channel, IReadOnlyCollection<StoredNotice> notices) =>
        notices.Count == 0 ? Task.CompletedTask : database.WriteAsync(writer => Put(writer, channel, notices));

    public Task RemoveAsync(string channel, IReadOnlyCollection<string> noticeIds) =>
        noticeIds.Count == 0 ? Task.CompletedTask : database.WriteAsync(writer => Remove(writer, channel, noticeIds));

    /// <summary>Puts notices within a write of <see cref="SqliteDatabase.WriteAsync{T}"/> (a request's transition shares it).</summary>
    internal static int Put(SqliteWriter writer, string channel, IEnumerable<StoredNotice> notices)
    {
        // An upsert, not INSERT OR REPLACE: a replaced row is updated in place, so the count's triggers do not fire.
        var command = writer.Command("""
            INSERT INTO channel_queue (channel, entry_id, due_ms, enqueued_ms, payload) VALUES ($channel, $id, $due, $enqueued, $payload)
            ON CONFLICT (channel, entry_id) DO UPDATE SET
                due_ms = excluded.due_ms, enqueued_ms = excluded.enqueued_ms, payload = excluded.payload
            """,
            ("$channel", channel), ("$id", ""), ("$due", 0L), ("$enqueued", 0L), ("$payload", Array.Empty<byte>()));
        var count = 0;
        foreach (var notice in notices)
        {
            command.Parameters["$id"].Value = notice.Id;
            command.Parameters["$due"].Value = notice.Due.ToUnixTimeMilliseconds();
            command.Parameters["$enqueued"].Value = notice.EnqueuedAt.ToUnixTimeMilliseconds();
            command.Parameters["$payload"].Value = notice.Payload;
            command.ExecuteNonQuery();
            count++;
        }
        return count;
    }

    /// <summary>Removes notices within a write of <see cref="SqliteDatabase.WriteAsync{T}"/>.</summary>
    internal static int Remove(SqliteWriter writer, string channel, IEnumerable<string> noticeIds)
    {
        var command = writer.Command(
            "DELETE FROM channel_queue WHERE channel = $channel AND entry_id = $id", ("$channel", channel), ("$id", ""));
        var count = 0;
        foreach (var id in noticeIds)
        {
            command.Parameters["$id"].Value = id;
            command.ExecuteNonQuery();
            count++;
        }
        return count;
    }

    public async Task<IReadOnlyList<StoredNotice>> ReadAsync(string channel, QueuePosition? after, int take)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        using var connection = database.Open();
        // The row value comparison is a range on channel_queue_by_due: the scan starts right after the position.
        using var command = after is { } position
            ? SqliteDatabase.Command(connection, """
                SELECT entry_id, due_ms, enqueued_ms, payload FROM channel_queue
                WHERE channel = $channel AND (due_ms, entry_id) > ($due, $id)
                ORDER BY due_ms, entry_id LIMIT $take
                """,
                ("$channel", channel), ("$due", position.Due.ToUnixTimeMilliseconds()), ("$id", position.Id), ("$take", take))
            : SqliteDatabase.Command(connection, """
                SELECT entry_id, due_ms, enqueued_ms, payload FROM channel_queue
                WHERE channel = $channel
                ORDER BY due_ms, entry_id LIMIT $take
                """,
                ("$channel", channel), ("$take", take));
        using var reader = await command.ExecuteReaderAsync();
        var notices = new List<StoredNotice>(Math.Min(take, 1024));
        while (await reader.ReadAsync())
        {
            notices.Add(new StoredNotice(
                reader.GetString(0),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                (byte[])reader.GetValue(3)));
        }
        return notices;
    }

    public async Task<QueueStats> StatsAsync(string channel)
    {
        using var connection = database.Open();
        // One statement, so the count and the oldest time come from the same snapshot.
        using var command = SqliteDatabase.Command(connection, """
            SELECT (SELECT entries FROM channel_queue_count WHERE channel = $channel),
                   (SELECT MIN(enqueued_ms) FROM channel_queue WHERE channel = $channel)
            """,
            ("$channel", channel));
        using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var count = reader.IsDBNull(0) ? 0 : reader.GetInt64(0);
        return new QueueStats(count, reader.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)));
    }
}
