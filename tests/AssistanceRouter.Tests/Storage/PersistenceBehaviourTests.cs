using AssistanceRouter.Grains.Routing;
using Orleans.Storage;

namespace AssistanceRouter.Tests.Storage;

/// <summary>
/// What the product relies on from grain storage and the reminder table, run against each provider it ships:
/// SQLite (the embedded node) and Redis (the cluster) must behave the same.
/// </summary>
public abstract class PersistenceBehaviourTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : PersistenceFixture
{
    private const string StateName = "routing";

    private static GrainId NewGrain() => GrainId.Create("behaviour-probe", Guid.NewGuid().ToString("N"));

    private static GrainState<RoutingTableState> State(params string[] topics) =>
        new(new RoutingTableState { Topics = topics.ToDictionary(t => t, t => new[] { "slack" }) });

    [Fact]
    public async Task Reading_what_was_never_written_finds_no_record()
    {
        var read = State();
        await fixture.Storage.ReadStateAsync(StateName, NewGrain(), read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Empty(read.State!.Topics);
    }

    [Fact]
    public async Task What_is_written_is_read_back_with_an_ETag_that_changes_on_every_write()
    {
        var grain = NewGrain();
        var written = State("sales");
        await fixture.Storage.WriteStateAsync(StateName, grain, written);
        var firstETag = written.ETag;
        written.State!.Topics["pricing"] = ["email"];
        await fixture.Storage.WriteStateAsync(StateName, grain, written);

        var read = State();
        await fixture.Storage.ReadStateAsync(StateName, grain, read);

        Assert.True(read.RecordExists);
        Assert.NotNull(firstETag);
        Assert.NotEqual(firstETag, written.ETag);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(["pricing", "sales"], read.State!.Topics.Keys.Order());
    }

    [Fact]
    public async Task A_write_with_a_stale_ETag_is_refused()
    {
        var grain = NewGrain();
        var first = State("sales");
        await fixture.Storage.WriteStateAsync(StateName, grain, first);
        var second = State();
        await fixture.Storage.ReadStateAsync(StateName, grain, second);
        await fixture.Storage.WriteStateAsync(StateName, grain, second);

        await Assert.ThrowsAsync<InconsistentStateException>(() => fixture.Storage.WriteStateAsync(StateName, grain, first));
    }

    [Fact]
    public async Task Creating_a_record_that_another_writer_created_first_is_refused()
    {
        var grain = NewGrain();
        await fixture.Storage.WriteStateAsync(StateName, grain, State("sales"));

        await Assert.ThrowsAsync<InconsistentStateException>(() => fixture.Storage.WriteStateAsync(StateName, grain, State("pricing")));
    }

    [Fact]
    public async Task Concurrent_writes_all_land_and_a_stale_one_among_them_fails_alone()
    {
        // SQLite commits concurrent writes together: one refused write must not undo the others in its group.
        var stale = NewGrain();
        var staleState = State("sales");
        await fixture.Storage.WriteStateAsync(StateName, stale, staleState);
        await fixture.Storage.WriteStateAsync(StateName, stale, await Read(stale)); // staleState's ETag is now behind
        var grains = Enumerable.Range(0, 200).Select(_ => NewGrain()).ToArray();

        var writes = grains.Select(g => fixture.Storage.WriteStateAsync(StateName, g, State(g.Key.ToString()!))).ToList();
        var refused = fixture.Storage.WriteStateAsync(StateName, stale, staleState);
        await Task.WhenAll(writes);

        await Assert.ThrowsAsync<InconsistentStateException>(() => refused);
        foreach (var grain in grains)
        {
            var read = await Read(grain);
            Assert.True(read.RecordExists);
            Assert.Equal([grain.Key.ToString()!], read.State!.Topics.Keys);
        }
    }

    private async Task<GrainState<RoutingTableState>> Read(GrainId grain)
    {
        var read = State();
        await fixture.Storage.ReadStateAsync(StateName, grain, read);
        return read;
    }

    [Fact]
    public async Task A_cleared_record_is_gone()
    {
        var grain = NewGrain();
        var state = State("sales");
        await fixture.Storage.WriteStateAsync(StateName, grain, state);
        await fixture.Storage.ClearStateAsync(StateName, grain, state);

        var read = State();
        await fixture.Storage.ReadStateAsync(StateName, grain, read);
        Assert.False(read.RecordExists);
    }

    [Fact]
    public async Task Different_state_names_of_one_grain_are_kept_apart()
    {
        var grain = NewGrain();
        await fixture.Storage.WriteStateAsync("one", grain, State("sales"));
        await fixture.Storage.WriteStateAsync("two", grain, State("pricing"));

        var one = State();
        await fixture.Storage.ReadStateAsync("one", grain, one);
        Assert.Equal(["sales"], one.State!.Topics.Keys);
    }

    [Fact]
    public async Task A_reminder_is_kept_updated_and_removed_only_with_its_current_ETag()
    {
        var grain = NewGrain();
        var start = new DateTime(2026, 11, 26, 10, 0, 0, DateTimeKind.Utc);
        var first = await fixture.Reminders.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "r", StartAt = start, Period = TimeSpan.FromMinutes(1) });
        var second = await fixture.Reminders.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "r", StartAt = start, Period = TimeSpan.FromMinutes(2) });

        var row = await fixture.Reminders.ReadRow(grain, "r");
        Assert.NotNull(row);
        Assert.Equal(TimeSpan.FromMinutes(2), row.Period);
        Assert.Equal(start, row.StartAt.ToUniversalTime());
        Assert.Equal(second, row.ETag);
        Assert.NotEqual(first, second);
        Assert.Single((await fixture.Reminders.ReadRows(grain)).Reminders);

        Assert.False(await fixture.Reminders.RemoveRow(grain, "r", first!));
        Assert.True(await fixture.Reminders.RemoveRow(grain, "r", second!));
        Assert.Null(await fixture.Reminders.ReadRow(grain, "r"));
    }

    [Fact]
    public async Task Reminders_are_read_by_hash_range_including_a_range_that_wraps_around_the_ring()
    {
        var grains = Enumerable.Range(0, 40).Select(_ => NewGrain()).ToArray();
        foreach (var grain in grains)
            await fixture.Reminders.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "r", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(1) });
        var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToArray();
        var (low, high) = (hashes[10], hashes[30]);

        var inside = (await fixture.Reminders.ReadRows(low, high)).Reminders.Select(r => r.GrainId).Where(grains.Contains).ToArray();
        var wrapped = (await fixture.Reminders.ReadRows(high, low)).Reminders.Select(r => r.GrainId).Where(grains.Contains).ToArray();

        Assert.Equal(grains.Where(g => g.GetUniformHashCode() > low && g.GetUniformHashCode() <= high).ToHashSet(), inside.ToHashSet());
        Assert.Equal(grains.Where(g => g.GetUniformHashCode() > high || g.GetUniformHashCode() <= low).ToHashSet(), wrapped.ToHashSet());
        Assert.Equal(40, inside.Length + wrapped.Length);
    }
}

public sealed class SqlitePersistenceTests(SqlitePersistenceFixture fixture) : PersistenceBehaviourTests<SqlitePersistenceFixture>(fixture);

public sealed class RedisPersistenceTests(RedisPersistenceFixture fixture) : PersistenceBehaviourTests<RedisPersistenceFixture>(fixture);
