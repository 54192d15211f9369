using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Storage;
using Orleans.Storage;

namespace AssistanceRouter.Tests.Storage;

/// <summary>
/// What a request's transitions rely on from the request-record store, on every provider: the record, its list moves
/// and its queue changes are stored in one write, whole or not at all, and a write checks the ETag the record was read
/// with (none: the record must not exist yet).
/// </summary>
public abstract class RequestStoreBehaviourTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : PersistenceFixture
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    private static GrainId NewRequest(out Guid id)
    {
        id = Guid.NewGuid();
        return GrainId.Create("assistancerequest", id.ToString("N"));
    }

    private static AssistanceRequestState State(string description) => new() { Topic = "sales", Description = description, CreatedAt = At };

    private static StoredNotice Notice(string id) => new(id, At, At, [1, 2, 3]);

    private async Task<string[]> Queued(string channel) => [.. (await fixture.Queues.ReadAsync(channel, null, 100)).Select(n => n.Id)];

    private async Task<Guid[]> Listed(string list) => (await fixture.Index.PageAsync(list, "sales", newestFirst: false, 0, 100)).RequestIds;

    [Fact]
    public async Task A_write_stores_the_record_its_list_moves_and_its_queue_changes_together()
    {
        var grain = NewRequest(out var id);
        var channel = $"c-{Guid.NewGuid():N}";
        var accept = new RequestWrite();
        accept.Move("sales", null, RequestLists.Open, At);
        accept.Put(channel, Notice("n1"));
        accept.Put(channel, Notice("n2"));
        var etag = await fixture.Requests.WriteAsync(grain, State("accepted"), null, accept);

        Assert.Equal(["n1", "n2"], await Queued(channel));
        Assert.Contains(id, await Listed(RequestLists.Open));

        var take = new RequestWrite();
        take.Move("sales", RequestLists.Open, RequestLists.Acknowledged, At.AddMinutes(1));
        take.Remove(channel, "n1");
        var next = await fixture.Requests.WriteAsync(grain, State("taken"), etag, take);

        var read = await fixture.Requests.ReadAsync(grain);
        Assert.Equal("taken", read!.State.Description);
        Assert.Equal(next, read.ETag);
        Assert.NotEqual(etag, next);
        Assert.Equal(["n2"], await Queued(channel));
        Assert.DoesNotContain(id, await Listed(RequestLists.Open));
        Assert.Contains(id, await Listed(RequestLists.Acknowledged));
    }

    [Fact]
    public async Task A_first_write_of_a_record_that_exists_stores_nothing_of_its_change()
    {
        var grain = NewRequest(out var id);
        await fixture.Requests.WriteAsync(grain, State("first"), null, new RequestWrite());
        var channel = $"c-{Guid.NewGuid():N}";
        var second = new RequestWrite();
        second.Move("sales", null, RequestLists.Failed, At);
        second.Put(channel, Notice("n1"));

        await Assert.ThrowsAsync<InconsistentStateException>(() => fixture.Requests.WriteAsync(grain, State("second"), null, second));

        Assert.Equal("first", (await fixture.Requests.ReadAsync(grain))!.State.Description);
        Assert.Empty(await Queued(channel));
        Assert.DoesNotContain(id, await Listed(RequestLists.Failed));
    }

    [Fact]
    public async Task A_write_with_a_stale_ETag_stores_nothing_of_its_change()
    {
        var grain = NewRequest(out var id);
        var first = await fixture.Requests.WriteAsync(grain, State("first"), null, new RequestWrite());
        await fixture.Requests.WriteAsync(grain, State("second"), first, new RequestWrite());
        var channel = $"c-{Guid.NewGuid():N}";
        var stale = new RequestWrite();
        stale.Move("sales", null, RequestLists.Resolved, At);
        stale.Put(channel, Notice("n1"));

        await Assert.ThrowsAsync<InconsistentStateException>(() => fixture.Requests.WriteAsync(grain, State("stale"), first, stale));

        Assert.Equal("second", (await fixture.Requests.ReadAsync(grain))!.State.Description);
        Assert.Empty(await Queued(channel));
        Assert.DoesNotContain(id, await Listed(RequestLists.Resolved));
    }

    [Fact]
    public async Task Reading_a_record_never_written_finds_none()
    {
        Assert.Null(await fixture.Requests.ReadAsync(NewRequest(out _)));
    }
}

/// <summary>
/// The durable providers keep request records where Orleans' grain storage keeps grain state: records an earlier version
/// wrote through grain storage read here, and what is written here reads there (a silo of either version reads both).
/// </summary>
public abstract class RequestStoreBesideGrainStorageTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : PersistenceFixture
{
    private static GrainId NewRequest() => GrainId.Create("assistancerequest", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_record_grain_storage_wrote_reads_here_and_is_written_over_at_its_ETag()
    {
        var grain = NewRequest();
        var written = new GrainState<AssistanceRequestState>(new AssistanceRequestState { Topic = "sales", Description = "from main" });
        await fixture.Storage.WriteStateAsync(IRequestStore.StateName, grain, written);

        var read = await fixture.Requests.ReadAsync(grain);
        Assert.Equal("from main", read!.State.Description);
        Assert.Equal(written.ETag, read.ETag);
        read.State.Description = "from here";
        await fixture.Requests.WriteAsync(grain, read.State, read.ETag, new RequestWrite());

        var again = new GrainState<AssistanceRequestState>();
        await fixture.Storage.ReadStateAsync(IRequestStore.StateName, grain, again);
        Assert.Equal("from here", again.State!.Description);
        await Assert.ThrowsAsync<InconsistentStateException>(() => fixture.Storage.WriteStateAsync(IRequestStore.StateName, grain, written));
    }
}

public sealed class SqliteRequestStoreTests(SqlitePersistenceFixture fixture) : RequestStoreBehaviourTests<SqlitePersistenceFixture>(fixture);

public sealed class RedisRequestStoreTests(RedisPersistenceFixture fixture) : RequestStoreBehaviourTests<RedisPersistenceFixture>(fixture);

public sealed class MemoryRequestStoreTests(MemoryPersistenceFixture fixture) : RequestStoreBehaviourTests<MemoryPersistenceFixture>(fixture);

public sealed class SqliteRequestStoreBesideGrainStorageTests(SqlitePersistenceFixture fixture) : RequestStoreBesideGrainStorageTests<SqlitePersistenceFixture>(fixture);

public sealed class RedisRequestStoreBesideGrainStorageTests(RedisPersistenceFixture fixture) : RequestStoreBesideGrainStorageTests<RedisPersistenceFixture>(fixture);
