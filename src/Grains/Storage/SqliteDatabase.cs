using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// The embedded node's database: one SQLite file under <c>Storage:Path</c> holding grain state, reminders, the
/// channels' queues and the request lists.
/// WAL journal with <c>synchronous=FULL</c>: every commit is fsynced before it returns, so a request answered 202
/// is on disk even if the machine loses power right after (NORMAL would survive a process crash, not that).
/// SQLite allows a single writer, so writes go through one connection on one thread, and they are committed in
/// groups: whatever writes are waiting when the writer is free share one transaction and so one fsync (a group in
/// which a write throws runs again with a savepoint around each write, so one that fails undoes only itself). None
/// returns before its commit is on disk. Reads use connections of their own, which WAL lets run beside the writer.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    public const string FileName = "assistance-router.db";

    /// <summary>The most writes one commit takes, so that a long queue still reaches the disk in steps.</summary>
    private const int MaxGroup = 256;

    private readonly string connectionString;
    private readonly SqliteConnection writeConnection;
    private readonly SqliteWriter writer;
    private readonly Channel<PendingWrite> pending = Channel.CreateUnbounded<PendingWrite>(new() { SingleReader = true });
    private readonly Thread committer;

    public SqliteDatabase(string directory)
    {
        Directory.CreateDirectory(directory);
        Path = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, FileName));
        connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 30 }.ToString();
        writeConnection = Open();
        Execute(writeConnection, $"""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
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
            {SqliteChannelQueueStore.Schema}
            {SqliteRequestIndex.Schema}
            """);
        writer = new SqliteWriter(writeConnection);
        committer = new Thread(CommitGroups) { IsBackground = true, Name = "SQLite group commit" };
        committer.Start();
    }

    public string Path { get; }

    /// <summary>
    /// A new connection for reading (WAL lets readers run beside the writer). It needs no pragmas of its own:
    /// <c>synchronous</c> only matters to the writer, and Microsoft.Data.Sqlite retries a busy or locked database
    /// until <c>DefaultTimeout</c> (30 s) by itself.
    /// </summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Runs <paramref name="write"/> on the writer connection; completes once its transaction is committed.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteWriter, T> write)
    {
        var queued = new PendingWrite(w => write(w));
        if (!pending.Writer.TryWrite(queued)) throw new ObjectDisposedException(nameof(SqliteDatabase));
        return (T)(await queued.Done.Task)!;
    }

    /// <summary>
    /// The writer thread: takes every write waiting, runs them in one transaction, commits, then answers them. A write
    /// that throws must not take the others with it, but a savepoint around each write is two more statements each
    /// (a third of all the statements the accept path ran): so a group runs bare, and only a group in which a write
    /// threw is rolled back and run again with a savepoint around each write.
    /// </summary>
    private void CommitGroups()
    {
        var group = new List<PendingWrite>(MaxGroup);
        while (pending.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (group.Count < MaxGroup && pending.Reader.TryRead(out var next)) group.Add(next);
            var results = new object?[group.Count];
            var failures = new Exception?[group.Count];
            try
            {
                if (!TryCommitTogether(group, results)) CommitEachIsolated(group, results, failures);
                for (var i = 0; i < group.Count; i++)
                {
                    if (failures[i] is { } failure) group[i].Done.SetException(failure);
                    else group[i].Done.SetResult(results[i]);
                }
            }
            catch (Exception ex)
            {
                // The commit itself failed (disk full, I/O error): nothing of the group was stored.
                foreach (var write in group) write.Done.TrySetException(ex);
            }
            group.Clear();
        }
    }

    /// <summary>Runs the group in one transaction and commits it; false, with everything rolled back, if a write throws.</summary>
    private bool TryCommitTogether(List<PendingWrite> group, object?[] results)
    {
        using var transaction = Begin();
        try
        {
            for (var i = 0; i < group.Count; i++) results[i] = group[i].Write(writer);
        }
        catch (Exception)
        {
            transaction.Rollback();
            return false;
        }
        transaction.Commit();
        return true;
    }

    /// <summary>Runs the group in one transaction, each write in a savepoint of its own, its exception in <paramref name="failures"/>.</summary>
    private void CommitEachIsolated(List<PendingWrite> group, object?[] results, Exception?[] failures)
    {
        using var transaction = Begin();
        for (var i = 0; i < group.Count; i++)
        {
            transaction.Save("w");
            try
            {
                results[i] = group[i].Write(writer);
                transaction.Release("w");
            }
            catch (Exception ex)
            {
                transaction.Rollback("w");
                transaction.Release("w");
                failures[i] = ex;
            }
        }
        transaction.Commit();
    }

    private SqliteTransaction Begin() => writer.Transaction = writeConnection.BeginTransaction();

    /// <summary>A command on a reading connection (writes use <see cref="SqliteWriter.Command"/>, whose statements are kept).</summary>
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

    /// <summary>Commits what is already queued, then closes the writer.</summary>
    public void Dispose()
    {
        if (!pending.Writer.TryComplete()) return;
        committer.Join();
        writer.Dispose();
        writeConnection.Dispose();
    }

    private sealed class PendingWrite(Func<SqliteWriter, object?> write)
    {
        public Func<SqliteWriter, object?> Write { get; } = write;

        /// <summary>Answered on the thread pool, never on the writer thread.</summary>
        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
