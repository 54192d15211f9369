namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>Who resolved the request, when, and what they noted: as the request's state stores it. Stored fields: never renumber.</summary>
[GenerateSerializer, Immutable]
public sealed record Resolution(
    [property: Id(0)] string By,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string? Note);
