namespace AssistanceRouter.Grains.AssistanceRequests;

public enum SubmissionOutcome { Created = 0, Replayed = 1, IdempotencyConflict = 2 }

/// <summary>What a submission came to, with the request as it is stored (for a conflict: the one stored under that key).</summary>
[GenerateSerializer, Immutable]
public sealed record SubmissionResult(
    [property: Id(0)] SubmissionOutcome Outcome,
    [property: Id(1)] AssistanceRequestView? Request);
