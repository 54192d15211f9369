using AssistanceRouter.Grains.Storage;

namespace AssistanceRouter.Tests.Storage;

/// <summary>
/// What the request grains and the list endpoints rely on from the request lists, run against each store: SQLite,
/// Redis and memory must list the same requests in the same order with the same totals.
/// </summary>
public abstract class RequestIndexBehaviourTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : PersistenceFixture
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    private IRequestIndex Index => fixture.Index;

    /// <summary>Each test has lists of its own, since the fixture's store outlives it.</summary>
    private static (string Open, string Acknowledged, string Resolved, string Failed) NewLists()
    {
        var test = Guid.NewGuid().ToString("N");
        return ($"{RequestLists.Open}-{test}", $"{RequestLists.Acknowledged}-{test}", $"{RequestLists.Resolved}-{test}", $"{RequestLists.Failed}-{test}");
    }

    [Fact]
    public async Task Moving_from_open_to_acknowledged_takes_the_request_out_of_open()
    {
        var lists = NewLists();
        var request = Guid.CreateVersion7();
        await Index.MoveAsync(request, "sales", null, lists.Open, Start);
        Assert.Equal([request], (await Index.PageAsync(lists.Open, null, false, 0, 10)).RequestIds);

        await Index.MoveAsync(request, "sales", lists.Open, lists.Acknowledged, Start.AddMinutes(1));

        AssertPage([], 0, await Index.PageAsync(lists.Open, null, false, 0, 10));
        Assert.Equal(0, await Index.CountAsync(lists.Open, "sales"));
        Assert.Equal([request], (await Index.PageAsync(lists.Acknowledged, "sales", false, 0, 10)).RequestIds);

        // Back (unacknowledged), then on to resolved; failed is a list of its own beside them.
        await Index.MoveAsync(request, "sales", null, lists.Failed, Start.AddMinutes(2));
        await Index.MoveAsync(request, "sales", lists.Acknowledged, lists.Open, Start.AddMinutes(3));
        await Index.MoveAsync(request, "sales", lists.Open, lists.Resolved, Start.AddMinutes(4));
        Assert.Equal(new long[] { 0, 0, 1, 1 }, await Counts(lists.Open, lists.Acknowledged, lists.Resolved, lists.Failed));
    }

    [Fact]
    public async Task Lists_read_oldest_first_or_newest_first_with_equal_times_in_id_order()
    {
        var lists = NewLists();
        var requests = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToArray();
        // Two pairs share a millisecond; ids are random, so their order there is the order of their text.
        int[] milliseconds = [40, 10, 30, 10, 20, 30];
        for (var i = 0; i < requests.Length; i++)
            await Index.MoveAsync(requests[i], "sales", null, lists.Open, Start.AddMilliseconds(milliseconds[i]).AddTicks(i));
        var oldestFirst = requests.Select((id, i) => (id, at: milliseconds[i]))
            .OrderBy(r => r.at).ThenBy(r => r.id.ToString(), StringComparer.Ordinal).Select(r => r.id).ToArray();

        Assert.Equal(oldestFirst, (await Index.PageAsync(lists.Open, null, newestFirst: false, 0, 10)).RequestIds);
        Assert.Equal(Enumerable.Reverse(oldestFirst), (await Index.PageAsync(lists.Open, null, newestFirst: true, 0, 10)).RequestIds);
        Assert.Equal(Enumerable.Reverse(oldestFirst), (await Index.PageAsync(lists.Open, "sales", newestFirst: true, 0, 10)).RequestIds);
    }

    [Fact]
    public async Task Moving_into_a_list_it_is_in_already_replaces_its_time()
    {
        var lists = NewLists();
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await Index.MoveAsync(first, "sales", null, lists.Failed, Start);
        await Index.MoveAsync(second, "sales", null, lists.Failed, Start.AddSeconds(1));

        await Index.MoveAsync(first, "sales", null, lists.Failed, Start.AddSeconds(2));

        AssertPage([first, second], 2, await Index.PageAsync(lists.Failed, "sales", true, 0, 10));
    }

    [Fact]
    public async Task A_topic_filter_lists_and_totals_only_that_topic()
    {
        var lists = NewLists();
        var sales = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();
        var pricing = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
        var at = Start;
        foreach (var (request, topic) in sales.Select(r => (r, "sales")).Concat(pricing.Select(r => (r, "pricing"))).OrderBy(_ => Random.Shared.Next()))
            await Index.MoveAsync(request, topic, null, lists.Open, at = at.AddSeconds(1));

        var salesPage = await Index.PageAsync(lists.Open, "sales", false, 0, 100);
        var pricingPage = await Index.PageAsync(lists.Open, "pricing", false, 1, 100);
        var all = await Index.PageAsync(lists.Open, null, false, 0, 100);

        Assert.Equal(sales.ToHashSet(), salesPage.RequestIds.ToHashSet());
        Assert.Equal(5, salesPage.Total);
        Assert.Equal(2, pricingPage.RequestIds.Length);
        Assert.Equal(3, pricingPage.Total);
        Assert.Equal(8, all.Total);
        Assert.Equal(all.RequestIds.Where(sales.Contains), salesPage.RequestIds);
        AssertPage([], 0, await Index.PageAsync(lists.Open, "nobody", false, 0, 10));
    }

    [Fact]
    public async Task Pages_by_skip_and_take_cover_the_list_once_and_carry_its_total()
    {
        var lists = NewLists();
        var requests = Enumerable.Range(0, 25).Select(_ => Guid.CreateVersion7()).ToArray();
        for (var i = 0; i < requests.Length; i++) await Index.MoveAsync(requests[i], i % 2 == 0 ? "sales" : "pricing", null, lists.Open, Start.AddSeconds(i));

        var pages = new[] { 0, 10, 20, 30 }.Select(skip => Index.PageAsync(lists.Open, null, false, skip, 10)).ToArray();
        await Task.WhenAll(pages);

        Assert.Equal([10, 10, 5, 0], pages.Select(p => p.Result.RequestIds.Length));
        Assert.All(pages, p => Assert.Equal(25, p.Result.Total));
        Assert.Equal(requests, pages.SelectMany(p => p.Result.RequestIds));
        Assert.Equal(Enumerable.Reverse(requests).Skip(20), (await Index.PageAsync(lists.Open, null, true, 20, 10)).RequestIds);
        AssertPage([], 25, await Index.PageAsync(lists.Open, null, false, 0, 0));
        Assert.Equal(requests.Where((_, i) => i % 2 == 0).Skip(3).Take(4), (await Index.PageAsync(lists.Open, "sales", false, 3, 4)).RequestIds);
    }

    [Fact]
    public async Task Counts_are_kept_per_list_and_per_topic()
    {
        var lists = NewLists();
        var requests = Enumerable.Range(0, 9).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var (request, i) in requests.Select((r, i) => (r, i)))
            await Index.MoveAsync(request, i < 6 ? "sales" : "pricing", null, lists.Open, Start.AddSeconds(i));
        await Index.MoveAsync(requests[0], "sales", lists.Open, lists.Acknowledged, Start.AddMinutes(1));
        await Index.MoveAsync(requests[6], "pricing", lists.Open, lists.Acknowledged, Start.AddMinutes(1));
        await Index.RemoveAsync(lists.Open, requests[1], "sales");

        Assert.Equal(6, await Index.CountAsync(lists.Open, null));
        Assert.Equal(4, await Index.CountAsync(lists.Open, "sales"));
        Assert.Equal(2, await Index.CountAsync(lists.Open, "pricing"));
        Assert.Equal(2, await Index.CountAsync(lists.Acknowledged, null));
        Assert.Equal(1, await Index.CountAsync(lists.Acknowledged, "pricing"));
        Assert.Equal(0, await Index.CountAsync(lists.Resolved, null));
        Assert.Equal(0, await Index.CountAsync(lists.Resolved, "sales"));
    }

    [Fact]
    public async Task Removing_or_moving_what_is_not_there_is_harmless()
    {
        var lists = NewLists();
        var (stored, absent) = (Guid.NewGuid(), Guid.NewGuid());
        await Index.RemoveAsync(lists.Open, absent, "sales"); // a list that never held anything
        await Index.MoveAsync(stored, "sales", null, lists.Open, Start);

        await Index.RemoveAsync(lists.Open, absent, "sales");
        await Index.RemoveAsync(lists.Acknowledged, stored, "sales");
        await Index.MoveAsync(absent, "sales", lists.Acknowledged, lists.Resolved, Start); // it was never acknowledged

        AssertPage([stored], 1, await Index.PageAsync(lists.Open, "sales", false, 0, 10));
        AssertPage([absent], 1, await Index.PageAsync(lists.Resolved, null, false, 0, 10));
        await Index.RemoveAsync(lists.Open, stored, "sales");
        await Index.RemoveAsync(lists.Open, stored, "sales");
        Assert.Equal(new long[] { 0, 0, 1, 0 }, await Counts(lists.Open, lists.Acknowledged, lists.Resolved, lists.Failed));
        Assert.Equal(0, await Index.CountAsync(lists.Open, "sales"));
    }

    [Fact]
    public async Task Lists_and_topics_are_kept_apart_even_with_names_that_naive_keys_would_mix_up()
    {
        var (open, _, _, _) = NewLists();
        var (inTopic, inOddList, inOddTopic) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await Index.MoveAsync(inTopic, "sales", null, open, Start);
        await Index.MoveAsync(inOddList, "x", null, $"{open}/topic/sales", Start); // a list named like a topic's set
        await Index.MoveAsync(inOddTopic, "sales/topic/x", null, open, Start);
        await Index.MoveAsync(Guid.NewGuid(), "sales", null, $"{open}:sales", Start);

        AssertPage([inTopic], 1, await Index.PageAsync(open, "sales", false, 0, 10));
        AssertPage([inOddTopic], 1, await Index.PageAsync(open, "sales/topic/x", false, 0, 10));
        AssertPage([inOddList], 1, await Index.PageAsync($"{open}/topic/sales", null, false, 0, 10));
        Assert.Equal(0, await Index.CountAsync($"{open}/topic/sales", "sales"));
        Assert.Equal(2, await Index.CountAsync(open, null));
    }

    [Fact]
    public async Task Two_hundred_concurrent_moves_from_many_tasks_all_land()
    {
        var lists = NewLists();
        var requests = Enumerable.Range(0, 200).Select(i => (Id: Guid.NewGuid(), Topic: i % 4 == 0 ? "sales" : "pricing", At: Start.AddSeconds(i))).ToArray();

        await Task.WhenAll(requests.Select(r => Task.Run(() => Index.MoveAsync(r.Id, r.Topic, null, lists.Open, r.At))));
        await Task.WhenAll(requests.Take(50).Select(r => Task.Run(() => Index.MoveAsync(r.Id, r.Topic, lists.Open, lists.Acknowledged, r.At))));

        Assert.Equal(requests.Skip(50).Select(r => r.Id), (await Index.PageAsync(lists.Open, null, false, 0, 1_000)).RequestIds);
        Assert.Equal(150, await Index.CountAsync(lists.Open, null));
        Assert.Equal(37, await Index.CountAsync(lists.Open, "sales"));
        Assert.Equal(50, await Index.CountAsync(lists.Acknowledged, null));
        Assert.Equal(13, await Index.CountAsync(lists.Acknowledged, "sales"));
    }

    private async Task<long[]> Counts(params string[] lists)
    {
        var counts = new long[lists.Length];
        for (var i = 0; i < lists.Length; i++) counts[i] = await Index.CountAsync(lists[i], null);
        return counts;
    }

    private static void AssertPage(Guid[] expected, long total, IndexPage page)
    {
        Assert.Equal(expected, page.RequestIds);
        Assert.Equal(total, page.Total);
    }
}

public sealed class SqliteRequestIndexTests(SqlitePersistenceFixture fixture) : RequestIndexBehaviourTests<SqlitePersistenceFixture>(fixture);

public sealed class RedisRequestIndexTests(RedisPersistenceFixture fixture) : RequestIndexBehaviourTests<RedisPersistenceFixture>(fixture);

public sealed class MemoryRequestIndexTests(MemoryPersistenceFixture fixture) : RequestIndexBehaviourTests<MemoryPersistenceFixture>(fixture);
