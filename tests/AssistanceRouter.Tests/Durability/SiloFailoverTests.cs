using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Tests.Infrastructure;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace AssistanceRouter.Tests.Durability;

/// <summary>Two silos on real Redis (state and reminders); the one holding the pending work dies.</summary>
[Collection(RunsAlone.Name)]
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class SiloFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RedisServer redis = null!;
    private InProcessTestCluster cluster = null!;
    private readonly int receiverPort = FreePort.Next(); // Slack is down until the test brings it up

    public async Task InitializeAsync()
    {
        redis = await RedisServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["SLACK_WEBHOOK_URL"] = $"http://127.0.0.1:{receiverPort}/hook",
            ["Channels:Slack:RatePerSecond"] = "500",
            ["Channels:Slack:Burst"] = "50",
            ["Delivery:InitialBackoff"] = "00:00:00.100",
            ["Delivery:MaxBackoff"] = "00:00:00.500",
        };
        cluster = await FailoverCluster.DeployAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        await redis.DisposeAsync();
    }

    [Fact]
    public async Task Killing_the_silo_that_holds_the_pending_work_loses_nothing()
    {
        const int count = 40;
        var primary = (InProcessSiloHandle)cluster.Silos[0];
        var doomed = (InProcessSiloHandle)cluster.Silos[1];
        var slackChannel = cluster.Client.GetGrain<IChannelGrain>("slack");
        await slackChannel.GetView();
        // Migrating a grain to the silo it is already on never completes: move it only when it is elsewhere.
        if (!(cluster.TryGetGrainContext(slackChannel.GetGrainId(), out var current) && Equals(current?.Address.SiloAddress, doomed.SiloAddress)))
            await cluster.MigrateAsync(slackChannel, doomed.SiloAddress).WaitAsync(TimeSpan.FromMinutes(1));

        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var id in ids)
        {
            var result = await cluster.Client.GetGrain<IAssistanceRequestGrain>(id).Submit(new NewAssistanceRequest("sales", $"failover {id}", ["slack"], null));
            Assert.Equal(SubmissionOutcome.Created, result.Outcome);
        }
        Assert.True(cluster.TryGetGrainContext(slackChannel.GetGrainId(), out var context) && Equals(context?.Address.SiloAddress, doomed.SiloAddress),
            "the channel grain, and its queue, should live on the silo about to die");
        var onDoomed = ids.Count(id => cluster.TryGetGrainContext(cluster.Client.GetGrain<IAssistanceRequestGrain>(id).GetGrainId(), out var c)
            && Equals(c?.Address.SiloAddress, doomed.SiloAddress));

        await cluster.KillSiloAsync(doomed).WaitAsync(TimeSpan.FromMinutes(1));
        await using var slack = await LoopbackReceiver.StartAsync(receiverPort);

        await slack.WaitForRequestsAsync(count, TimeSpan.FromSeconds(90));
        foreach (var id in ids)
            await Eventually.Until(async () => (await cluster.Client.GetGrain<IAssistanceRequestGrain>(id).Get())!.Status, status => status == RequestStatus.Delivered,
                $"request {id} to be delivered", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
        var perRequest = ids.Select(id => slack.Requests.Count(r => r.Body.Contains(id.ToString()))).ToArray();
        Assert.All(perRequest, n => Assert.True(n >= 1));
        Assert.True(primary.IsActive);
        output.WriteLine($"accepted {count} ({onDoomed} on the killed silo), lost 0, duplicated {perRequest.Sum() - count}");
    }
}
