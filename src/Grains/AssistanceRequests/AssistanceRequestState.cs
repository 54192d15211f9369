namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>What one request keeps: fixed in size whatever the backlog (a bounded attempt history per channel).</summary>
[GenerateSerializer]
public sealed class AssistanceRequestState
{
    [Id(0)] public string Topic { get; set; } = "";
    [Id(1)] public string Description { get; set; } = "";
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public string? IdempotencyFingerprint { get; set; }
    [Id(5)] public DateTimeOffset? AcknowledgedAt { get; set; }
    [Id(6)] public Dictionary<string, DeliveryState> Deliveries { get; set; } = [];
    /// <summary>Whether the dead-letter list holds this request; kept in step with <see cref="Status"/> = Failed.</summary>
    [Id(7)] public bool ListedAsDeadLetter { get; set; }

    public bool DeadLetterListOutOfStep => ListedAsDeadLetter != (Status == RequestStatus.Failed);

    public bool HasPendingDeliveries => Deliveries.Values.Any(d => d.Status == DeliveryStatus.Pending);

    /// <summary>
    /// Derived from the deliveries, never stored: Accepted until a channel tries; Delivering while any is pending;
    /// then Delivered or Failed; Acknowledged once a person took it.
    /// </summary>
    public RequestStatus Status
    {
        get
        {
            if (AcknowledgedAt is not null) return RequestStatus.Acknowledged;
            if (HasPendingDeliveries)
                return Deliveries.Values.Any(d => d.Attempts > 0) ? RequestStatus.Delivering : RequestStatus.Accepted;
            return Deliveries.Values.All(d => d.Status == DeliveryStatus.Delivered) ? RequestStatus.Delivered : RequestStatus.Failed;
        }
    }
}

[GenerateSerializer]
public sealed class DeliveryState
{
    /// <summary>Attempts kept per delivery: enough to see a pattern, bounded so that the state stays small.</summary>
    public const int HistoryLength = 10;

    [Id(0)] public DeliveryStatus Status { get; set; }
    [Id(1)] public int Attempts { get; set; }
    [Id(2)] public string? LastError { get; set; }
    [Id(3)] public DateTimeOffset? DeliveredAt { get; set; }
    [Id(4)] public DateTimeOffset? NextAttemptAt { get; set; }
    /// <summary>Start of the current give-up window: acceptance, or the last manual retry.</summary>
    [Id(5)] public DateTimeOffset PendingSince { get; set; }
    [Id(6)] public List<AttemptView> RecentAttempts { get; set; } = [];

    public void Record(AttemptOutcome outcome)
    {
        Attempts++;
        RecentAttempts.Add(new AttemptView(outcome.At, outcome.Result, outcome.Error));
        if (RecentAttempts.Count > HistoryLength) RecentAttempts.RemoveAt(0);
        NextAttemptAt = outcome.NextAttemptAt;
        if (outcome.Error is not null) LastError = outcome.Error;
        switch (outcome.Result)
        {
            case AttemptResult.Delivered:
                Status = DeliveryStatus.Delivered;
                DeliveredAt = outcome.At;
                break;
            case AttemptResult.Failed:
                Status = DeliveryStatus.Failed;
                break;
        }
    }
}
