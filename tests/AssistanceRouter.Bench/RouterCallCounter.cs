using AssistanceRouter.Grains.Routing;
using Prometheus;

namespace AssistanceRouter.Bench;

/// <summary>
/// Figure 6: calls the routing table grain serves, counted at <c>/metrics</c>. Each node keeps its own copy of the
/// table, so no request should need the grain; only the copies' refreshes and subscriptions call it.
/// </summary>
public sealed class RouterCallCounter : IIncomingGrainCallFilter
{
    public const string Metric = "assistance_router_router_calls_total";

    private static readonly Counter Calls = Metrics.CreateCounter(Metric, "Calls the routing table grain served (reads, changes, subscriptions).");

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Grain is ITopicRouterGrain) Calls.Inc();
        return context.Invoke();
    }
}
