namespace AssistanceRouter.Grains.Routing;

/// <summary>A new topic was refused: the table already holds <c>Routing:MaxTopics</c> of them.</summary>
[GenerateSerializer]
public sealed class RoutingTableFullException : Exception
{
    public RoutingTableFullException(int maxTopics)
        : base($"The routing table holds its maximum of {maxTopics} topics (Routing__MaxTopics): delete one first.") =>
        MaxTopics = maxTopics;

    [Id(0)] public int MaxTopics { get; private set; }

    /// <summary>Throws when <paramref name="topic"/> would be one topic too many; changing a topic that exists is always allowed.</summary>
    public static void ThrowIfFull(IReadOnlyDictionary<string, string[]> topics, string topic, int maxTopics)
    {
        if (topics.Count >= maxTopics && !topics.ContainsKey(topic)) throw new RoutingTableFullException(maxTopics);
    }
}
