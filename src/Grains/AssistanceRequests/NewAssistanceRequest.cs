using AssistanceRouter.Grains.Escalation;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>A checked submission, with the channels and escalation policy its topic had when it arrived.</summary>
[GenerateSerializer, Immutable]
public sealed record NewAssistanceRequest(
    [property: Id(0)] string Topic,
    [property: Id(1)] string Description,
    [property: Id(2)] string[] Channels,
    [property: Id(3)] string? IdempotencyFingerprint,
    [property: Id(4)] string? ConversationUrl = null,
    [property: Id(5)] IReadOnlyDictionary<string, string>? Metadata = null,
    [property: Id(6)] EscalationPolicy? Escalation = null,
    [property: Id(7)] string? MetricsTopic = null);
