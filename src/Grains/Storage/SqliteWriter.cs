using Microsoft.Data.Sqlite;

namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// What a write of <see cref="SqliteDatabase.WriteAsync{T}"/> runs with: the writer connection inside its group's
/// transaction, and that connection's statements, each prepared on first use and kept for the next write. Prepared
/// anew for every write, SQLite's parser and code generator took about a fifth of the writer thread's time. Used only
/// on the writer thread.
/// </summary>
public sealed class SqliteWriter : IDisposable
{
    private readonly SqliteConnection connection;
    private readonly Dictionary<string, SqliteCommand> statements = new(StringComparer.Ordinal);

    internal SqliteWriter(SqliteConnection connection) => this.connection = connection;

    /// <summary>The transaction of the group being written.</summary>
    internal SqliteTransaction? Transaction { get; set; }

    /// <summary>
    /// The statement for <paramref name="sql"/> in the group's transaction, its parameters set to these values. It
    /// belongs to the writer: run it, never dispose it, and do not keep it past the write.
    /// </summary>
    public SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        if (!statements.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            statements.Add(sql, command);
        }
        command.Transaction = Transaction;
        foreach (var (name, value) in parameters)
        {
            // A parameter's type is taken from its value at each run, so a null one time and a text the next is fine.
            if (command.Parameters.Contains(name)) command.Parameters[name].Value = value ?? DBNull.Value;
            else command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    public void Dispose()
    {
        foreach (var command in statements.Values) command.Dispose();
        statements.Clear();
    }
}
