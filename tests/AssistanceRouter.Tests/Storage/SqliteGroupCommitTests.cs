using AssistanceRouter.Grains.Storage;

namespace AssistanceRouter.Tests.Storage;

/// <summary>The embedded node's writer commits waiting writes together; each must still succeed or fail on its own.</summary>
public sealed class SqliteGroupCommitTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("sqlite-group-").FullName;

    [Fact]
    public async Task A_write_that_throws_undoes_only_its_own_changes()
    {
        using (var database = new SqliteDatabase(directory))
        {
            var writes = Enumerable.Range(0, 100).Select(i => database.WriteAsync(writer =>
            {
                writer.Command("INSERT INTO grain_state (state_name, grain_id, version, data) VALUES ('probe', $id, 1, x'00')", ("$id", $"grain-{i}"))
                    .ExecuteNonQuery();
                if (i % 10 == 3) throw new InvalidOperationException($"write {i} fails after changing the table");
                return i;
            })).ToArray();

            foreach (var (write, i) in writes.Select((w, i) => (w, i)))
            {
                if (i % 10 == 3) await Assert.ThrowsAsync<InvalidOperationException>(() => write);
                else Assert.Equal(i, await write);
            }
        }

        using var reopened = new SqliteDatabase(directory);
        using var connection = reopened.Open();
        using var command = SqliteDatabase.Command(connection, "SELECT grain_id FROM grain_state ORDER BY grain_id");
        using var reader = await command.ExecuteReaderAsync();
        var stored = new List<string>();
        while (await reader.ReadAsync()) stored.Add(reader.GetString(0));
        Assert.Equal(Enumerable.Range(0, 100).Where(i => i % 10 != 3).Select(i => $"grain-{i}").Order(StringComparer.Ordinal), stored);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
