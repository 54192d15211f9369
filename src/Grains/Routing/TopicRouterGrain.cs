using AssistanceRouter.Grains.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Grains.Routing;

[GenerateSerializer]
public sealed class RoutingTableState
{
    [Id(0)] public Dictionary<string, string[]> Topics { get; set; } = [];
}

public sealed class TopicRouterGrain(
    [PersistentState("routing")] IPersistentState<RoutingTableState> table,
    IOptions<RoutingOptions> options,
    IConfiguration configuration,
    ChannelCatalog channels) : Grain, ITopicRouterGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (table.RecordExists) return;
        table.State.Topics = options.Value.InitialTopics(configuration)
            .ToDictionary(t => TopicNames.Normalize(t.Key), t => t.Value.Select(ChannelCatalog.Normalize).ToArray());
        await table.WriteStateAsync(cancellationToken);
    }

    public Task<TopicRoute[]> GetRoutes() => Task.FromResult(
        table.State.Topics.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new TopicRoute(t.Key, t.Value)).ToArray());

    public Task<RouteLookup> Resolve(string topic)
    {
        var channels = table.State.Topics.GetValueOrDefault(TopicNames.Normalize(topic));
        if (channels is null && options.Value.Fallback is { Length: > 0 } fallback)
            channels = [ChannelCatalog.Normalize(fallback)];
        return Task.FromResult(new RouteLookup(channels, [.. table.State.Topics.Keys.Order(StringComparer.Ordinal)]));
    }

    public async Task<SetRouteResult> SetRoute(string topic, string[] routeChannels)
    {
        var normalized = routeChannels.Select(ChannelCatalog.Normalize).Distinct().ToArray();
        var unknown = normalized.Where(c => channels.Find(c) is null).ToArray();
        if (unknown.Length > 0 || normalized.Length == 0)
            return new SetRouteResult(null, unknown, [.. channels.Names.Order(StringComparer.Ordinal)]);
        var key = TopicNames.Normalize(topic);
        table.State.Topics[key] = normalized;
        await table.WriteStateAsync();
        return new SetRouteResult(new TopicRoute(key, normalized), [], [.. channels.Names.Order(StringComparer.Ordinal)]);
    }

    public async Task<bool> RemoveRoute(string topic)
    {
        if (!table.State.Topics.Remove(TopicNames.Normalize(topic))) return false;
        await table.WriteStateAsync();
        return true;
    }

    public Task<string[]> GetChannelNames() => Task.FromResult(channels.Names.Order(StringComparer.Ordinal).ToArray());
}
