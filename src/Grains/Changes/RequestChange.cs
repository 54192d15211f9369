namespace AssistanceRouter.Grains.Changes;

/// <summary>One transition of one request, with the request as it is once the transition is stored.</summary>
[GenerateSerializer, Immutable]
public sealed record RequestChange([property: Id(0)] ChangeKind Kind, [property: Id(1)] RequestSummary Request);
