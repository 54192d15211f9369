namespace AssistanceRouter.Grains.Routing;

/// <summary>The routing table, topic to channels: one for the cluster (key 0), persisted, changed at runtime.</summary>
public interface ITopicRouterGrain : IGrainWithIntegerKey
{
    Task<TopicRoute[]> GetRoutes();

    /// <summary>The channels for a topic: its route, else the fallback channel, else none.</summary>
    Task<RouteLookup> Resolve(string topic);

    Task<SetRouteResult> SetRoute(string topic, string[] channels);

    Task<bool> RemoveRoute(string topic);

    /// <summary>Every channel a route may name.</summary>
    Task<string[]> GetChannelNames();
}

[GenerateSerializer, Immutable]
public sealed record TopicRoute([property: Id(0)] string Topic, [property: Id(1)] string[] Channels);

/// <summary><see cref="Channels"/> is null for an unknown topic with no fallback; <see cref="KnownTopics"/> then helps the caller.</summary>
[GenerateSerializer, Immutable]
public sealed record RouteLookup([property: Id(0)] string[]? Channels, [property: Id(1)] string[] KnownTopics);

[GenerateSerializer, Immutable]
public sealed record SetRouteResult(
    [property: Id(0)] TopicRoute? Route,
    [property: Id(1)] string[] UnknownChannels,
    [property: Id(2)] string[] KnownChannels);
