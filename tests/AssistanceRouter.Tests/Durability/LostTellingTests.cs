using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Grains.Storage;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace AssistanceRouter.Tests.Durability;

/// <summary>
/// A request stores its notices with its record in one write, then tells their channel (<see cref="IChannelGrain.Admit"/>).
/// Should the telling be lost (a crash or a timeout between the two), the request is still accepted, and the channel
/// finds the notice in its store at its next wake, asks the request, and sends it.
/// </summary>
public sealed class LostTellingTests : IAsyncLifetime
{
    private readonly AdmitsLost lost = new();
    private LoopbackReceiver receiver = null!;
    private InProcessTestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        receiver = await LoopbackReceiver.StartAsync();
        var settings = new Dictionary<string, string?> { ["Channels:A:Kind"] = "Webhook", ["Channels:A:Url"] = receiver.Url.ToString() };
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(settings));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddAssistanceRouterGrains().AddAssistanceRouterMemoryPersistence();
            silo.Services.AddSingleton(lost);
            silo.Services.AddSingleton<IIncomingGrainCallFilter>(lost);
        });
        cluster = builder.Build();
        await cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_notice_stored_but_never_told_to_its_active_channel_goes_at_the_channels_next_wake()
    {
        var channel = cluster.Client.GetGrain<IChannelGrain>("a");
        await channel.GetView(); // active, its (empty) queue read: only a wake reads it again
        var grain = cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());

        lost.Dropping = true;
        var result = await grain.Submit(new NewAssistanceRequest("sales", "told to nobody", ["a"], null));
        lost.Dropping = false;

        Assert.Equal(SubmissionOutcome.Created, result.Outcome); // stored whole: the 202 holds
        Assert.Equal(1, lost.Dropped);
        var stored = await cluster.GetSiloServiceProvider().GetRequiredService<IChannelQueueStore>().ReadAsync("a", null, 10);
        Assert.Contains(stored, n => n.Id == grain.GetPrimaryKey().ToString("N"));
        Assert.Equal(DeliveryStatus.Pending, (await grain.Get())!.Deliveries.Single().Status);

        await channel.Wake();

        await receiver.WaitForRequestsAsync(1);
        await Eventually.Until(async () => (await grain.Get())!.Status, status => status == RequestStatus.Delivered, "the request to be delivered");
        Assert.Single(receiver.Requests, r => r.Body.Contains(grain.GetPrimaryKey().ToString()));
    }

    /// <summary>Drops every <see cref="IChannelGrain.Admit"/> while <see cref="Dropping"/> is set, as a lost call would.</summary>
    private sealed class AdmitsLost : IIncomingGrainCallFilter
    {
        public volatile bool Dropping;
        private int dropped;

        public int Dropped => dropped;

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (Dropping && context.InterfaceMethod?.Name == nameof(IChannelGrain.Admit))
            {
                Interlocked.Increment(ref dropped);
                throw new TimeoutException("the call to the channel was lost");
            }
            return context.Invoke();
        }
    }
}
