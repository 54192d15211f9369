namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// Reminders in the embedded node's SQLite file. Rows are read by grain or by a range of grain hashes, as the
/// reminder service asks, with the ring's wrap-around (a range whose start is past its end).
/// </summary>
public sealed class SqliteReminderTable(SqliteDatabase database) : IReminderTable
{
    private const string Columns = "grain_id, reminder_name, start_at, period_ticks, version";

    public Task Init() => Task.CompletedTask;

    public Task<ReminderTableData> ReadRows(GrainId grainId) =>
        Query($"SELECT {Columns} FROM reminders WHERE grain_id = $id", ("$id", grainId.ToString()));

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => begin < end
        ? Query($"SELECT {Columns} FROM reminders WHERE grain_hash > $begin AND grain_hash <= $end", ("$begin", (long)begin), ("$end", (long)end))
        : Query($"SELECT {Columns} FROM reminders WHERE grain_hash > $begin OR grain_hash <= $end", ("$begin", (long)begin), ("$end", (long)end));

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        (await Query($"SELECT {Columns} FROM reminders WHERE grain_id = $id AND reminder_name = $name",
            ("$id", grainId.ToString()), ("$name", reminderName))).Reminders.FirstOrDefault();

    public Task<string?> UpsertRow(ReminderEntry entry) => database.WriteAsync<string?>(writer =>
    {
        var command = writer.Command("""
            INSERT INTO reminders (grain_id, reminder_name, grain_hash, start_at, period_ticks, version)
            VALUES ($id, $name, $hash, $start, $period, 1)
            ON CONFLICT (grain_id, reminder_name) DO UPDATE SET
                start_at = excluded.start_at, period_ticks = excluded.period_ticks, version = reminders.version + 1
            RETURNING version
            """,
            ("$id", entry.GrainId.ToString()), ("$name", entry.ReminderName), ("$hash", (long)entry.GrainId.GetUniformHashCode()),
            ("$start", entry.StartAt.ToUniversalTime().Ticks), ("$period", entry.Period.Ticks));
        return Convert.ToInt64(command.ExecuteScalar()).ToString();
    });

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => database.WriteAsync(writer =>
    {
        var command = writer.Command(
            "DELETE FROM reminders WHERE grain_id = $id AND reminder_name = $name AND version = $version",
            ("$id", grainId.ToString()), ("$name", reminderName), ("$version", long.TryParse(eTag, out var v) ? v : -1));
        return command.ExecuteNonQuery() == 1;
    });

    public Task TestOnlyClearTable() => database.WriteAsync(writer =>
    {
        var command = writer.Command("DELETE FROM reminders");
        return command.ExecuteNonQuery();
    });

    private async Task<ReminderTableData> Query(string sql, params (string, object?)[] parameters)
    {
        using var connection = database.Open();
        using var command = SqliteDatabase.Command(connection, sql, parameters);
        using var reader = await command.ExecuteReaderAsync();
        var entries = new List<ReminderEntry>();
        while (await reader.ReadAsync())
        {
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0)),
                ReminderName = reader.GetString(1),
                StartAt = new DateTime(reader.GetInt64(2), DateTimeKind.Utc),
                Period = TimeSpan.FromTicks(reader.GetInt64(3)),
                ETag = reader.GetInt64(4).ToString(),
            });
        }
        return new ReminderTableData(entries);
    }
}
