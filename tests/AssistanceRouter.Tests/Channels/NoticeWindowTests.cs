using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Storage;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Serialization;

namespace AssistanceRouter.Tests.Channels;

/// <summary>
/// The in-memory window of a channel's stored queue, without a silo: over the tests' memory store (the durable stores'
/// order and millisecond times), with the product's serializer for the payloads, on a fake clock.
/// </summary>
public sealed class NoticeWindowTests
{
    private const string Channel = "slack";
    private const int PageSize = 3;
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-26T10:00:00Z");
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    private readonly FakeTimeProvider time = new(Start);
    private readonly GatedStore store = new();
    private readonly HashSet<string> inFlight = [];
    private readonly NoticeWindow window;

    public NoticeWindowTests() =>
        window = new NoticeWindow(store, Channel, payload => Serializer.Deserialize<Notice>(payload)!, inFlight.Contains, time, PageSize);

    private static HeldNotice Held(string id, double dueSeconds, string description = "help", bool recovered = false)
    {
        var notice = new Notice(id, Guid.Empty, NoticeKind.Request, "sales", description, Start, null, Start);
        return new HeldNotice(new StoredNotice(id, Start.AddSeconds(dueSeconds), Start, Serializer.SerializeToArray(notice)), notice, recovered);
    }

    /// <summary>Stores the notices, as the grain does before it places them.</summary>
    private async Task<HeldNotice[]> Stored(params HeldNotice[] notices)
    {
        await store.PutAsync(Channel, [.. notices.Select(n => n.Stored)]);
        return notices;
    }

    private string[] Drain()
    {
        var ids = new List<string>();
        while (window.FirstDue is not null) ids.Add(window.TakeFirst().Notice.Id);
        return [.. ids];
    }

    [Fact]
    public async Task Reads_the_stored_queue_a_page_at_a_time_in_due_order()
    {
        await Stored([.. Enumerable.Range(0, 7).Select(i => Held($"n{i}", dueSeconds: 7 - i))]);

        await window.LoadNextPageAsync();

        Assert.Equal(3, window.Count);
        Assert.False(window.EverythingLoaded);
        Assert.Equal(Start.AddSeconds(1), window.FirstDue);
        var first = window.TakeFirst();
        Assert.Equal(("n6", "help", true), (first.Notice.Id, first.Notice.Description, first.Recovered));
        Assert.Equal(["n5", "n4"], Drain());
        await window.LoadNextPageAsync();
        Assert.Equal(["n3", "n2", "n1"], Drain());
        await window.LoadNextPageAsync();
        Assert.Equal(["n0"], Drain());
        Assert.True(window.EverythingLoaded);
    }

    [Fact]
    public async Task A_notice_due_after_the_window_stays_in_the_store_until_its_page_is_read()
    {
        await Stored([.. Enumerable.Range(0, 4).Select(i => Held($"n{i}", dueSeconds: i))]);
        await window.LoadNextPageAsync(); // n0, n1, n2: the window ends at n2

        var (early, late) = (Held("early", 1.5), Held("late", 10));
        window.Place((await Stored(early))[0]);
        window.Place((await Stored(late))[0]);

        Assert.Equal(["n0", "n1", "early", "n2"], Drain());
        await window.LoadNextPageAsync();
        Assert.Equal(["n3", "late"], Drain());
        Assert.True(window.EverythingLoaded);
    }

    [Fact]
    public async Task Once_everything_is_loaded_a_new_notice_is_held_however_late_it_is_due()
    {
        await window.LoadNextPageAsync(); // an empty queue: everything is loaded

        window.Place((await Stored(Held("late", 3600)))[0]);

        Assert.Equal(1, window.Count);
        Assert.Equal(Start.AddHours(1), window.FirstDue);
    }

    [Fact]
    public async Task A_backlog_past_twice_a_page_is_trimmed_back_to_a_page_and_its_tail_read_again_later()
    {
        await window.LoadNextPageAsync();

        foreach (var notice in await Stored([.. Enumerable.Range(0, 2 * PageSize + 1).Select(i => Held($"n{i}", dueSeconds: i))]))
            window.Place(notice);

        Assert.Equal(PageSize, window.Count);
        Assert.False(window.EverythingLoaded);
        Assert.Equal(["n0", "n1", "n2"], Drain());
        await window.LoadNextPageAsync();
        Assert.Equal(["n3", "n4", "n5"], Drain());
        await window.LoadNextPageAsync();
        Assert.Equal(["n6"], Drain());
    }

