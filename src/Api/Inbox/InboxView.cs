using AssistanceRouter.Grains.Changes;

namespace AssistanceRouter.Api.Inbox;

/// <summary>The projection's answer: the first requests of each list in the inbox's order, each list's total, and counts per topic.</summary>
public sealed record InboxView(
    RequestSummary[] Open, int OpenTotal,
    RequestSummary[] Acknowledged, int AcknowledgedTotal,
    RequestSummary[] Resolved, int ResolvedTotal,
    IReadOnlyDictionary<string, TopicCount> Topics);
