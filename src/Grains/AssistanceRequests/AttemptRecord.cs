namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>One attempt of a delivery, as the request's state keeps it. Stored fields: never renumber.</summary>
[GenerateSerializer, Immutable]
public sealed record AttemptRecord(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] AttemptResult Result,
    [property: Id(2)] string? Error);
