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

public enum SubmissionOutcome { Created = 0, Replayed = 1, IdempotencyConflict = 2 }

[GenerateSerializer, Immutable]
public sealed record SubmissionResult(
    [property: Id(0)] SubmissionOutcome Outcome,
    [property: Id(1)] AssistanceRequestView? Request);

public enum LifecycleOutcome { Done = 0, Unchanged = 1, NotFound = 2, Conflict = 3 }

/// <summary>
/// What an acknowledge, unacknowledge, resolve or retry came to: <see cref="LifecycleOutcome.Conflict"/> carries in
/// <see cref="Reason"/> who has the request and since when, or why nothing could be done.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LifecycleResult(
    [property: Id(0)] LifecycleOutcome Outcome,
    [property: Id(1)] AssistanceRequestView? Request,
    [property: Id(2)] string? Reason = null);
