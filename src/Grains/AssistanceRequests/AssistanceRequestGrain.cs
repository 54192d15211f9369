using AssistanceRouter.Grains.Changes;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Escalation;
using AssistanceRouter.Grains.Events;
using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Grains.Storage;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// The durable record of one request and its whole life: acceptance, a notice on each of its channels, escalation
/// while nobody has it, acknowledgement, resolution. Its channels hold the notices durably in their queues; the
/// request holds one reminder, only while an escalation step is coming.
/// <para>
/// Writes go in an order whose leftovers are harmless and finished later: a notice is queued before the request
/// that wants it is stored (a channel asks before it sends a notice it recovered from its store, and drops one
/// whose request does not want it); list entries before the record (a listing skips entries that disagree with the
/// record); notices that must follow a change (to people, and events to the bot) are written with the change in an
/// outbox and queued after it, again after a crash. Whatever write fails, this activation is dropped, so that
/// what is in memory is always what is stored.
/// </para>
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed partial class AssistanceRequestGrain(
    [PersistentState("request", NewRequestStorage.Name)] IPersistentState<AssistanceRequestState> state,
    IRequestIndex index,
    EventsChannel events,
    IOptions<NoticesOptions> notices,
    IOptions<EscalationOptions> escalationOptions,
    RequestMetrics metrics,
    RequestChanges changes,
    TimeProvider time) : Grain, IAssistanceRequestGrain, IRemindable
{
    private AssistanceRequestState Request => state.State;

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.RecordExists && (Request.Outbox.Count > 0 || Request.UnconfirmedCancels.Count > 0))
            await Transition(FinishLeftovers);
    }

    public async Task<SubmissionResult> Submit(NewAssistanceRequest request)
    {
        if (state.RecordExists)
        {
            if (request.IdempotencyFingerprint is null || request.IdempotencyFingerprint != Request.IdempotencyFingerprint)
                return new SubmissionResult(SubmissionOutcome.IdempotencyConflict, View());
            // A replay may follow a first attempt that stored the request but died before its reminder.
            await ArmEscalation();
            return new SubmissionResult(SubmissionOutcome.Replayed, View());
        }

        var now = time.GetUtcNow();
        var policy = request.Escalation ?? EscalationPolicy.None;
        var accepted = new AssistanceRequestState
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
        accepted.Record(new HistoryRecord(now, HistoryEvents.Accepted));

        // Queued first: should the process die before the record is written, the channels find that nobody wants
        // these when they recover them, and drop them.
        var admissions = await Task.WhenAll(accepted.Deliveries.Select(d => Queue(d.Key, accepted.NewNotice(Id, NoticeKind.Request, d.Value.NoticeId, now))));
        foreach (var (channel, admission) in accepted.Deliveries.Keys.Zip(admissions)) accepted.Deliveries[channel].LastError = admission.Problem;
        try
        {
            await index.MoveAsync(Id, request.Topic, null, RequestLists.Open, now);
            await Transition(async () =>
            {
                state.State = accepted;
                AddEvent(EventTypes.Accepted, now);
                await Save();
            });
        }
        catch
        {
            // The bot hears 503 and will retry: the notices of this attempt must not reach anyone meanwhile. Best
            // effort: a notice a channel recovers later is dropped anyway, since no record wants it.
            try
            {
                await Task.WhenAll(accepted.Deliveries.Select(d => Channel(d.Key).Cancel([d.Value.NoticeId])));
            }
            catch (Exception)
            {
            }
            throw;
        }
        await Transition(async () =>
        {
            await FinishLeftovers();
            // A new request has no reminder to remove: asking the reminder table would be a read per request.
            if (Request.EscalationNextAt is not null) await ArmEscalation();
        });
        changes.Published(ChangeKind.Accepted, View());
        // Behind a backlog (a burst on a one-a-second Slack channel), nothing happens to this request for a while: its
        // channel calls it back when it sends, so it need not wait in memory (24 KB each) until then.
        if (admissions.All(a => a.Waits)) DeactivateOnIdle();
        return new SubmissionResult(SubmissionOutcome.Created, View());
    }

    public Task<AssistanceRequestView?> Get() => Task.FromResult(state.RecordExists ? View() : null);

    public async Task<LifecycleResult> Acknowledge(string by, AcknowledgementVia via)
    {
        if (!state.RecordExists) return new LifecycleResult(LifecycleOutcome.NotFound, null);
        if (Request.Resolution is { } resolution)
            return Conflict($"Request {Id} was resolved by {resolution.By} at {resolution.At:u}.");
        if (Request.Acknowledgement is { } taken)
        {
            if (!string.Equals(taken.By, by, StringComparison.Ordinal))
                return Conflict($"{taken.By} has request {Id} since {taken.At:u} (via {Via(taken.Via)}).");
            await Transition(FinishLeftovers); // a first call that failed half-way leaves its cancels to finish here
            return new LifecycleResult(LifecycleOutcome.Unchanged, View());
        }

        var now = time.GetUtcNow();
        await Transition(async () =>
        {
            await index.MoveAsync(Id, Request.Topic, RequestLists.Open, RequestLists.Acknowledged, now);
            if (Request.IsFailed) await index.RemoveAsync(RequestLists.Failed, Id, Request.Topic); // a person has it: no longer a dead letter
            Request.Acknowledgement = new Acknowledgement(by, now, via);
            Request.Record(new HistoryRecord(now, HistoryEvents.Acknowledged, By: by, Detail: Via(via)));
            Request.CancelPendingNotices();
            if (notices.Value.Acknowledged) Request.NotifyReached(Id, NoticeKind.Taken, by, now);
            AddEvent(EventTypes.Acknowledged, now);
            await Save();
            await FinishLeftovers();
            await ArmEscalation();
        });
        changes.Published(ChangeKind.Acknowledged, View());
        metrics.Acknowledged(Request.MetricsTopic, now - Request.CreatedAt);
        return new LifecycleResult(LifecycleOutcome.Done, View());
    }

    public async Task<LifecycleResult> Unacknowledge()
    {
        if (!state.RecordExists) return new LifecycleResult(LifecycleOutcome.NotFound, null);
        if (Request.Acknowledgement is not { } taken || Request.Resolution is not null)
            return Conflict($"Request {Id} is not acknowledged (status {Request.Status}): there is nothing to give back.");

        var now = time.GetUtcNow();
        await Transition(async () =>
        {
            // Back in the queue at its first place: oldest first is by acceptance.
            await index.MoveAsync(Id, Request.Topic, RequestLists.Acknowledged, RequestLists.Open, Request.CreatedAt);
            Request.Acknowledgement = null;
            Request.Record(new HistoryRecord(now, HistoryEvents.Unacknowledged, By: taken.By));
            Request.NotifyAddressed(Id, NoticeKind.GivenBack, taken.By, now);
            // Escalation resumes at its next step, as far away as that step was from the one before it.
            Request.EscalationNextAt = Request.EscalationStep < Request.Escalation.TotalSteps ? now + Request.Escalation.Gap(Request.EscalationStep) : null;
            AddEvent(EventTypes.Unacknowledged, now);
            await Save();
            await FinishLeftovers();
            await ArmEscalation();
        });
        changes.Published(ChangeKind.Unacknowledged, View());
        return new LifecycleResult(LifecycleOutcome.Done, View());
    }

    public async Task<LifecycleResult> Resolve(string by, string? note)
    {
        if (!state.RecordExists) return new LifecycleResult(LifecycleOutcome.NotFound, null);
        if (Request.Resolution is not null)
        {
            await Transition(FinishLeftovers);
            return new LifecycleResult(LifecycleOutcome.Unchanged, View());
        }

        var now = time.GetUtcNow();
        await Transition(async () =>
        {
            await index.MoveAsync(Id, Request.Topic, Request.LifecycleList, RequestLists.Resolved, now);
            if (Request.IsFailed) await index.RemoveAsync(RequestLists.Failed, Id, Request.Topic);
            Request.Resolution = new Resolution(by, now, note);
            Request.Record(new HistoryRecord(now, HistoryEvents.Resolved, By: by, Detail: note));
            Request.CancelPendingNotices();
            if (notices.Value.Resolved) Request.NotifyReached(Id, NoticeKind.Resolved, by, now);
            AddEvent(EventTypes.Resolved, now);
            await Save();
            await FinishLeftovers();
            await ArmEscalation();
        });
        changes.Published(ChangeKind.Resolved, View());
        DeactivateOnIdle(); // terminal: read again only if someone asks
        return new LifecycleResult(LifecycleOutcome.Done, View());
    }

    public async Task<LifecycleResult> Retry()
    {
        if (!state.RecordExists) return new LifecycleResult(LifecycleOutcome.NotFound, null);
        if (!Request.IsOpen)
            return Conflict(Request.Acknowledgement is { } taken
                ? $"Request {Id} was acknowledged by {taken.By}: a person already has it."
                : $"Request {Id} is {Request.Status}: there is nothing to retry.");
        var failedChannels = Request.Deliveries.Where(d => d.Value.Status == DeliveryStatus.Failed).Select(d => d.Key).ToArray();
        if (failedChannels.Length == 0)
            return Conflict($"Request {Id} has no failed delivery (status {Request.Status}).");

        var now = time.GetUtcNow();
        await Transition(async () =>
        {
            var restarted = failedChannels.ToDictionary(c => c, _ => Request.NextNoticeId(Id));
            await Task.WhenAll(restarted.Select(r => Queue(r.Key, Request.NewNotice(Id, NoticeKind.Request, r.Value, now))));
            foreach (var (channel, noticeId) in restarted) Request.Deliveries[channel].Restart(noticeId, now);
            Request.Record(new HistoryRecord(now, HistoryEvents.Retried, Detail: string.Join(", ", failedChannels)));
            await index.RemoveAsync(RequestLists.Failed, Id, Request.Topic);
            await Save();
        });
        changes.Published(ChangeKind.Retried, View());
        return new LifecycleResult(LifecycleOutcome.Done, View());
    }

    public async Task<bool> RecordAttempt(string channel, string noticeId, AttemptOutcome outcome)
    {
        if (!state.RecordExists || !Request.Deliveries.TryGetValue(channel, out var delivery)
            || delivery.NoticeId != noticeId || delivery.Status != DeliveryStatus.Pending)
            return false;

        var before = Request.Status;
        await Transition(async () =>
        {
            delivery.Record(outcome);
            Request.KeepMessageAddress(channel, outcome);
            switch (outcome.Result)
            {
                case AttemptResult.Delivered:
                    Request.Record(new HistoryRecord(outcome.At, HistoryEvents.Notified, channel));
                    break;
                case AttemptResult.Failed:
                    Request.Record(new HistoryRecord(outcome.At, HistoryEvents.DeliveryFailed, channel, Detail: outcome.Error));
                    break;
                // Retries are not each an event: the first failure of a delivery is, the rest show in its attempts.
                case AttemptResult.WillRetry when delivery.Attempts == 1:
                    Request.Record(new HistoryRecord(outcome.At, HistoryEvents.DeliveryFailed, channel, Detail: $"{outcome.Error}; retrying"));
                    break;
            }
            var after = Request.Status;
            if (after == RequestStatus.Failed && before != RequestStatus.Failed)
            {
                await index.MoveAsync(Id, Request.Topic, null, RequestLists.Failed, outcome.At);
                AddEvent(EventTypes.Failed, outcome.At);
            }
            else if (after == RequestStatus.Delivered && !Request.DeliveredAnnounced)
            {
                Request.DeliveredAnnounced = true;
                AddEvent(EventTypes.Delivered, outcome.At);
            }
            await Save();
            await FinishLeftovers();
        });
        changes.Published(Request.Status == RequestStatus.Failed && before != RequestStatus.Failed ? ChangeKind.Failed : ChangeKind.Attempted, View());
        // Once its channels have answered, nothing is coming for a while: the reminder wakes it for the next escalation
        // step and a person's click reads it again. Kept for CollectionAgeLimit instead, every request accepted in the
        // last two minutes sat in memory (360,000 at 3,000/s): a third of the GC's work and of Orleans' activation walks.
        if (!Request.HasPendingDeliveries) DeactivateOnIdle();
        return delivery.Status == DeliveryStatus.Pending;
    }

    public Task<bool> IsWanted(string channel, string noticeId) => Task.FromResult(
        state.RecordExists && Request.IsOpen && Request.Deliveries.TryGetValue(channel, out var delivery)
        && delivery.NoticeId == noticeId && delivery.Status == DeliveryStatus.Pending);

    /// <summary>An event for the bot, with the request as it is once this change is stored.</summary>
    private void AddEvent(string type, DateTimeOffset at)
    {
        if (!events.Options.Wants(type)) return;
        var id = Request.NextNoticeId(Id);
        Request.Outbox.Add(new OutboxItem(EventsChannel.Name, new Notice(
            id, Id, NoticeKind.Event, Request.Topic, "", Request.CreatedAt, null, at, Body: EventsChannel.Body(type, at, Request.Sequence, View()))));
    }

    /// <summary>Makes the cancels and queues the outbox that a stored change asked for, then stores that they are done.</summary>
    private async Task FinishLeftovers()
    {
        if (Request.UnconfirmedCancels.Count == 0 && Request.Outbox.Count == 0) return;
        await Task.WhenAll(Request.UnconfirmedCancels.GroupBy(c => c.Channel)
            .Select(g => Channel(g.Key).Cancel([.. g.Select(c => c.NoticeId)])));
        await Task.WhenAll(Request.Outbox.GroupBy(o => o.Channel)
            .Select(g => Channel(g.Key).Enqueue([.. g.Select(o => o.Notice)])));
        Request.UnconfirmedCancels.Clear();
        Request.Outbox.Clear();
        await Save();
    }

    /// <summary>Queues a notice on its channel; the answer says why the channel cannot send it now, if it cannot, and whether it waits.</summary>
    private Task<ChannelAdmission> Queue(string channel, Notice notice) => Channel(channel).Enqueue([notice]);

    private IChannelGrain Channel(string name) => GrainFactory.Reference<IChannelGrain>(name);

    /// <summary>Runs a change; if any write in it fails, this activation goes, so that the next one reads what is stored.</summary>
    private async Task Transition(Func<Task> change)
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

    private Task Save() => state.WriteStateAsync();

    private LifecycleResult Conflict(string reason) => new(LifecycleOutcome.Conflict, View(), reason);

    private static string Via(AcknowledgementVia via) => via.ToString().ToLowerInvariant();

    private AssistanceRequestView View() => Request.ToView(Id);
}
