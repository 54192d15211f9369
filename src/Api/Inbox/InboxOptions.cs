using AssistanceRouter.Grains.Routing;

namespace AssistanceRouter.Api.Inbox;

/// <summary>
/// The <c>Inbox</c> section: per topic, when a waiting request counts as late
/// (<c>Inbox__Late__{topic}__Amber</c>, <c>Inbox__Late__{topic}__Red</c>); topics not named keep 5 and 15 minutes.
/// </summary>
public sealed class InboxOptions
{
    public const string Section = "Inbox";

    public Dictionary<string, LateThresholds> Late { get; set; } = [];

    /// <summary>The thresholds of every topic that has its own, by its normalized name.</summary>
    public IReadOnlyDictionary<string, LateThresholds> LateByTopic() =>
        Late.ToDictionary(l => TopicNames.Normalize(l.Key), l => l.Value, StringComparer.Ordinal);
}
