using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Escalation;
using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Tests.Infrastructure;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace AssistanceRouter.Tests.Durability;

/// <summary>
/// Two silos on real Redis; the one holding the channel whose schedule keeps the coming escalation steps dies before
/// they are due. The channel comes back on the other silo (woken when the death is declared, or by its reminder) and
/// every step fires there, none early.
/// </summary>
[Collection(RunsAlone.Name)]
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class EscalationFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan StepAfter = TimeSpan.FromSeconds(10);

    private RedisServer redis = null!;
    private LoopbackReceiver a = null!;
    private LoopbackReceiver b = null!;
    private InProcessTestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        redis = await RedisServer.StartAsync();
        a = await LoopbackReceiver.StartAsync();
        b = await LoopbackReceiver.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Channels:A:Kind"] = "Webhook",
            ["Channels:A:Url"] = a.Url.ToString(),
            ["Channels:B:Kind"] = "Webhook",
            ["Channels:B:Url"] = b.Url.ToString(),
        };
        cluster = await FailoverCluster.DeployAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        await redis.DisposeAsync();
        await a.DisposeAsync();
        await b.DisposeAsync();
    }

    [Fact]
    public async Task Killing_the_silo_that_holds_the_schedule_loses_no_step()
    {
        const int count = 10;
        var primary = (InProcessSiloHandle)cluster.Silos[0];
        var doomed = (InProcessSiloHandle)cluster.Silos[1];
        var channel = cluster.Client.GetGrain<IChannelGrain>("a");
        await channel.GetView();
        // Migrating a grain to the silo it is already on never completes: move it only when it is elsewhere.
        if (!(cluster.TryGetGrainContext(channel.GetGrainId(), out var current) && Equals(current?.Address.SiloAddress, doomed.SiloAddress)))
            await cluster.MigrateAsync(channel, doomed.SiloAddress).WaitAsync(TimeSpan.FromMinutes(1));

        var policy = new EscalationPolicy([new EscalationStep(StepAfter, ["b"])]);
        var grains = Enumerable.Range(0, count).Select(_ => cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid())).ToArray();
        var created = new Dictionary<Guid, DateTimeOffset>();
        foreach (var grain in grains)
        {
            var result = await grain.Submit(new NewAssistanceRequest("urgent", $"failover {grain.GetPrimaryKey()}", ["a"], null, Escalation: policy));
            Assert.Equal(SubmissionOutcome.Created, result.Outcome);
            created[grain.GetPrimaryKey()] = result.Request!.CreatedAt;
        }
        await a.WaitForRequestsAsync(count);
        Assert.True(cluster.TryGetGrainContext(channel.GetGrainId(), out var context) && Equals(context?.Address.SiloAddress, doomed.SiloAddress),
            "the channel grain, and the schedule it fires, should live on the silo about to die");

        await cluster.KillSiloAsync(doomed).WaitAsync(TimeSpan.FromMinutes(1));
        var killedAt = DateTimeOffset.UtcNow;
        Assert.True(killedAt < created.Values.Min() + StepAfter, "the silo should die before the first step is due (the machine was too slow to test it)");

        await b.WaitForRequestsAsync(count, TimeSpan.FromSeconds(90));
        foreach (var grain in grains)
        {
            var view = await Eventually.Until(async () => (await grain.Get())!, v => v.Escalation!.Step == 1, $"request {grain.GetPrimaryKey()} escalated", TimeSpan.FromSeconds(30));
            var ran = Assert.Single(view.History, h => h.Event == HistoryEvents.Escalated).At;
            Assert.True(ran >= created[grain.GetPrimaryKey()] + StepAfter - TimeSpan.FromMilliseconds(1), $"step ran at {ran:O}, before it was due");
        }
        Assert.All(grains, g => Assert.True(b.Requests.Count(r => r.Body.Contains(g.GetPrimaryKey().ToString())) >= 1));
        Assert.True(primary.IsActive);
        output.WriteLine($"{count} steps due {(created.Values.Min() + StepAfter - killedAt).TotalSeconds:0.0} s after the kill, all fired on the other silo");
    }
}
