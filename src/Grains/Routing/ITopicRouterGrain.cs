using AssistanceRouter.Grains.Escalation;

namespace AssistanceRouter.Grains.Routing;

/// <summary>
/// The routing table, topic to channels: one for the cluster (key 0), persisted, changed at runtime. Requests do
/// not call it: each node keeps a <see cref="RoutingTableCache"/> that it notifies of every change.
/// </summary>
public interface ITopicRouterGrain : IGrainWithIntegerKey
{
    Task<RoutingSnapshot> GetSnapshot();

    /// <summary>Routes a topic; <paramref name="escalation"/> null means the default policy.</summary>
    Task<SetRouteResult> SetRoute(string topic, string[] channels, EscalationPolicy? escalation = null);

    /// <summary>The table after the removal, or null when the topic had no route.</summary>
    Task<RoutingSnapshot?> RemoveRoute(string topic);

    /// <summary>Tells <paramref name="observer"/> of every change for the next few minutes; subscribe again to stay on.</summary>
    Task Subscribe(IRoutingObserver observer);
}

/// <summary>A node's cache, told of each new version of the table.</summary>
public interface IRoutingObserver : IGrainObserver
{
    void RoutesChanged(RoutingSnapshot snapshot);
}

/// <summary>A topic's channels and, when it has one of its own, its escalation policy (else the default applies).</summary>
[GenerateSerializer, Immutable]
public sealed record TopicRoute([property: Id(0)] string Topic, [property: Id(1)] string[] Channels, [property: Id(2)] EscalationPolicy? Escalation = null);

/// <summary>One version of the whole table, with the fallback channel and every channel a route may name.</summary>
[GenerateSerializer, Immutable]
public sealed record RoutingSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] TopicRoute[] Routes,
    [property: Id(2)] string? Fallback,
    [property: Id(3)] string[] Channels)
{
    /// <summary>The channels for a topic: its route, else the fallback channel, else none.</summary>
    public RouteLookup Resolve(string topic)
    {
        var name = TopicNames.Normalize(topic);
        var route = Routes.FirstOrDefault(r => r.Topic == name);
        var channels = route?.Channels ?? (Fallback is null ? null : [Fallback]);
        return new RouteLookup(channels, [.. Routes.Select(r => r.Topic)], route?.Escalation, route is not null);
    }
}

/// <summary>
/// <see cref="Channels"/> is null for an unknown topic with no fallback; <see cref="KnownTopics"/> then helps the caller.
/// <see cref="Escalation"/> is the topic's own policy (null: the default); <see cref="Routed"/> is false for the fallback.
/// </summary>
public sealed record RouteLookup(string[]? Channels, string[] KnownTopics, EscalationPolicy? Escalation = null, bool Routed = false);

[GenerateSerializer, Immutable]
public sealed record SetRouteResult(
    [property: Id(0)] RoutingSnapshot? Snapshot,
    [property: Id(1)] string[] UnknownChannels,
    [property: Id(2)] string[] KnownChannels)
{
    public TopicRoute? Route(string topic) => Snapshot?.Routes.FirstOrDefault(r => r.Topic == TopicNames.Normalize(topic));
}
