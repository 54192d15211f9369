namespace AssistanceRouter.Grains.AssistanceRequests;

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
