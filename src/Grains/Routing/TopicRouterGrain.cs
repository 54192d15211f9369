using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Escalation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace AssistanceRouter.Grains.Routing;

public sealed class TopicRouterGrain(
    [PersistentState("routing")] IPersistentState<RoutingTableState> table,
    IOptions<RoutingOptions> options,
    IConfiguration configuration,
    ChannelCatalog channels,
    ILogger<TopicRouterGrain> logger) : Grain, ITopicRouterGrain
{
    /// <summary>Caches subscribe again every minute; one that stops (its node died) is forgotten after this.</summary>
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(3);

    private readonly ObserverManager<IRoutingObserver> observers = new(SubscriptionLifetime, logger);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (table.RecordExists) return;
        table.State.Topics = options.Value.InitialTopics(configuration)
            .ToDictionary(t => TopicNames.Normalize(t.Key), t => t.Value.Select(ChannelCatalog.Normalize).ToArray());
        foreach (var (topic, settings) in options.Value.Escalation)
        {
            var policy = Normalize(settings.ToPolicy());
            var problem = policy.Problem() ?? (UnknownChannels(policy) is { Length: > 0 } unknown ? "unknown channels " + string.Join(", ", unknown) : null);
            if (problem is not null)
                throw new InvalidOperationException($"Routing:Escalation:{topic} is not a valid escalation policy: {problem}.");
            table.State.Escalations[TopicNames.Normalize(topic)] = policy;
        }
        table.State.Version = 1;
        await table.WriteStateAsync(cancellationToken);
    }

    public Task<RoutingSnapshot> GetSnapshot() => Task.FromResult(Snapshot());

    public Task Subscribe(IRoutingObserver observer)
    {
        observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public async Task<SetRouteResult> SetRoute(string topic, string[] routeChannels, EscalationPolicy? escalation = null)
    {
        var normalized = routeChannels.Select(ChannelCatalog.Normalize).Distinct().ToArray();
        var policy = escalation is null ? null : Normalize(escalation);
        var unknown = normalized.Where(c => channels.Find(c) is null).Concat(policy is null ? [] : UnknownChannels(policy)).Distinct().ToArray();
        if (unknown.Length > 0 || normalized.Length == 0)
            return new SetRouteResult(null, unknown, KnownChannels());
        var name = TopicNames.Normalize(topic);
        RoutingTableFullException.ThrowIfFull(table.State.Topics, name, options.Value.MaxTopics);
        table.State.Topics[name] = normalized;
        if (policy is null) table.State.Escalations.Remove(name); else table.State.Escalations[name] = policy;
        return new SetRouteResult(await Changed(), [], KnownChannels());
    }

    public async Task<RoutingSnapshot?> RemoveRoute(string topic)
    {
        var name = TopicNames.Normalize(topic);
        if (!table.State.Topics.Remove(name)) return null;
        table.State.Escalations.Remove(name);
        return await Changed();
    }

    private static EscalationPolicy Normalize(EscalationPolicy policy) =>
        policy with { Steps = [.. policy.Steps.Select(s => s with { Channels = [.. s.Channels.Select(ChannelCatalog.Normalize).Distinct()] })] };

    private string[] UnknownChannels(EscalationPolicy policy) =>
        [.. policy.Steps.SelectMany(s => s.Channels).Where(c => channels.Find(c) is null).Distinct()];

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
        [.. table.State.Topics.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new TopicRoute(t.Key, t.Value, table.State.Escalations.GetValueOrDefault(t.Key)))],
        options.Value.Fallback is { Length: > 0 } fallback ? ChannelCatalog.Normalize(fallback) : null,
        KnownChannels());

    private string[] KnownChannels() => [.. channels.Names.Order(StringComparer.Ordinal)];
}
