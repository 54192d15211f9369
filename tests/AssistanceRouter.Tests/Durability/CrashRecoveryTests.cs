using System.Net;
using System.Net.Http.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AssistanceRouter.Tests.Durability;

/// <summary>Whatever was answered 202 is delivered, even when the process is killed -9 with the work pending.</summary>
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    /// <param name="storage"><c>sqlite</c>: the default single node, nothing installed; <c>redis</c>: the cluster's storage.</param>
    /// <param name="redisCrashesToo">
    /// Redis is killed -9 as well, persisting as <c>docker-compose.yml</c> runs it (append-only file, fsync always).
    /// </param>
    [Theory]
    [InlineData("sqlite", false)]
    [InlineData("redis", false)]
    [InlineData("redis", true)]
    public async Task Requests_pending_when_the_process_is_killed_are_all_delivered_after_a_restart(string storage, bool redisCrashesToo)
    {
        const int count = 50;
        await using var redis = storage == "redis" ? await RedisServer.StartAsync(durable: redisCrashesToo) : null;
        var receiverPort = FreePort.Next(); // nothing listens yet: Slack is down
        var settings = new Dictionary<string, string>
        {
            ["SLACK_WEBHOOK_URL"] = $"http://127.0.0.1:{receiverPort}/hook",
            ["Channels__Slack__RatePerSecond"] = "200",
            ["Channels__Slack__Burst"] = "50",
            ["Delivery__InitialBackoff"] = "00:00:00.200",
            ["Delivery__MaxBackoff"] = "00:00:01",
        };
        if (redis is not null)
        {
            settings["ConnectionStrings__Redis"] = redis.ConnectionString;
            settings["Orleans__ClusterId"] = $"crash-{Guid.NewGuid():N}";
            settings["Orleans__AdvertisedIPAddress"] = "127.0.0.1";
        }
        await using var product = new NodeProcess(settings); // the SQLite file goes to ./data in its own working directory
        await product.StartAsync();

        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var response = await product.Http.PostAsJsonAsync("/assistance-requests", new { topic = "sales", description = $"crash test {i}" });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add((await response.Content.ReadFromJsonAsync<AssistanceRequestView>(ApiFactory.Json))!.Id);
        }
        product.Kill();
        if (redisCrashesToo)
        {
            redis!.Stop();
            await redis.RestartAsync();
        }

        await using var slack = await LoopbackReceiver.StartAsync(receiverPort);
        await product.StartAsync();

        var received = await slack.WaitForRequestsAsync(count, TimeSpan.FromSeconds(60));
        foreach (var id in ids)
            await Eventually.Until(async () => (await product.Http.GetFromJsonAsync<AssistanceRequestView>($"/assistance-requests/{id}", ApiFactory.Json))!,
                view => view.Status == RequestStatus.Delivered, $"request {id} to be delivered", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100),
                view => $"{view.Status}:\n{product.Output}");
        var perRequest = ids.ToDictionary(id => id, id => slack.Requests.Count(r => r.Body.Contains(id.ToString())));
        Assert.All(perRequest, p => Assert.True(p.Value >= 1, $"request {p.Key} never reached Slack"));
        output.WriteLine($"{storage}{(redisCrashesToo ? " (Redis killed too)" : "")}: accepted {count}, lost {perRequest.Count(p => p.Value == 0)}, duplicated {perRequest.Values.Sum() - count}");
    }
}
