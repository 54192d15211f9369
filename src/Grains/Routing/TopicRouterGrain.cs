using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace AssistanceRouter.Grains.Routing;

[GenerateSerializer]
public sealed class RoutingTableState
{
    [Id(0)] public Dictionary<string, string[]> Topics { get; set; } = [];
    [Id(1)] public long Version { get; set; }
}

public sealed class TopicRouterGrain(
    [PersistentState("routing")] IPersistentState<RoutingTableState> table,
    IOptions<RoutingOptions> options,
    IConfiguration configuration,
    ChannelCatalog channels,
    DeliveryMetrics metrics,
    ILogger<TopicRouterGrain> logger) : Grain, ITopicRouterGrain, IIncomingGrainCallFilter
{
    /// <summary>Caches subscribe again every minute; one that stops (its node died) is forgotten after this.</summary>
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(3);

    private readonly ObserverManager<IRoutingObserver> observers = new(SubscriptionLifetime, logger);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (table.RecordExists) return;
        table.State.Topics = options.Value.InitialTopics(configuration)
            .ToDictionary(t => TopicNames.Normalize(t.Key), t => t.Value.Select(ChannelCatalog.Normalize).ToArray());
        table.State.Version = 1;
        await table.WriteStateAsync(cancellationToken);
    }

    /// <summary>Counts every call, so that a benchmark can show requests do not need this grain.</summary>
    public Task Invoke(IIncomingGrainCallContext context)
    {
        metrics.RouterCalled();
        return context.Invoke();
    }

    public Task<RoutingSnapshot> GetSnapshot() => Task.FromResult(Snapshot());

    public Task Subscribe(IRoutingObserver observer)
    {
        observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public async Task<SetRouteResult> SetRoute(string topic, string[] routeChannels)
    {
        var normalized = routeChannels.Select(ChannelCatalog.Normalize).Distinct().ToArray();
        var unknown = normalized.Where(c => channels.Find(c) is null).ToArray();
        if (unknown.Length > 0 || normalized.Length == 0)
            return new SetRouteResult(null, unknown, KnownChannels());
        table.State.Topics[TopicNames.Normalize(topic)] = normalized;
        return new SetRouteResult(await Changed(), [], KnownChannels());
    }

    public async Task<RoutingSnapshot?> RemoveRoute(string topic) =>
        table.State.Topics.Remove(TopicNames.Normalize(topic)) ? await Changed() : null;

    private async Task<RoutingSnapshot> Changed()
    {
        table.State.Version++;
        await table.WriteStateAsync();
        var snapshot = Snapshot();
        observers.Notify(o => o.RoutesChanged(snapshot));
        return snapshot;
    }

    private RoutingSnapshot Snapshot() => new(
        table.State.Version,
        [.. table.State.Topics.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new TopicRoute(t.Key, t.Value))],
        options.Value.Fallback is { Length: > 0 } fallback ? ChannelCatalog.Normalize(fallback) : null,
        KnownChannels());

    private string[] KnownChannels() => [.. channels.Names.Order(StringComparer.Ordinal)];
}
