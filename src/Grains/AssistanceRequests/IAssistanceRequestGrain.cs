namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>One customer's call for help: stores it, tracks each channel's delivery, and answers for its status.</summary>
public interface IAssistanceRequestGrain : IGrainWithGuidKey
{
    /// <summary>Stores the request and hands one delivery per channel to the channels. Returns once it is durable.</summary>
    Task<SubmissionResult> Submit(NewAssistanceRequest request);

    Task<AssistanceRequestView?> Get();

    /// <summary>A person took the request: stops every pending delivery.</summary>
    Task<AssistanceRequestView?> Acknowledge();

    /// <summary>Tries every failed delivery again.</summary>
    Task<RetryResult> Retry();

    /// <summary>A channel reports one attempt; returns false when the delivery is no longer wanted.</summary>
    Task<bool> RecordAttempt(string channel, AttemptOutcome outcome);
}

[GenerateSerializer, Immutable]
public sealed record NewAssistanceRequest(
    [property: Id(0)] string Topic,
    [property: Id(1)] string Description,
    [property: Id(2)] string[] Channels,
    [property: Id(3)] string? IdempotencyFingerprint);

public enum SubmissionOutcome { Created, Replayed, IdempotencyConflict }

[GenerateSerializer, Immutable]
public sealed record SubmissionResult(
    [property: Id(0)] SubmissionOutcome Outcome,
    [property: Id(1)] AssistanceRequestView? Request);

public enum RetryOutcome { Retrying, NotFound, NothingToRetry }

[GenerateSerializer, Immutable]
public sealed record RetryResult(
    [property: Id(0)] RetryOutcome Outcome,
    [property: Id(1)] AssistanceRequestView? Request);

public enum RequestStatus { Accepted, Delivering, Delivered, Failed, Acknowledged }

public enum DeliveryStatus { Pending, Delivered, Failed, Cancelled }

public enum AttemptResult { Delivered, WillRetry, Failed }

/// <summary>What one attempt on one channel came to.</summary>
[GenerateSerializer, Immutable]
public sealed record AttemptOutcome(
    [property: Id(0)] AttemptResult Result,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string? Error,
    [property: Id(3)] DateTimeOffset? NextAttemptAt);

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
public sealed record AssistanceRequestView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Topic,
    [property: Id(2)] string Description,
    [property: Id(3)] RequestStatus Status,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset? AcknowledgedAt,
    [property: Id(6)] DeliveryView[] Deliveries);
