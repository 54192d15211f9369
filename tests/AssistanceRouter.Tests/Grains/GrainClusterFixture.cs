using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Escalation;
using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace AssistanceRouter.Tests.Grains;

/// <summary>A real in-process cluster (TestingHost) with the product's grains and memory persistence.</summary>
public class GrainClusterFixture(IDictionary<string, string?> settings) : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(settings));
        builder.ConfigureSilo((_, silo) => silo.AddAssistanceRouterGrains().AddAssistanceRouterMemoryPersistence());
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await WaitForRemindersAsync(Cluster.Client);
    }

    /// <summary>
    /// Orleans' reminder service can refuse registrations for a moment after a silo starts ("not currently
    /// available"): a request with an escalation step is accepted once before the tests run, so none of them meets it.
    /// </summary>
    public static Task WaitForRemindersAsync(IClusterClient client)
    {
        var policy = new EscalationPolicy([new EscalationStep(TimeSpan.FromHours(1), ["console"])]);
        return Eventually.Succeeds(async () =>
        {
            var probe = client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());
            await probe.Submit(new NewAssistanceRequest("probe", "reminder service probe", ["console"], null, Escalation: policy));
            await probe.Resolve("fixture", null);
        }, "Orleans' reminder service to take a registration", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>The default routes, a fallback to the console channel, and Slack left unconfigured so deliveries to it wait.</summary>
public sealed class RoutingClusterFixture() : GrainClusterFixture(new Dictionary<string, string?>
{
    ["SLACK_WEBHOOK_URL"] = "",
    ["Routing:Fallback"] = "console",
});

/// <summary>A channel that sends once every 100 s to an address where nobody listens: a backlog that never drains.</summary>
public sealed class BacklogClusterFixture() : GrainClusterFixture(new Dictionary<string, string?>
{
    ["Channels:Slowlane:Kind"] = "Webhook",
    ["Channels:Slowlane:Url"] = $"http://127.0.0.1:{FreePort.Next()}/nobody",
    ["Channels:Slowlane:RatePerSecond"] = "0.01",
    ["Channels:Slowlane:Burst"] = "1",
});
