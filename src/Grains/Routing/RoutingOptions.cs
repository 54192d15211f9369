using AssistanceRouter.Grains.Escalation;
using Microsoft.Extensions.Configuration;

namespace AssistanceRouter.Grains.Routing;

/// <summary>The <c>Routing</c> configuration section: the table's first content, and the fallback channel.</summary>
public sealed class RoutingOptions
{
    public const string Section = "Routing";

    /// <summary>The table a cluster starts with when <c>Routing:Topics</c> is not configured at all (appsettings.json shows it).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> DefaultTopics = new Dictionary<string, string[]>
    {
        ["sales"] = ["slack"],
        ["pricing"] = ["email"],
    };

    /// <summary>Fills the table the first time the cluster starts; after that the stored table wins.</summary>
    public Dictionary<string, string[]> Topics { get; set; } = [];

    /// <summary>The channel for topics with no route; unset means unknown topics are refused.</summary>
    public string? Fallback { get; set; }

    /// <summary>Topics' own escalation policies, seeded with the table: <c>Routing:Escalation:{topic}:Steps:0:After</c> and so on.</summary>
    public Dictionary<string, EscalationSettings> Escalation { get; set; } = [];

    /// <summary>Most topics the table holds: every topic is in each node's memory and in each unknown-topic answer's count.</summary>
    public int MaxTopics { get; set; } = 1000;

    public IReadOnlyDictionary<string, string[]> InitialTopics(IConfiguration configuration) =>
        configuration.GetSection($"{Section}:Topics").Exists() ? Topics : DefaultTopics;
}

/// <summary>An escalation policy as configuration writes it.</summary>
public sealed class EscalationSettings
{
    public List<EscalationStepSettings> Steps { get; set; } = [];

    public int Repeat { get; set; }

    public EscalationPolicy ToPolicy() => new([.. Steps.Select(s => new EscalationStep(s.After, [.. s.Channels]))], Repeat);
}

public sealed class EscalationStepSettings
{
    public TimeSpan After { get; set; }

    public List<string> Channels { get; set; } = [];
}
