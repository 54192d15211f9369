using AssistanceRouter.Grains.Escalation;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// What one request keeps: bounded in size whatever the backlog (a bounded attempt list per channel, the last
/// <see cref="HistoryLength"/> events). Retired ids, never to be reused: 3 (a stored status), 5 (an acknowledgement
/// time), 7 (a dead-letter flag).
/// </summary>
[GenerateSerializer]
public sealed class AssistanceRequestState
{
    public const int HistoryLength = 50;

    [Id(0)] public string Topic { get; set; } = "";
    [Id(1)] public string Description { get; set; } = "";
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public string? IdempotencyFingerprint { get; set; }
    [Id(6)] public Dictionary<string, DeliveryState> Deliveries { get; set; } = [];
    [Id(8)] public string? ConversationUrl { get; set; }
    [Id(9)] public Dictionary<string, string> Metadata { get; set; } = [];
    [Id(10)] public AcknowledgementView? Acknowledgement { get; set; }
    [Id(11)] public ResolutionView? Resolution { get; set; }
    [Id(12)] public EscalationPolicy Escalation { get; set; } = EscalationPolicy.None;
    /// <summary>Escalation steps already run, across rounds.</summary>
    [Id(13)] public int EscalationStep { get; set; }
    [Id(14)] public DateTimeOffset? EscalationNextAt { get; set; }
    [Id(15)] public List<HistoryEntry> History { get; set; } = [];
    /// <summary>Numbers this request's notices and events, so that each has an id of its own that never changes.</summary>
    [Id(16)] public int Sequence { get; set; }
    /// <summary>Notices cancelled in state whose channels have not yet confirmed it: the next acknowledgement call finishes them.</summary>
    [Id(17)] public List<NoticeRef> UnconfirmedCancels { get; set; } = [];

    /// <summary>The topic as metrics name it: the topic when it has a route, else <c>other</c>, so that metrics stay bounded.</summary>
    [Id(18)] public string MetricsTopic { get; set; } = "";
    /// <summary>Whether the bot heard <c>request.delivered</c>: once, the first time every channel has it.</summary>
    [Id(19)] public bool DeliveredAnnounced { get; set; }
    /// <summary>Notices a stored change asked for that are not yet queued: queued right after the write, or on the next activation.</summary>
    [Id(20)] public List<OutboxItem> Outbox { get; set; } = [];

    public bool IsOpen => Acknowledgement is null && Resolution is null;

    public bool HasPendingDeliveries => Deliveries.Values.Any(d => d.Status == DeliveryStatus.Pending);

    /// <summary>
    /// Derived, never stored: Resolved and Acknowledged first; while nobody has it, Accepted until a channel tries,
    /// Delivering while any is pending, then Delivered or Failed.
    /// </summary>
    public RequestStatus Status
    {
        get
        {
            if (Resolution is not null) return RequestStatus.Resolved;
            if (Acknowledgement is not null) return RequestStatus.Acknowledged;
            if (HasPendingDeliveries)
                return Deliveries.Values.Any(d => d.Attempts > 0 || d.Status != DeliveryStatus.Pending) ? RequestStatus.Delivering : RequestStatus.Accepted;
            return Deliveries.Values.Any(d => d.Status == DeliveryStatus.Failed) ? RequestStatus.Failed : RequestStatus.Delivered;
        }
    }

    /// <summary>The request's place in the lifecycle lists (open, acknowledged, resolved).</summary>
    public string LifecycleList => Resolution is not null ? Storage.RequestLists.Resolved
        : Acknowledgement is not null ? Storage.RequestLists.Acknowledged
        : Storage.RequestLists.Open;

    public bool IsFailed => Deliveries.Values.Any(d => d.Status == DeliveryStatus.Failed);

    public string NextNoticeId(Guid requestId) => $"{requestId:N}-{++Sequence}";

    public void Record(HistoryEntry entry)
    {
        History.Add(entry);
        if (History.Count > HistoryLength) History.RemoveRange(0, History.Count - HistoryLength);
    }
}

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
    [Id(6)] public List<AttemptView> RecentAttempts { get; set; } = [];
    /// <summary>The id of the channel's queue entry this delivery waits on.</summary>
    [Id(7)] public string NoticeId { get; set; } = "";
    /// <summary>Whether any notice of this request reached the channel: it then hears who took it.</summary>
    [Id(8)] public bool Reached { get; set; }

    public void Record(AttemptOutcome outcome)
    {
        Attempts++;
        RecentAttempts.Add(new AttemptView(outcome.At, outcome.Result, outcome.Error));
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

/// <summary>A notice on a channel's queue.</summary>
[GenerateSerializer, Immutable]
public sealed record NoticeRef([property: Id(0)] string Channel, [property: Id(1)] string NoticeId);

/// <summary>A notice for a channel's queue (to people, or an event to the bot) written with the change that caused it.</summary>
[GenerateSerializer, Immutable]
public sealed record OutboxItem([property: Id(0)] string Channel, [property: Id(1)] Channels.Notice Notice);
