using AssistanceRouter.Grains.Escalation;
using AssistanceRouter.Grains.Routing;

namespace AssistanceRouter.Api.Topics;

/// <summary>A route as the table holds it.</summary>
/// <param name="MissingChannels">
/// Channels of the route that the cluster no longer has (removed from configuration since the route was set): requests
/// for the topic wait for them until they are configured again or the route changes. Empty when all exist.
/// </param>
/// <param name="Escalation">The topic's own escalation policy; null: the default policy (<c>Escalation__*</c>).</param>
public sealed record TopicView(string Topic, string[] Channels, string[] MissingChannels, EscalationPolicy? Escalation)
{
    public static TopicView Of(TopicRoute route, RoutingSnapshot table) =>
        new(route.Topic, route.Channels, [.. route.Channels.Where(c => !table.Channels.Contains(c))], route.Escalation);
}
