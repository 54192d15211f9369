using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Escalation;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// What one request keeps: bounded in size whatever the backlog (a bounded attempt list per channel, the last
/// <see cref="HistoryLength"/> events). Retired ids, never to be reused: 3 (a stored status), 5 (an acknowledgement
/// time), 7 (a dead-letter flag).
/// </summary>
[GenerateSerializer]
public sealed partial class AssistanceRequestState
{
    public const int HistoryLength = 50;

    [Id(0)] public string Topic { get; set; } = "";
    [Id(1)] public string Description { get; set; } = "";
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public string? IdempotencyFingerprint { get; set; }
    [Id(6)] public Dictionary<string, DeliveryState> Deliveries { get; set; } = [];
    [Id(8)] public string? ConversationUrl { get; set; }
    [Id(9)] public Dictionary<string, string> Metadata { get; set; } = [];
    [Id(10)] public Acknowledgement? Acknowledgement { get; set; }
    [Id(11)] public Resolution? Resolution { get; set; }
    [Id(12)] public EscalationPolicy Escalation { get; set; } = EscalationPolicy.None;
    /// <summary>Escalation steps already run, across rounds.</summary>
    [Id(13)] public int EscalationStep { get; set; }
    [Id(14)] public DateTimeOffset? EscalationNextAt { get; set; }
    /// <summary>
    /// The entry that wakes the request for its next step, in a channel's schedule, while one is coming and nobody has it.
    /// Null with <see cref="EscalationNextAt"/> set and the request open: state of a version that held a reminder per request instead.
    /// </summary>
    [Id(21)] public NoticeRef? NextStep { get; set; }
    [Id(15)] public List<HistoryRecord> History { get; set; } = [];
    /// <summary>Numbers this request's notices and events, so that each has an id of its own that never changes.</summary>
    [Id(16)] public int Sequence { get; set; }
    /// <summary>Notices cancelled in state whose channels have not yet confirmed it: the next acknowledgement call (or activation) finishes them.</summary>
    [Id(17)] public List<NoticeRef> UnconfirmedCancels { get; set; } = [];

    /// <summary>The topic as metrics name it: the topic when it has a route, else <c>other</c>, so that metrics stay bounded.</summary>
    [Id(18)] public string MetricsTopic { get; set; } = "";
    /// <summary>Whether the bot heard <c>request.delivered</c>: once, the first time every channel has it.</summary>
    [Id(19)] public bool DeliveredAnnounced { get; set; }
    /// <summary>
    /// Notices a stored change asked for that were not yet queued: the outbox of versions that stored a change and its
    /// notices in two writes. Nothing adds to it now (a change and its notices are one write); an activation queues what
    /// an earlier version left in it.
    /// </summary>
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

    public void Record(HistoryRecord entry)
    {
        History.Add(entry);
        if (History.Count > HistoryLength) History.RemoveRange(0, History.Count - HistoryLength);
    }

    /// <summary>A notice of this request, made <paramref name="now"/>, with everything its channel needs to send it.</summary>
    public Notice NewNotice(Guid requestId, NoticeKind kind, string noticeId, DateTimeOffset now) => new(
        noticeId, requestId, kind, Topic, Description, CreatedAt, ConversationUrl, now);

    /// <summary>
    /// Marks every pending notice cancelled and records them as cancels to confirm, which the grain takes off their
    /// channels before it answers, so that none of them goes out after that answer; returns them.
    /// </summary>
    public NoticeRef[] CancelPendingNotices()
    {
        var cancelled = new List<NoticeRef>();
        foreach (var (channel, delivery) in Deliveries.Where(d => d.Value.Status == DeliveryStatus.Pending))
        {
            delivery.Status = DeliveryStatus.Cancelled;
            delivery.NextAttemptAt = null;
            cancelled.Add(new NoticeRef(channel, delivery.NoticeId));
        }
        UnconfirmedCancels.AddRange(cancelled);
        return [.. cancelled];
    }

    /// <summary>"Taken by" or "resolved by", for every channel that any notice of this request reached.</summary>
    public OutboxItem[] ReachedNotices(Guid requestId, NoticeKind kind, string by, DateTimeOffset now) =>
        [.. Deliveries.Where(d => d.Value.Reached).Select(d => new OutboxItem(d.Key, NewNotice(requestId, kind, NextNoticeId(requestId), now) with { By = by, MessageAddress = MessageAddress(d.Key) }))];
}
