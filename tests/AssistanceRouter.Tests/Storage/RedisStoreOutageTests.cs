using System.Diagnostics;
using AssistanceRouter.Grains.Storage;

namespace AssistanceRouter.Tests.Storage;

/// <summary>
/// With Redis gone a write on the accept path fails within about a second (so the API answers 503 quickly instead
/// of holding the caller), and the stores work again once Redis is back. A class of its own: it kills its server.
/// </summary>
public sealed class RedisStoreOutageTests(RedisPersistenceFixture fixture) : IClassFixture<RedisPersistenceFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The stores' timeout is one second, StackExchange.Redis's own five: the bound tells them apart and leaves the
    /// rest (the client noticing it) room on a loaded 2-core machine.
    /// </summary>
    private static readonly TimeSpan FailsWithin = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task With_Redis_killed_a_put_fails_within_about_a_second_and_works_again_once_Redis_is_back()
    {
        var channel = $"slack-{Guid.NewGuid():N}";
        await fixture.Queues.PutAsync(channel, [Entry("before")]);
        Assert.Single(await fixture.Queues.ReadAsync(channel, null, 10)); // loads the read script into the server

        fixture.Redis.Stop();
        var failures = new List<TimeSpan>();
        foreach (var write in new Func<Task>[]
        {
            () => fixture.Queues.PutAsync(channel, [Entry("during")]),
            () => fixture.Index.MoveAsync(Guid.NewGuid(), "sales", null, RequestLists.Open, Start),
            () => fixture.Queues.PutAsync(channel, [Entry("during, again")]),
        })
        {
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<Exception>(write);
            failures.Add(clock.Elapsed);
        }
        Assert.All(failures, took => Assert.True(took < FailsWithin, $"a write took {took.TotalMilliseconds:0} ms to fail: {string.Join(", ", failures.Select(f => $"{f.TotalMilliseconds:0} ms"))}"));

        // A new server on the same port, empty (it persisted nothing): the connection comes back by itself.
        await fixture.Redis.RestartAsync();
        await Eventually.Succeeds(() => fixture.Queues.PutAsync(channel, [Entry("after")]), "a write to the restarted server", TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(200));
        // The new server has never seen the read script: the client loads it again.
        Assert.Equal(["after"], (await fixture.Queues.ReadAsync(channel, null, 10)).Select(e => e.Id));
        Assert.Equal(1, (await fixture.Queues.StatsAsync(channel)).Count);
    }

    private static StoredNotice Entry(string id) => new(id, Start, Start, [1, 2, 3]);
}
