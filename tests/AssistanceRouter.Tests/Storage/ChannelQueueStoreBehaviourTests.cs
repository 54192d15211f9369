using System.Text;
using AssistanceRouter.Grains.Storage;

namespace AssistanceRouter.Tests.Storage;

/// <summary>
/// What a channel grain relies on from its durable queue, run against each store: SQLite (the embedded node), Redis
/// (the cluster) and memory (tests on memory storage) must keep the same entries in the same order.
/// </summary>
public abstract class ChannelQueueStoreBehaviourTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : PersistenceFixture
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    private IChannelQueueStore Queues => fixture.Queues;

    /// <summary>Each test has channels of its own, since the fixture's store outlives it.</summary>
    private static string NewChannel(string name = "slack") => $"{name}-{Guid.NewGuid():N}";

    private static StoredNotice Entry(string id, double dueSeconds, double enqueuedSeconds = 0, string? text = null) =>
        new(id, At(dueSeconds), At(enqueuedSeconds), Encoding.UTF8.GetBytes(text ?? $"payload of {id}"));

    private static DateTimeOffset At(double seconds) => Start.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));

    private static string[] Ids(IEnumerable<StoredNotice> entries) => [.. entries.Select(e => e.Id)];

    [Fact]
    public async Task Entries_are_read_back_in_due_order_with_their_times_to_the_millisecond_and_payloads()
    {
        var channel = NewChannel();
        var late = new StoredNotice("late", Start.AddMilliseconds(3_000).AddTicks(1_234), Start.AddMilliseconds(500).AddTicks(9_999), [0, 1, 2, 255]);
        await Queues.PutAsync(channel, [Entry("middle", 2), late, Entry("first", 1)]);

        var read = await Queues.ReadAsync(channel, null, 10);

        Assert.Equal(["first", "middle", "late"], Ids(read));
        var stored = read[2];
        Assert.Equal(Start.AddMilliseconds(3_000), stored.Due);
        Assert.Equal(Start.AddMilliseconds(500), stored.EnqueuedAt);
        Assert.Equal(TimeSpan.Zero, stored.Due.Offset);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, stored.Payload);
        Assert.Equal("payload of first", Encoding.UTF8.GetString(read[0].Payload));
        Assert.Equal(["first"], Ids(await Queues.ReadAsync(channel, null, 1)));
        Assert.Empty(await Queues.ReadAsync(channel, null, 0));
    }

    [Fact]
    public async Task Putting_an_id_that_is_there_reschedules_it_and_keeps_one_entry()
    {
        var channel = NewChannel();
        await Queues.PutAsync(channel, [Entry("a", 1), Entry("b", 2), Entry("c", 3)]);

        await Queues.PutAsync(channel, [Entry("a", 5, enqueuedSeconds: 0, text: "retry 2")]);

        var read = await Queues.ReadAsync(channel, null, 10);
        Assert.Equal(["b", "c", "a"], Ids(read));
        Assert.Equal(At(5), read[2].Due);
        Assert.Equal("retry 2", Encoding.UTF8.GetString(read[2].Payload));
        Assert.Equal(3, (await Queues.StatsAsync(channel)).Count);

        await Queues.PutAsync(channel, [Entry("c", 0.5)]); // earlier, too
        Assert.Equal(["c", "b", "a"], Ids(await Queues.ReadAsync(channel, null, 10)));
    }

    [Fact]
    public async Task Entries_due_in_the_same_millisecond_are_ordered_by_id()
    {
        var channel = NewChannel();
        // Sub-millisecond differences do not count: the store keeps milliseconds, then orders by id.
        string[] ids = ["b", "aa", "A", "a", "\uFF01", "\U0001F6A8", "é", "a-1", "_"];
        await Queues.PutAsync(channel, [.. ids.Select((id, i) => new StoredNotice(id, Start.AddTicks(ids.Length - i), Start, [1]))]);
        await Queues.PutAsync(channel, [Entry("before", -0.001), Entry("after", 0.001)]);

        var read = await Queues.ReadAsync(channel, null, 20);

        // Code point order, which is the order of UTF-8 bytes: U+1F6A8 after U+FF01 (UTF-16 ordinal would say before).
        Assert.Equal(["before", "A", "_", "a", "a-1", "aa", "b", "é", "\uFF01", "\U0001F6A8", "after"], Ids(read));
        Assert.Equal(Ids(read), Ids(read.OrderBy(e => e.Position)));
    }

    [Fact]
    public async Task Reading_after_a_position_pages_through_2500_entries_with_none_missed_or_repeated()
    {
        var channel = NewChannel();
        // 1,200 due in one millisecond (a burst accepted together), the rest spread over a few, some sharing theirs.
        var entries = Enumerable.Range(0, 2_500)
            .Select(i => Entry($"{i * 7919 % 2_500:D5}", i < 1_200 ? 60 : 60 + (i % 40) * 0.001 + 0.001))
            .ToList();
        foreach (var batch in entries.Chunk(250)) await Queues.PutAsync(channel, batch);
        var expected = Ids(entries.OrderBy(e => e.Position));

        var pages = new List<IReadOnlyList<StoredNotice>>();
        QueuePosition? after = null;
        while (true)
        {
            var page = await Queues.ReadAsync(channel, after, 1_000);
            if (page.Count == 0) break;
            pages.Add(page);
            after = page[^1].Position;
            Assert.True(pages.Count <= 3, "more pages than entries");
        }

        Assert.Equal([1_000, 1_000, 500], pages.Select(p => p.Count));
        Assert.Equal(expected, pages.SelectMany(Ids));
    }

    [Fact]
    public async Task Reading_after_a_position_that_is_no_longer_stored_starts_right_after_it()
    {
        // The grain sends the last entry it loaded and removes it before it loads the next page.
        var channel = NewChannel();
        var entries = Enumerable.Range(0, 600).Select(i => Entry($"id-{i:D4}", i < 500 ? 1 : 2)).ToList();
        await Queues.PutAsync(channel, entries);
        var first = await Queues.ReadAsync(channel, null, 250);
        await Queues.RemoveAsync(channel, [.. Ids(first)]);

        var next = await Queues.ReadAsync(channel, first[^1].Position, 300);
        Assert.Equal(Ids(entries.Skip(250).Take(300)), Ids(next));

        // A position between stored ids, and one later than all of them.
        var between = await Queues.ReadAsync(channel, new QueuePosition(At(1), "id-0399z"), 2);
        Assert.Equal(["id-0400", "id-0401"], Ids(between));
        Assert.Equal(["id-0500"], Ids(await Queues.ReadAsync(channel, new QueuePosition(At(1.5), "zzz"), 1)));
        Assert.Empty(await Queues.ReadAsync(channel, new QueuePosition(At(2), "id-0599"), 10));
        Assert.Empty(await Queues.ReadAsync(NewChannel(), new QueuePosition(Start, "x"), 10));
    }

    [Fact]
    public async Task Removing_ids_that_are_not_there_is_harmless()
    {
        var channel = NewChannel();
        await Queues.RemoveAsync(channel, ["never-stored"]);
        await Queues.PutAsync(channel, [Entry("a", 1), Entry("b", 2)]);

        await Queues.RemoveAsync(channel, ["never-stored", "a", "a"]);
        await Queues.RemoveAsync(channel, ["a"]);
        await Queues.RemoveAsync(channel, []);
        await Queues.PutAsync(channel, []);

        Assert.Equal(["b"], Ids(await Queues.ReadAsync(channel, null, 10)));
        Assert.Equal(1, (await Queues.StatsAsync(channel)).Count);
    }

    [Fact]
    public async Task Stats_count_the_entries_and_give_the_oldest_enqueue_time_as_entries_come_and_go()
    {
        var channel = NewChannel();
        Assert.Equal(new QueueStats(0, null), await Queues.StatsAsync(channel));

        // Due order is the reverse of enqueue order: the oldest is not the first due.
        await Queues.PutAsync(channel, [Entry("x", 30, enqueuedSeconds: 1), Entry("y", 20, enqueuedSeconds: 2), Entry("z", 10, enqueuedSeconds: 3)]);
        Assert.Equal(new QueueStats(3, At(1)), await Queues.StatsAsync(channel));

        await Queues.PutAsync(channel, [Entry("y", 40, enqueuedSeconds: 2)]);
        Assert.Equal(new QueueStats(3, At(1)), await Queues.StatsAsync(channel));

        await Queues.RemoveAsync(channel, ["x"]);
        Assert.Equal(new QueueStats(2, At(2)), await Queues.StatsAsync(channel));

        await Queues.RemoveAsync(channel, ["y", "z"]);
        Assert.Equal(new QueueStats(0, null), await Queues.StatsAsync(channel));
    }

    [Fact]
    public async Task Channels_do_not_see_each_others_entries_even_with_names_that_naive_keys_would_mix_up()
    {
        var prefix = NewChannel("");
        string[] names = ["a:b", "a", "b", "a/b", "a:b:due", "a/due", "a%2Fb", "a b", "", "{a}", "Ä"];
        foreach (var name in names) await Queues.PutAsync(prefix + name, [Entry("same-id", 1, text: name), Entry($"only-{name}", 2, text: name)]);
        await Queues.RemoveAsync(prefix + "a", ["same-id"]);

        foreach (var name in names)
        {
            var read = await Queues.ReadAsync(prefix + name, null, 10);
            Assert.Equal(name == "a" ? [$"only-{name}"] : ["same-id", $"only-{name}"], Ids(read));
            Assert.All(read, e => Assert.Equal(name, Encoding.UTF8.GetString(e.Payload)));
            Assert.Equal(read.Count, (await Queues.StatsAsync(prefix + name)).Count);
        }
    }

    [Fact]
    public async Task Two_hundred_concurrent_puts_from_many_tasks_all_land()
    {
        var channel = NewChannel();
        var puts = Enumerable.Range(0, 200)
            .Select(i => Task.Run(() => Queues.PutAsync(channel, [Entry($"{i:D3}", i % 7, enqueuedSeconds: i)])))
            .ToArray();
        await Task.WhenAll(puts);

        Assert.Equal(new QueueStats(200, Start), await Queues.StatsAsync(channel));
        var read = await Queues.ReadAsync(channel, null, 1_000);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"{i:D3}").Order(StringComparer.Ordinal), Ids(read).Order(StringComparer.Ordinal));
        Assert.Equal(Ids(read.OrderBy(e => e.Position)), Ids(read));
    }
}

public sealed class SqliteChannelQueueStoreTests(SqlitePersistenceFixture fixture) : ChannelQueueStoreBehaviourTests<SqlitePersistenceFixture>(fixture);

public sealed class RedisChannelQueueStoreTests(RedisPersistenceFixture fixture) : ChannelQueueStoreBehaviourTests<RedisPersistenceFixture>(fixture);

public sealed class MemoryChannelQueueStoreTests(MemoryPersistenceFixture fixture) : ChannelQueueStoreBehaviourTests<MemoryPersistenceFixture>(fixture);
