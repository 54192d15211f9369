namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// The request as GET shows it and as events carry it, with its parts below: made from the stored state in one place,
/// <see cref="AssistanceRequestViews"/>. The API document names its schemas after these types.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AssistanceRequestView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Topic,
    [property: Id(2)] string Description,
    [property: Id(3)] RequestStatus Status,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] string? ConversationUrl,
    [property: Id(6)] IReadOnlyDictionary<string, string> Metadata,
    [property: Id(7)] DeliveryView[] Deliveries,
    [property: Id(8)] AcknowledgementView? Acknowledgement,
    [property: Id(9)] ResolutionView? Resolution,
    [property: Id(10)] EscalationView? Escalation,
    [property: Id(11)] HistoryEntry[] History);

[GenerateSerializer, Immutable]
public sealed record AttemptView(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] AttemptResult Result,
    [property: Id(2)] string? Error);

[GenerateSerializer, Immutable]
public sealed record DeliveryView(
    [property: Id(0)] string Channel,
    [property: Id(1)] DeliveryStatus Status,
    [property: Id(2)] int Attempts,
    [property: Id(3)] string? LastError,
    [property: Id(4)] DateTimeOffset? DeliveredAt,
    [property: Id(5)] DateTimeOffset? NextAttemptAt,
    [property: Id(6)] AttemptView[] RecentAttempts);

[GenerateSerializer, Immutable]
public sealed record AcknowledgementView(
    [property: Id(0)] string By,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] AcknowledgementVia Via);

[GenerateSerializer, Immutable]
public sealed record ResolutionView(
    [property: Id(0)] string By,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string? Note);

/// <summary><see cref="Step"/> counts the steps already run (across rounds); <see cref="NextAt"/> is null when none is left.</summary>
[GenerateSerializer, Immutable]
public sealed record EscalationView(
    [property: Id(0)] int Step,
    [property: Id(1)] int Steps,
    [property: Id(2)] DateTimeOffset? NextAt);

/// <summary>One event in a request's life, as its history lists it (the view of a <see cref="HistoryRecord"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record HistoryEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Event,
    [property: Id(2)] string? Channel = null,
    [property: Id(3)] string? By = null,
    [property: Id(4)] string? Detail = null);
