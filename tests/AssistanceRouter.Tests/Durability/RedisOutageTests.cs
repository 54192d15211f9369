using System.Net;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Durability;

/// <summary>While Redis does not answer the API says so (503, retry) instead of failing with a 500 or accepting what it cannot store.</summary>
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class RedisOutageTests : IAsyncLifetime
{
    private RedisServer redis = null!;
    private ApiFactory api = null!;
    private LoopbackReceiver slack = null!;

    public async Task InitializeAsync()
    {
        redis = await RedisServer.StartAsync();
        slack = await LoopbackReceiver.StartAsync();
        api = new ApiFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString + ",connectTimeout=500,syncTimeout=1000,asyncTimeout=1000",
            ["Orleans:ClusterId"] = $"outage-{Guid.NewGuid():N}",
            ["Orleans:AdvertisedIPAddress"] = "127.0.0.1",
            ["SLACK_WEBHOOK_URL"] = slack.Url.ToString(),
            ["Channels:Slack:RatePerSecond"] = "100",
        });
        _ = api.Server;
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await slack.DisposeAsync();
        await redis.DisposeAsync();
    }

    [Fact]
    public async Task A_request_during_a_Redis_blip_gets_503_and_the_same_request_succeeds_after_it()
    {
        var (before, _) = await api.SubmitAsync("sales", "before the outage");
        Assert.Equal(HttpStatusCode.Accepted, before.StatusCode);

        await redis.PauseAsync();
        var key = Guid.NewGuid().ToString();
        var (during, _) = await api.SubmitAsync("sales", "during the outage", key);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.True(during.Headers.RetryAfter is not null, "a 503 should say when to retry");
        Assert.Contains("Retry", (await Problems.ReadAsync(during)).Detail);

        await redis.ResumeAsync();
        var accepted = await Eventually.Until<AssistanceRequestView?>(async () =>
        {
            var (after, view) = await api.SubmitAsync("sales", "during the outage", key);
            if (after.StatusCode != HttpStatusCode.Accepted) Assert.Equal(HttpStatusCode.ServiceUnavailable, after.StatusCode);
            return view;
        }, view => view is not null, "the API to accept again after Redis came back", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
        await api.WaitForAsync(accepted!.Id, r => r.Status == RequestStatus.Delivered, TimeSpan.FromSeconds(60));
    }
}
