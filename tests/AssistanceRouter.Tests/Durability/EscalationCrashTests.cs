using System.Net;
using System.Net.Http.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AssistanceRouter.Tests.Durability;

/// <summary>
/// A request holds no reminder: its next escalation step waits in its first channel's stored schedule. Killed -9 before
/// the steps are due, the node comes back and every step fires, at its time or (if the node was still down then) as it
/// comes back: never early, never lost, each once.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class EscalationCrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StepAfter = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("redis")]
    public async Task Steps_due_after_a_kill_9_fire_once_each_never_early(string storage)
    {
        const int count = 10;
        await using var redis = storage == "redis" ? await RedisServer.StartAsync(durable: true) : null;
        await using var a = await LoopbackReceiver.StartAsync();
        await using var b = await LoopbackReceiver.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["Channels__A__Kind"] = "Webhook",
            ["Channels__A__Url"] = a.Url.ToString(),
            ["Channels__B__Kind"] = "Webhook",
            ["Channels__B__Url"] = b.Url.ToString(),
            ["Routing__Topics__urgent__0"] = "a",
            ["Routing__Escalation__urgent__Steps__0__After"] = StepAfter.ToString(),
            ["Routing__Escalation__urgent__Steps__0__Channels__0"] = "b",
        };
        if (redis is not null)
        {
            settings["ConnectionStrings__Redis"] = redis.ConnectionString;
            settings["Orleans__ClusterId"] = $"steps-{Guid.NewGuid():N}";
            settings["Orleans__AdvertisedIPAddress"] = "127.0.0.1";
        }
        await using var product = new NodeProcess(settings);
        await product.StartAsync();

        var requests = new List<AssistanceRequestView>();
        for (var i = 0; i < count; i++)
        {
            var response = await product.Http.PostAsJsonAsync("/assistance-requests", new { topic = "urgent", description = $"escalate after a crash {i}" });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            requests.Add((await response.Content.ReadFromJsonAsync<AssistanceRequestView>(ApiFactory.Json))!);
        }
        // Killed at a quiet moment: every first notice delivered and recorded, every step still to come.
        foreach (var request in requests)
            await Eventually.Until(() => product.Http.GetFromJsonAsync<AssistanceRequestView>($"/assistance-requests/{request.Id}", ApiFactory.Json),
                view => view!.Status == RequestStatus.Delivered, $"request {request.Id} delivered to A", TimeSpan.FromSeconds(30));
        var killedAt = DateTimeOffset.UtcNow;
        product.Kill();
        Assert.True(killedAt < requests.Min(r => r.CreatedAt) + StepAfter, "the node should die before the first step is due (the machine was too slow to test it)");

        await product.StartAsync();
        var readyAt = DateTimeOffset.UtcNow;

        await b.WaitForRequestsAsync(count, TimeSpan.FromSeconds(60));
        foreach (var request in requests)
        {
            var view = await Eventually.Until(() => product.Http.GetFromJsonAsync<AssistanceRequestView>($"/assistance-requests/{request.Id}", ApiFactory.Json),
                v => v!.Escalation!.Step == 1 && v.Deliveries.All(d => d.Status == DeliveryStatus.Delivered), $"request {request.Id} escalated and delivered to B");
            var ran = Assert.Single(view!.History, h => h.Event == HistoryEvents.Escalated).At;
            var due = request.CreatedAt + StepAfter;
            Assert.True(ran >= due - TimeSpan.FromMilliseconds(1), $"step ran at {ran:O}, before it was due at {due:O}");
            Assert.True(ran <= (due > readyAt ? due : readyAt) + TimeSpan.FromSeconds(20), $"step ran at {ran:O}: due {due:O}, node back at {readyAt:O}");
        }
        var atB = requests.Select(r => b.Requests.Count(n => n.Body.Contains(r.Id.ToString()))).ToArray();
        Assert.All(atB, n => Assert.Equal(1, n));
        output.WriteLine($"{storage}: {count} steps, killed {(requests.Min(r => r.CreatedAt) + StepAfter - killedAt).TotalSeconds:0.0} s before the first was due, back {(readyAt - killedAt).TotalSeconds:0.0} s later");
    }
}
