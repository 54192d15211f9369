namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>The latest notice of a request to one channel, and how its delivery went.</summary>
[GenerateSerializer]
public sealed class DeliveryState
{
    /// <summary>Attempts kept per delivery: enough to see a pattern, bounded so that the state stays small.</summary>
    public const int AttemptsKept = 10;

    [Id(0)] public DeliveryStatus Status { get; set; }
    [Id(1)] public int Attempts { get; set; }
    [Id(2)] public string? LastError { get; set; }
    [Id(3)] public DateTimeOffset? DeliveredAt { get; set; }
    [Id(4)] public DateTimeOffset? NextAttemptAt { get; set; }
    /// <summary>Start of the current give-up window: acceptance, the escalation step, or the last manual retry.</summary>
    [Id(5)] public DateTimeOffset PendingSince { get; set; }
    [Id(6)] public List<AttemptRecord> RecentAttempts { get; set; } = [];
    /// <summary>The id of the notice on the channel's queue that this delivery waits on.</summary>
    [Id(7)] public string NoticeId { get; set; } = "";
    /// <summary>Whether any notice of this request reached the channel: it then hears who took it.</summary>
    [Id(8)] public bool Reached { get; set; }

    public void Record(AttemptOutcome outcome)
    {
        Attempts++;
        RecentAttempts.Add(new AttemptRecord(outcome.At, outcome.Result, outcome.Error));
        if (RecentAttempts.Count > AttemptsKept) RecentAttempts.RemoveAt(0);
        NextAttemptAt = outcome.NextAttemptAt;
        switch (outcome.Result)
        {
            case AttemptResult.Delivered:
                Status = DeliveryStatus.Delivered;
                DeliveredAt = outcome.At;
                LastError = null; // the attempts list keeps what went wrong before
                Reached = true;
                break;
            case AttemptResult.Failed:
                Status = DeliveryStatus.Failed;
                LastError = outcome.Error;
                break;
            default:
                LastError = outcome.Error;
                break;
        }
    }

    /// <summary>Starts a new notice on this channel (an escalation, a retry): pending again, with a give-up window of its own.</summary>
    public void Restart(string noticeId, DateTimeOffset now)
    {
        Status = DeliveryStatus.Pending;
        NoticeId = noticeId;
        PendingSince = now;
        NextAttemptAt = null;
    }
}
