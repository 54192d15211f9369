using System.Net.Http.Json;
using System.Text.Json;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Inbox;

/// <summary>
/// The change feed across a real cluster on Redis: two API nodes each with its own silo, and an API node in client
/// mode (no silo of its own). Requests whose grains live on either silo reach every node's stream and inbox.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class InboxClusterTests : IAsyncLifetime
{
    private RedisServer redis = null!;
    private ApiFactory first = null!, second = null!, client = null!;

    public async Task InitializeAsync()
    {
        redis = await RedisServer.StartAsync();
        var cluster = $"inbox-{Guid.NewGuid():N}";
        Dictionary<string, string?> Settings() => new()
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Orleans:ClusterId"] = cluster,
            ["Orleans:AdvertisedIPAddress"] = "127.0.0.1",
            ["Routing:Topics:sales:0"] = "console",
        };
        first = new ApiFactory(Settings());
        _ = first.Server;
        second = new ApiFactory(Settings());
        _ = second.Server;
        var clientSettings = Settings();
        clientSettings["Orleans:Mode"] = "Client";
        client = new ApiFactory(clientSettings);
        _ = client.Server;
    }

    public async Task DisposeAsync()
    {
        await client.DisposeAsync();
        await second.DisposeAsync();
        await first.DisposeAsync();
        await redis.DisposeAsync();
    }

    [Fact]
    public async Task Requests_on_either_silo_reach_the_stream_and_the_inbox_of_every_node_client_mode_too()
    {
        using var http = client.CreateClient();
        using var embedded = first.CreateClient();
        await using var clientStream = await EventStream.OpenAsync(http, "/inbox/events");
        await using var embeddedStream = await EventStream.OpenAsync(embedded, "/inbox/events");

        // Enough requests that both silos hold some of their grains (placement is random), submitted through both.
        var ids = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            var (_, request) = await (i % 2 == 0 ? first : second).SubmitAsync("sales", $"cluster request {i}");
            ids.Add(request!.Id);
        }

        foreach (var stream in new[] { clientStream, embeddedStream })
        {
            var pending = ids.ToHashSet();
            while (pending.Count > 0)
                pending.Remove((await stream.NextAsync(e => e.Type == "accepted" && pending.Contains(e.RequestId), $"{pending.Count} more acceptances")).RequestId);
        }
        var inbox = await Eventually.Until(() => http.GetFromJsonAsync<JsonElement>("/inbox/requests?q=cluster request"),
            s => s.GetProperty("open").GetProperty("total").GetInt32() == ids.Count, "the client-mode node's inbox to list them all");
        Assert.Equal(ids.Order(), inbox.GetProperty("open").GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).Order());

        // A take through one node is heard on the other.
        Assert.True((await second.CreateClient().PostAsJsonAsync($"/assistance-requests/{ids[3]}/acknowledge", new { by = "Kim" })).IsSuccessStatusCode);
        await clientStream.NextAsync(e => e.Type == "acknowledged" && e.RequestId == ids[3], "the acknowledgement on the client-mode node");
    }
}
