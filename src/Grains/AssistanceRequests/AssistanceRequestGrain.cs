using AssistanceRouter.Grains.Changes;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Escalation;
using AssistanceRouter.Grains.Events;
using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Grains.Storage;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// The durable record of one request and its whole life: acceptance, a notice on each of its channels, escalation
/// while nobody has it, acknowledgement, resolution. Its channels hold the notices durably in their queues, and its next
/// escalation step in their schedules: the request holds no reminder.
/// <para>
/// Each transition is one write (<see cref="IRequestStore"/>): the record, its list entries and the notices it puts on
/// or takes off its channels' queues, stored together or not at all. Only then are the channels told, in memory
/// (<see cref="StagedChange.TellAsync"/>): a channel that never hears of a notice stored for it finds it at its next
/// wake and asks the request before it sends it; a notice taken back is stopped on its channel before the transition
/// answers. Whatever write fails, this activation is dropped, so that what is in memory is always what is stored.
/// </para>
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed partial class AssistanceRequestGrain(
    IRequestStore store,
    IChannelQueueStore queues,
    NewRequestIds newIds,
    Serializer serializer,
    EventsChannel events,
    IOptions<NoticesOptions> notices,
    RequestMetrics metrics,
    RequestChanges changes,
    TimeProvider time,
    ILogger<AssistanceRequestGrain> logger) : Grain, IAssistanceRequestGrain, IRemindable
{
    private AssistanceRequestState Request { get; set; } = new();

    /// <summary>The stored record's ETag; null while none is stored.</summary>
    private string? etag;

    private bool Exists => etag is not null;

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // An id this process just minted has nothing stored yet: no read (a first write is create-only, should that be wrong).
        if (!newIds.Take(Id) && await store.ReadAsync(this.GetGrainId()) is { } stored) (Request, etag) = (stored.State, stored.ETag);
        if (Exists && (Request.Outbox.Count > 0 || Request.UnconfirmedCancels.Count > 0))
            await Run(FinishLeftovers);
        await Run(MoveLegacySchedule);
    }

    public async Task<SubmissionResult> Submit(NewAssistanceRequest request)
    {
        if (Exists)
        {
            if (request.IdempotencyFingerprint is null || request.IdempotencyFingerprint != Request.IdempotencyFingerprint)
                return new SubmissionResult(SubmissionOutcome.IdempotencyConflict, View());
            // A replay may follow a first attempt that stored the request but died before telling its channels.
            await Run(ReadmitFirstNotices);
            return new SubmissionResult(SubmissionOutcome.Replayed, View());
        }

        var now = time.GetUtcNow();
        var policy = request.Escalation ?? EscalationPolicy.None;
        Request = new AssistanceRequestState
        {
            Topic = request.Topic,
            Description = request.Description,
            CreatedAt = now,
            IdempotencyFingerprint = request.IdempotencyFingerprint,
            ConversationUrl = request.ConversationUrl,
            Metadata = request.Metadata is null ? [] : new(request.Metadata),
            MetricsTopic = request.MetricsTopic ?? request.Topic,
            Escalation = policy,
            EscalationNextAt = policy.TotalSteps > 0 ? now + policy.Step(0).After : null,
            Deliveries = request.Channels.Distinct().ToDictionary(c => c, _ => new DeliveryState { PendingSince = now, NoticeId = Id.ToString("N") }),
        };
        Request.Record(new HistoryRecord(now, HistoryEvents.Accepted));
        // One write: the record, its place in the Open list, a notice on each channel, and the event for the bot.
        var change = Change();
        change.Write.Move(Request.Topic, null, RequestLists.Open, now);
        foreach (var (channel, delivery) in Request.Deliveries)
            change.Queue(channel, Request.NewNotice(Id, NoticeKind.Request, delivery.NoticeId, now), now, now);
        ScheduleNextStep(change, now);
        AddEvent(change, EventTypes.Accepted, now);
        IReadOnlyDictionary<string, ChannelAdmission?> admissions = new Dictionary<string, ChannelAdmission?>();
        await Run(async () =>
        {
            admissions = await Commit(change);
            // A channel that cannot send says why: the delivery shows it (a second write, only while a channel cannot send).
            var holds = Request.Deliveries.Where(d => admissions.GetValueOrDefault(d.Key)?.Problem is not null).ToArray();
            foreach (var (channel, delivery) in holds) delivery.LastError = admissions[channel]!.Problem;
            if (holds.Length > 0) await Save();
        });
        changes.Published(ChangeKind.Accepted, View());
        // Behind a backlog (a burst on a one-a-second Slack channel), nothing happens to this request for a while: its
        // channel calls it back when it sends, so it need not wait in memory (24 KB each) until then.
        if (Request.Deliveries.Keys.All(c => admissions.GetValueOrDefault(c)?.Waits == true)) DeactivateOnIdle();
        return new SubmissionResult(SubmissionOutcome.Created, View());
    }

    public Task<AssistanceRequestView?> Get() => Task.FromResult(Exists ? View() : null);

    public async Task<LifecycleResult> Acknowledge(string by, AcknowledgementVia via)
    {
        if (!Exists) return new LifecycleResult(LifecycleOutcome.NotFound, null);
        if (Request.Resolution is { } resolution)
            return Conflict($"Request {Id} was resolved by {resolution.By} at {resolution.At:u}.");
        if (Request.Acknowledgement is { } taken)
        {
            if (!PersonNames.Same(taken.By, by))
                return Conflict($"{taken.By} has request {Id} since {taken.At:u} (via {Via(taken.Via)}).");
            await Run(FinishLeftovers); // a first call that failed half-way leaves its cancels to finish here
            return new LifecycleResult(LifecycleOutcome.Unchanged, View());
        }

        var now = time.GetUtcNow();
        var change = Change();
        change.Write.Move(Request.Topic, RequestLists.Open, RequestLists.Acknowledged, now);
        if (Request.IsFailed) change.Write.RemoveFromList(RequestLists.Failed, Request.Topic); // a person has it: no longer a dead letter
        Request.Acknowledgement = new Acknowledgement(by, now, via);
        Request.Record(new HistoryRecord(now, HistoryEvents.Acknowledged, By: by, Detail: Via(via)));
        TakeBackPending(change);
        if (notices.Value.Acknowledged) QueueReached(change, NoticeKind.Taken, by, now);
        AddEvent(change, EventTypes.Acknowledged, now);
        await Run(async () =>
        {
            await Commit(change);
            await ConfirmCancels();
        });
        changes.Published(ChangeKind.Acknowledged, View());
        metrics.Acknowledged(Request.MetricsTopic, now - Request.CreatedAt);
        return new LifecycleResult(LifecycleOutcome.Done, View());
    }

    public Task<LifecycleResult> Unacknowledge() => GiveBack(by: null);

    public Task<LifecycleResult> Unacknowledge(string by) => GiveBack(by);

    /// <summary>Gives it back, recording who did; null (a call of the version before) is its holder.</summary>
    private async Task<LifecycleResult> GiveBack(string? by)
    {
        if (!Exists) return new LifecycleResult(LifecycleOutcome.NotFound, null);
        if (Request.Acknowledgement is not { } taken || Request.Resolution is not null)
            return Conflict($"Request {Id} is not acknowledged (status {Request.Status}): there is nothing to give back.");

        var now = time.GetUtcNow();
        var change = Change();
        // Back in the queue at its first place: oldest first is by acceptance.
        change.Write.Move(Request.Topic, RequestLists.Acknowledged, RequestLists.Open, Request.CreatedAt);
        Request.Acknowledgement = null;
        // Who gave it back; whose it was, when that was someone else.
        by ??= taken.By;
        Request.Record(new HistoryRecord(now, HistoryEvents.Unacknowledged, By: by, Detail: PersonNames.Same(by, taken.By) ? null : $"held by {taken.By}"));
        foreach (var (channel, notice) in Request.AddressedNotices(Id, NoticeKind.GivenBack, by, now)) change.Queue(channel, notice, now, now);
        // Escalation resumes at its next step, as far away as that step was from the one before it.
        Request.EscalationNextAt = Request.EscalationStep < Request.Escalation.TotalSteps ? now + Request.Escalation.Gap(Request.EscalationStep) : null;
        ScheduleNextStep(change, now);
        AddEvent(change, EventTypes.Unacknowledged, now);
        await Run(() => Commit(change));
        changes.Published(ChangeKind.Unacknowledged, View());
        return new LifecycleResult(LifecycleOutcome.Done, View());
    }

    public async Task<LifecycleResult> Resolve(string by, string? note)
    {
        if (!Exists) return new LifecycleResult(LifecycleOutcome.NotFound, null);
        if (Request.Resolution is not null)
        {
            await Run(FinishLeftovers);
            return new LifecycleResult(LifecycleOutcome.Unchanged, View());
        }

        var now = time.GetUtcNow();
        var change = Change();
        change.Write.Move(Request.Topic, Request.LifecycleList, RequestLists.Resolved, now);
        if (Request.IsFailed) change.Write.RemoveFromList(RequestLists.Failed, Request.Topic);
        Request.Resolution = new Resolution(by, now, note);
        Request.Record(new HistoryRecord(now, HistoryEvents.Resolved, By: by, Detail: note));
        TakeBackPending(change);
        if (notices.Value.Resolved) QueueReached(change, NoticeKind.Resolved, by, now);
        AddEvent(change, EventTypes.Resolved, now);
        await Run(async () =>
        {
            await Commit(change);
            await ConfirmCancels();
        });
        changes.Published(ChangeKind.Resolved, View());
        DeactivateOnIdle(); // terminal: read again only if someone asks
        return new LifecycleResult(LifecycleOutcome.Done, View());
    }

    public async Task<LifecycleResult> Retry()
    {
        if (!Exists) return new LifecycleResult(LifecycleOutcome.NotFound, null);
        if (!Request.IsOpen)
            return Conflict(Request.Acknowledgement is { } taken
                ? $"Request {Id} was acknowledged by {taken.By}: a person already has it."
                : $"Request {Id} is {Request.Status}: there is nothing to retry.");
        var failedChannels = Request.Deliveries.Where(d => d.Value.Status == DeliveryStatus.Failed).Select(d => d.Key).ToArray();
        if (failedChannels.Length == 0)
            return Conflict($"Request {Id} has no failed delivery (status {Request.Status}).");

        var now = time.GetUtcNow();
        var change = Change();
        foreach (var channel in failedChannels)
        {
            var noticeId = Request.NextNoticeId(Id);
            change.Queue(channel, Request.NewNotice(Id, NoticeKind.Request, noticeId, now), now, now);
            Request.Deliveries[channel].Restart(noticeId, now);
        }
        Request.Record(new HistoryRecord(now, HistoryEvents.Retried, Detail: string.Join(", ", failedChannels)));
        change.Write.RemoveFromList(RequestLists.Failed, Request.Topic);
        await Run(() => Commit(change));
        changes.Published(ChangeKind.Retried, View());
        return new LifecycleResult(LifecycleOutcome.Done, View());
    }

    /// <summary>An event for the bot, with the request as it is once this change is stored: a notice on the events channel.</summary>
    private void AddEvent(StagedChange change, string type, DateTimeOffset at)
    {
        if (!events.Options.Wants(type)) return;
        var id = Request.NextNoticeId(Id);
        var notice = new Notice(id, Id, NoticeKind.Event, Request.Topic, "", Request.CreatedAt, null, at, Body: EventsChannel.Body(type, at, Request.Sequence, View()));
        change.Queue(EventsChannel.Name, notice, at, at);
    }

    /// <summary>Cancels every pending notice and the next escalation step in the record, and takes them off their channels, in the same transition.</summary>
    private void TakeBackPending(StagedChange change)
    {
        foreach (var (channel, noticeId) in Request.CancelPendingNotices()) change.TakeBack(channel, noticeId);
        UnscheduleNextStep(change, tell: true);
    }

    /// <summary>"Taken by" or "resolved by" to every channel any notice of this request reached.</summary>
    private void QueueReached(StagedChange change, NoticeKind kind, string by, DateTimeOffset now)
    {
        foreach (var (channel, notice) in Request.ReachedNotices(Id, kind, by, now)) change.Queue(channel, notice, now, now);
    }

    /// <summary>
    /// What an earlier activation or version left half done: an outbox to queue (versions that wrote a change and its
    /// notices apart), cancels whose channels did not confirm them. Taken off the store again (harmless if gone) and stopped.
    /// </summary>
    private async Task FinishLeftovers()
    {
        if (Request.UnconfirmedCancels.Count == 0 && Request.Outbox.Count == 0) return;
        var now = time.GetUtcNow();
        var change = Change();
        foreach (var (channel, noticeId) in Request.UnconfirmedCancels) change.TakeBack(channel, noticeId);
        foreach (var (channel, notice) in Request.Outbox) change.Queue(channel, notice, now, now);
        Request.Outbox.Clear();
        await Commit(change);
        await ConfirmCancels();
    }

    /// <summary>Once every channel has stopped the cancelled notices, the record need not remember them.</summary>
    private async Task ConfirmCancels()
    {
        if (Request.UnconfirmedCancels.Count == 0) return;
        Request.UnconfirmedCancels.Clear();
        await Save();
    }

    /// <summary>
    /// Re-tells the channels of what a replayed submission stored (its first notices, its first step's entry), in case the
    /// first attempt never told them; a channel keeps what it holds already.
    /// </summary>
    private async Task ReadmitFirstNotices()
    {
        var told = Request.Deliveries.Where(d => d.Value is { Status: DeliveryStatus.Pending, Attempts: 0 } && d.Value.NoticeId == Id.ToString("N"))
            .Select(d => (d.Key, new DueNotice(Request.NewNotice(Id, NoticeKind.Request, d.Value.NoticeId, d.Value.PendingSince), Millis(d.Value.PendingSince))))
            .ToList();
        if (Request is { NextStep: { } next, EscalationNextAt: { } at })
            told.Add((ChannelSchedule.ChannelOf(next.Channel), new DueNotice(
                new Notice(next.NoticeId, Id, NoticeKind.EscalationStep, Request.Topic, "", Request.CreatedAt, null, Request.CreatedAt), Millis(at))));
        await Task.WhenAll(told.GroupBy(t => t.Item1).Select(g => Channel(g.Key).Admit([.. g.Select(t => t.Item2)])));
    }

    private StagedChange Change() => new(serializer);

    /// <summary>Stores the record with <paramref name="change"/> in one write, then tells the channels.</summary>
    private async Task<IReadOnlyDictionary<string, ChannelAdmission?>> Commit(StagedChange change)
    {
        etag = await store.WriteAsync(this.GetGrainId(), Request, etag, change.Write);
        return await change.TellAsync(GrainFactory, (ex, channel) => LogAdmitFailed(logger, ex, Id, channel));
    }

    private Task Save() => Commit(Change());

    private IChannelGrain Channel(string name) => GrainFactory.Reference<IChannelGrain>(name);

    /// <summary>Runs a change; if any write in it fails, this activation goes, so that the next one reads what is stored.</summary>
    private async Task Run(Func<Task> change)
    {
        try
        {
            await change();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    private LifecycleResult Conflict(string reason) => new(LifecycleOutcome.Conflict, View(), reason);

    private static string Via(AcknowledgementVia via) => via.ToString().ToLowerInvariant();

    private static DateTimeOffset Millis(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());

    private AssistanceRequestView View() => Request.ToView(Id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} is stored but channel {Channel} did not hear of its notices; the channel's next wake finds them")]
    private static partial void LogAdmitFailed(ILogger logger, Exception exception, Guid requestId, string channel);
}
