using AssistanceRouter.Grains.Changes;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Events;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// Escalation: while nobody has the request, its steps notify their channels again. The request holds no reminder: its
/// next step waits as an entry in the schedule of its first channel (<see cref="ChannelSchedule"/>), stored in the same
/// write as the change that made it due (acceptance, giving it back, the step before), and taken off in the same write as
/// the change that ends it (acknowledgement, resolution, the step itself). The channel's grain fires the entry when it
/// falls due and calls <see cref="StepDue"/>.
/// </summary>
public sealed partial class AssistanceRequestGrain
{
    /// <summary>The reminder that versions before this one held per request; a request they stored gives it up on activation.</summary>
    private const string LegacyReminder = "escalation";

    public async Task<bool> StepDue(string channel, string entryId)
    {
        if (!Exists || !Request.IsOpen || Request.NextStep is not { } next || next.NoticeId != entryId || ChannelSchedule.ChannelOf(next.Channel) != channel)
            return false;
        await Run(Escalate);
        return true;
    }

    /// <summary>A reminder of an earlier version fired: the activation has moved its step into a schedule, so it goes.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (await this.GetReminder(reminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }

    /// <summary>
    /// Runs the step its schedule entry fell due for (trusting the channel's clock, which fired it), then any later ones
    /// due by now (after an outage), and schedules the one after: all of it, with the entry's removal, in one write.
    /// </summary>
    private async Task Escalate()
    {
        var now = time.GetUtcNow();
        var policy = Request.Escalation;
        var change = Change();
        UnscheduleNextStep(change, tell: false); // its channel holds it in flight and lets it go once this answers
        var first = true;
        while (Request.EscalationNextAt is { } due && (first || due <= now) && Request.EscalationStep < policy.TotalSteps)
        {
            first = false;
            var (_, channels) = policy.Step(Request.EscalationStep);
            var restarted = channels.Distinct().ToDictionary(c => c, _ => Request.NextNoticeId(Id));
            // The replaced notices go: a channel behind on the last step needs to send only the newest.
            foreach (var channel in restarted.Keys)
                if (Request.Deliveries.TryGetValue(channel, out var pending) && pending.Status == DeliveryStatus.Pending)
                    change.TakeBack(channel, pending.NoticeId);
            foreach (var (channel, noticeId) in restarted)
            {
                var again = Request.Deliveries.TryGetValue(channel, out var earlier) && (earlier.Reached || earlier.Attempts > 0);
                // A reminder answers the request's first message where the channel can address it (a thread reply).
                change.Queue(channel, Request.NewNotice(Id, again ? NoticeKind.StillWaiting : NoticeKind.Request, noticeId, now) with { MessageAddress = Request.MessageAddress(channel) }, now, now);
                if (!Request.Deliveries.TryGetValue(channel, out var delivery)) Request.Deliveries[channel] = delivery = new DeliveryState();
                delivery.Restart(noticeId, now);
            }
            Request.EscalationStep++;
            Request.Record(new HistoryRecord(now, HistoryEvents.Escalated, Detail: $"step {Request.EscalationStep} of {policy.TotalSteps}: {string.Join(", ", restarted.Keys)}"));
            metrics.Escalated(Request.MetricsTopic);
            Request.EscalationNextAt = Request.EscalationStep < policy.TotalSteps ? due + policy.Gap(Request.EscalationStep) : null;
            AddEvent(change, EventTypes.Escalated, now);
            if (Request.EscalationNextAt is null)
            {
                Request.Record(new HistoryRecord(now, HistoryEvents.Unanswered, Detail: "every escalation step ran and nobody has it yet"));
                AddEvent(change, EventTypes.Unanswered, now);
            }
        }
        ScheduleNextStep(change, now);
        await Commit(change);
        changes.Published(ChangeKind.Escalated, View());
    }

    /// <summary>While nobody has the request and a step is coming, an entry for it goes into its first channel's schedule.</summary>
    private void ScheduleNextStep(StagedChange change, DateTimeOffset now)
    {
        if (!Request.IsOpen || Request.EscalationNextAt is not { } at || Request.EscalationStep >= Request.Escalation.TotalSteps) return;
        var channel = Request.Deliveries.Count > 0 ? Request.Deliveries.Keys.First() : Request.Escalation.Step(Request.EscalationStep).Channels[0];
        var queue = ChannelSchedule.QueueOf(channel);
        var entry = new Notice(Request.NextNoticeId(Id), Id, NoticeKind.EscalationStep, Request.Topic, "", Request.CreatedAt, null, now);
        change.Queue(queue, entry, at, now);
        Request.NextStep = new NoticeRef(queue, entry.Id);
    }

    /// <summary>
    /// Takes the next step's entry off its schedule. <paramref name="tell"/>: the channel stops it too before the change
    /// answers (acknowledged, resolved), and until it has, the record keeps it among the cancels to confirm.
    /// </summary>
    private void UnscheduleNextStep(StagedChange change, bool tell)
    {
        if (Request.NextStep is not { } next) return;
        if (tell)
        {
            change.TakeBack(next.Channel, next.NoticeId);
            Request.UnconfirmedCancels.Add(next);
        }
        else
        {
            change.Write.Remove(next.Channel, next.NoticeId);
        }
        Request.NextStep = null;
    }

    /// <summary>
    /// State stored by a version that woke each request with a reminder of its own: its next step moves into a channel's
    /// schedule (one write), and the reminder is given up (should that fail now, its next tick gives it up).
    /// </summary>
    private async Task MoveLegacySchedule()
    {
        if (!Exists || !Request.IsOpen || Request.EscalationNextAt is null || Request.NextStep is not null) return;
        var change = Change();
        ScheduleNextStep(change, time.GetUtcNow());
        await Commit(change);
        try
        {
            if (await this.GetReminder(LegacyReminder) is { } reminder) await this.UnregisterReminder(reminder);
        }
        catch (Exception ex)
        {
            LogLegacyReminderKept(logger, ex, Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} could not give up the reminder an earlier version registered; its next tick does")]
    private static partial void LogLegacyReminderKept(ILogger logger, Exception exception, Guid requestId);
}
