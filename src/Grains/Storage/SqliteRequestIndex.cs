using Microsoft.Data.Sqlite;

namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// The request lists in the embedded node's SQLite file: one row per request and list, ordered by the
/// <c>(list, at_ms, request_id)</c> index, or <c>(list, topic, at_ms, request_id)</c> for one topic. Counts are counter
/// rows that triggers keep, so a total never scans a list. Ids are stored as their lower-case text, whose byte order
/// breaks ties of equal times the same way Redis and the memory store do.
/// </summary>
public sealed class SqliteRequestIndex(SqliteDatabase database) : IRequestIndex
{
    /// <summary>Created by <see cref="SqliteDatabase"/> with the rest of the file's schema.</summary>
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS request_index (
            list       TEXT NOT NULL,
            request_id TEXT NOT NULL,
            topic      TEXT NOT NULL,
            at_ms      INTEGER NOT NULL,
            PRIMARY KEY (list, request_id)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS request_index_by_time ON request_index (list, at_ms, request_id);
        CREATE INDEX IF NOT EXISTS request_index_by_topic ON request_index (list, topic, at_ms, request_id);
        CREATE TABLE IF NOT EXISTS request_list_count (
            list     TEXT PRIMARY KEY,
            requests INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS request_topic_count (
            list     TEXT NOT NULL,
            topic    TEXT NOT NULL,
            requests INTEGER NOT NULL,
            PRIMARY KEY (list, topic)) WITHOUT ROWID;
        CREATE TRIGGER IF NOT EXISTS request_index_counts_insert AFTER INSERT ON request_index BEGIN
            INSERT INTO request_list_count (list, requests) VALUES (new.list, 1)
                ON CONFLICT (list) DO UPDATE SET requests = requests + 1;
            INSERT INTO request_topic_count (list, topic, requests) VALUES (new.list, new.topic, 1)
                ON CONFLICT (list, topic) DO UPDATE SET requests = requests + 1;
        END;
        CREATE TRIGGER IF NOT EXISTS request_index_counts_delete AFTER DELETE ON request_index BEGIN
            UPDATE request_list_count SET requests = requests - 1 WHERE list = old.list;
            UPDATE request_topic_count SET requests = requests - 1 WHERE list = old.list AND topic = old.topic;
        END;
        CREATE TRIGGER IF NOT EXISTS request_index_counts_topic AFTER UPDATE OF topic ON request_index
        WHEN old.topic IS NOT new.topic BEGIN
            UPDATE request_topic_count SET requests = requests - 1 WHERE list = old.list AND topic = old.topic;
            INSERT INTO request_topic_count (list, topic, requests) VALUES (new.list, new.topic, 1)
                ON CONFLICT (list, topic) DO UPDATE SET requests = requests + 1;
        END;
        """;

    public Task MoveAsync(Guid requestId, string topic, string? from, string to, DateTimeOffset at) =>
        database.WriteAsync(writer => Move(writer, requestId, topic, from, to, at.ToUnixTimeMilliseconds()));

    public Task RemoveAsync(string list, Guid requestId, string topic) => database.WriteAsync(writer => Remove(writer, list, requestId));

    /// <summary>A move within a write of <see cref="SqliteDatabase.WriteAsync{T}"/> (a request's transition shares it).</summary>
    internal static int Move(SqliteWriter writer, Guid requestId, string topic, string? from, string to, long atMs)
    {
        // Both statements in one write: the request is never in both lists, nor in neither.
        var command = writer.Command("""
            DELETE FROM request_index WHERE list = $from AND request_id = $id;
            INSERT INTO request_index (list, request_id, topic, at_ms) VALUES ($to, $id, $topic, $at)
            ON CONFLICT (list, request_id) DO UPDATE SET topic = excluded.topic, at_ms = excluded.at_ms;
            """,
            ("$from", from), ("$to", to), ("$id", Id(requestId)), ("$topic", topic), ("$at", atMs));
        return command.ExecuteNonQuery();
    }

    /// <summary>A removal within a write of <see cref="SqliteDatabase.WriteAsync{T}"/>.</summary>
    internal static int Remove(SqliteWriter writer, string list, Guid requestId)
    {
        var command = writer.Command(
            "DELETE FROM request_index WHERE list = $list AND request_id = $id", ("$list", list), ("$id", Id(requestId)));
        return command.ExecuteNonQuery();
    }

    public async Task<IndexPage> PageAsync(string list, string? topic, bool newestFirst, int skip, int take)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        var order = newestFirst ? "at_ms DESC, request_id DESC" : "at_ms, request_id";
        var filter = topic is null ? "" : "AND topic = $topic";
        using var connection = database.Open();
        // One read transaction: the page and the total come from the same snapshot.
        using var transaction = connection.BeginTransaction(deferred: true);
        var ids = new List<Guid>(Math.Min(take, 1024));
        using (var page = SqliteDatabase.Command(connection,
            $"SELECT request_id FROM request_index WHERE list = $list {filter} ORDER BY {order} LIMIT $take OFFSET $skip",
            ("$list", list), ("$topic", topic), ("$take", take), ("$skip", skip)))
        {
            page.Transaction = transaction;
            using var reader = await page.ExecuteReaderAsync();
            while (await reader.ReadAsync()) ids.Add(Guid.Parse(reader.GetString(0)));
        }
        var total = await CountAsync(connection, transaction, list, topic);
        return new IndexPage([.. ids], total);
    }

    public async Task<long> CountAsync(string list, string? topic)
    {
        using var connection = database.Open();
        return await CountAsync(connection, null, list, topic);
    }

    private static async Task<long> CountAsync(SqliteConnection connection, SqliteTransaction? transaction, string list, string? topic)
    {
        using var command = topic is null
            ? SqliteDatabase.Command(connection, "SELECT requests FROM request_list_count WHERE list = $list", ("$list", list))
            : SqliteDatabase.Command(connection, "SELECT requests FROM request_topic_count WHERE list = $list AND topic = $topic",
                ("$list", list), ("$topic", topic));
        command.Transaction = transaction;
        return await command.ExecuteScalarAsync() is long count ? count : 0;
    }

    private static string Id(Guid requestId) => requestId.ToString("D");
}
