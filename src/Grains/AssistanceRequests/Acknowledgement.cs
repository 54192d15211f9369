namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>Who took the request, when, and from where: as the request's state stores it. Stored fields: never renumber.</summary>
[GenerateSerializer, Immutable]
public sealed record Acknowledgement(
    [property: Id(0)] string By,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] AcknowledgementVia Via);
