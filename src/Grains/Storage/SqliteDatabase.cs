using Microsoft.Data.Sqlite;

namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// The embedded node's database: one SQLite file under <c>Storage:Path</c> holding grain state and reminders.
/// WAL journal with <c>synchronous=FULL</c>: every commit is fsynced before it returns, so a request answered 202
/// is on disk even if the machine loses power right after (NORMAL would survive a process crash, not that).
/// Writes go one at a time through one connection, as SQLite allows a single writer anyway; reads use their own.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    public const string FileName = "assistance-router.db";

    private readonly string connectionString;
    private readonly SqliteConnection writer;
    private readonly SemaphoreSlim writeLock = new(1, 1);

    public SqliteDatabase(string directory)
    {
        Directory.CreateDirectory(directory);
        Path = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, FileName));
        connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 30 }.ToString();
        writer = Open();
        Execute(writer, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS grain_state (
                state_name TEXT NOT NULL,
                grain_id   TEXT NOT NULL,
                version    INTEGER NOT NULL,
                data       BLOB NOT NULL,
                PRIMARY KEY (state_name, grain_id));
            CREATE TABLE IF NOT EXISTS reminders (
                grain_id      TEXT NOT NULL,
                reminder_name TEXT NOT NULL,
                grain_hash    INTEGER NOT NULL,
                start_at      INTEGER NOT NULL,
                period_ticks  INTEGER NOT NULL,
                version       INTEGER NOT NULL,
                PRIMARY KEY (grain_id, reminder_name));
            CREATE INDEX IF NOT EXISTS reminders_by_hash ON reminders (grain_hash);
            """);
    }

    public string Path { get; }

    /// <summary>A new connection for reading (WAL lets readers run beside the writer).</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000;");
        return connection;
    }

    /// <summary>Runs <paramref name="write"/> on the single writer connection inside a transaction.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write)
    {
        await writeLock.WaitAsync();
        try
        {
            using var transaction = writer.BeginTransaction();
            var result = write(writer, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            writeLock.Release();
        }
    }

    public static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        writer.Dispose();
        writeLock.Dispose();
    }
}