    [Fact]
    public async Task A_notice_changed_while_a_page_loads_keeps_its_newer_version()
    {
        await Stored(Held("a", 1, "old text"), Held("b", 2));
        store.Hold();

        var loading = window.LoadNextPageAsync(); // reads the old copy of a, then waits
        await store.ReadTaken;
        Assert.True(window.IsLoading);
        var rescheduled = Held("a", 5, "new text");
        window.Place((await Stored(rescheduled))[0]);
        store.Release();
        await loading;

        Assert.False(window.IsLoading);
        var first = window.TakeFirst();
        Assert.Equal("b", first.Notice.Id);
        var second = window.TakeFirst();
        Assert.Equal(("a", "new text", Start.AddSeconds(5), false), (second.Notice.Id, second.Notice.Description, second.Stored.Due, second.Recovered));
        Assert.Null(window.FirstDue);
    }

    [Fact]
    public async Task A_notice_cancelled_while_a_page_loads_is_not_brought_back_by_it()
    {
        await Stored(Held("a", 1), Held("b", 2));
        store.Hold();

        var loading = window.LoadNextPageAsync();
        await store.ReadTaken;
        window.Remove("a");
        await store.RemoveAsync(Channel, ["a"]);
        store.Release();
        await loading;

        Assert.Equal(["b"], Drain());
    }

    [Fact]
    public async Task A_notice_sent_and_forgotten_while_a_page_loads_is_not_brought_back_by_it()
    {
        await Stored(Held("a", 1));
        inFlight.Add("a"); // being attempted: the page read must leave it to its attempt
        store.Hold();

        var loading = window.LoadNextPageAsync();
        await store.ReadTaken;
        await store.RemoveAsync(Channel, ["a"]);
        window.MarkRemoved("a");
        inFlight.Remove("a");
        store.Release();
        await loading;

        Assert.Equal(0, window.Count);
        Assert.True(window.EverythingLoaded);
    }

    [Fact]
    public async Task A_page_leaves_notices_in_flight_to_their_attempts()
    {
        await Stored(Held("a", 1), Held("b", 2));
        inFlight.Add("a");

        await window.LoadNextPageAsync();
        window.Place(Held("a", 0.5)); // placed while in flight: its attempt decides

        Assert.Equal(["b"], Drain());
    }

    [Fact]
    public async Task Only_one_page_loads_at_a_time()
    {
        await Stored(Held("a", 1));
        store.Hold();

        var loading = window.LoadNextPageAsync();
        await store.ReadTaken;
        await window.LoadNextPageAsync(); // returns at once: a read is under way
        store.Release();
        await loading;

        Assert.Equal(1, store.Reads);
        Assert.Equal(["a"], Drain());
    }

    [Fact]
    public async Task A_failed_read_throws_sets_when_to_read_again_and_keeps_what_changed_meanwhile()
    {
        store.Fail = true;
        store.Hold();

        var loading = window.LoadNextPageAsync();
        await store.ReadTaken;
        await window.LoadNextPageAsync(); // still loading: nothing happens
        window.Place((await Stored(Held("a", 1)))[0]);
        store.Release();

        await Assert.ThrowsAsync<IOException>(() => loading);
        Assert.Equal(Start + NoticeWindow.ReadRetryDelay, window.NextLoadAt);
        Assert.False(window.IsLoading);
        Assert.False(window.EverythingLoaded);
        Assert.Equal(0, window.Count); // outside a window that has not loaded anything yet: it waits for its page
        store.Fail = false;
        await window.LoadNextPageAsync();
        Assert.Equal(["a"], Drain());
    }

    /// <summary>The memory store, whose reads can be held after they have read (so that changes race the page) or fail.</summary>
    private sealed class GatedStore : IChannelQueueStore
    {
        private readonly MemoryChannelQueueStore inner = new();
        private TaskCompletionSource? gate;
        private TaskCompletionSource readTaken = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Fail { get; set; }

        public int Reads { get; private set; }

        /// <summary>Completes once a held read has read its page.</summary>
        public Task ReadTaken => readTaken.Task;

        public void Hold()
        {
            gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            readTaken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public void Release() => gate?.SetResult();

        public async Task<IReadOnlyList<StoredNotice>> ReadAsync(string channel, QueuePosition? after, int take)
        {
            Reads++;
            var page = await inner.ReadAsync(channel, after, take);
            readTaken.TrySetResult();
            if (gate is { } held) await held.Task;
            return Fail ? throw new IOException("the store is away") : page;
        }

        public Task PutAsync(string channel, IReadOnlyCollection<StoredNotice> notices) => inner.PutAsync(channel, notices);

        public Task RemoveAsync(string channel, IReadOnlyCollection<string> noticeIds) => inner.RemoveAsync(channel, noticeIds);

        public Task<QueueStats> StatsAsync(string channel) => inner.StatsAsync(channel);
    }
}
