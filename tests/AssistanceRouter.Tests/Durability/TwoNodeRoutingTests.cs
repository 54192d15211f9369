using System.Net;
using System.Net.Http.Json;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Durability;

/// <summary>Two API nodes, each with its own silo, in one cluster on Redis: a route changed on one is used by the other.</summary>
public sealed class TwoNodeRoutingTests : IAsyncLifetime
{
    private RedisServer redis = null!;
    private ApiFactory first = null!, second = null!;

    public async Task InitializeAsync()
    {
        redis = await RedisServer.StartAsync();
        var cluster = $"routing-{Guid.NewGuid():N}";
        ApiFactory Node() => new(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Orleans:ClusterId"] = cluster,
            ["Orleans:AdvertisedIPAddress"] = "127.0.0.1",
        });
        first = Node();
        _ = first.Server;
        second = Node();
        _ = second.Server;
    }

    public async Task DisposeAsync()
    {
        await second.DisposeAsync();
        await first.DisposeAsync();
        await redis.DisposeAsync();
    }

    [Fact]
    public async Task A_route_added_or_removed_on_one_node_takes_effect_on_the_other_without_a_restart()
    {
        // The second node has read the table already, so it must be told of the change.
        Assert.Equal(HttpStatusCode.Accepted, (await second.SubmitAsync("sales", "warm the cache")).Response.StatusCode);

        var put = await first.CreateClient().PutAsJsonAsync("/topics/onboarding", new { channels = new[] { "console" } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await Eventually.Until(async () => (await second.SubmitAsync("onboarding", "new topic")).Response.StatusCode, status => status == HttpStatusCode.Accepted,
            "the other node to accept the new topic", TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.NoContent, (await first.CreateClient().DeleteAsync("/topics/onboarding")).StatusCode);
        await Eventually.Until(async () => (await second.SubmitAsync("onboarding", "gone topic")).Response.StatusCode, status => status == HttpStatusCode.BadRequest,
            "the other node to refuse the removed topic", TimeSpan.FromSeconds(10));
    }
}
