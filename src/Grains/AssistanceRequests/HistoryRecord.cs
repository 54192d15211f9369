namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>One event in a request's life (<see cref="HistoryEvents"/>), as the request's state keeps it. Stored fields: never renumber.</summary>
[GenerateSerializer, Immutable]
public sealed record HistoryRecord(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Event,
    [property: Id(2)] string? Channel = null,
    [property: Id(3)] string? By = null,
    [property: Id(4)] string? Detail = null);
