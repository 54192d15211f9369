using AssistanceRouter.Grains.Escalation;

namespace AssistanceRouter.Grains.Routing;

/// <summary>The routing table as the router grain stores it. Stored fields: never renumber.</summary>
[GenerateSerializer]
public sealed class RoutingTableState
{
    [Id(0)] public Dictionary<string, string[]> Topics { get; set; } = [];
    [Id(1)] public long Version { get; set; }
    /// <summary>Topics with an escalation policy of their own; the others use the default.</summary>
    [Id(2)] public Dictionary<string, EscalationPolicy> Escalations { get; set; } = [];
}
